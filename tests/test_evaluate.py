"""Scoring against a gold file (rows written for these tests)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.evaluate import GOLD_COLUMNS, GoldFileError, format_report, read_rows, score, write_misses


def row(
    doc_id="birkenau_2024", person="Anna Muster", role="Chief Digital Officer", category="cdo", digital="yes", **extra
):
    values = {column: "" for column in GOLD_COLUMNS}
    values.update(doc_id=doc_id, person=person, role=role, role_category=category, digital=digital, **extra)
    return values


def counts(report_counts) -> tuple[int, int, int]:
    return report_counts.matched, report_counts.predicted, report_counts.gold


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- matching -------------------------------------------------------------------------------------


def test_exact_match():
    report = score([row()], [row()])
    assert counts(report.all) == (1, 1, 1)
    assert counts(report.digital) == (1, 1, 1)
    assert (report.all.precision, report.all.recall, report.all.f1) == (1.0, 1.0, 1.0)
    assert report.false_positives == [] and report.false_negatives == []


@pytest.mark.parametrize(
    ("predicted", "gold"),
    [
        ("Dr. Anna  Muster", "anna muster"),
        ("Prof. Dr. Anna Muster", "Anna Muster"),
        ("ANNA MUSTER", " Anna\tMuster "),
        ("Frau Anna Muster", "Anna Muster"),
        ("Dipl.-Ing. Anna Muster", "anna muster"),
    ],
)
def test_person_names_are_folded_and_titles_removed(predicted, gold):
    report = score([row(person=predicted)], [row(person=gold)])
    assert counts(report.all) == (1, 1, 1)


def test_different_person_does_not_match():
    report = score([row(person="Anna Mustermann")], [row(person="Anna Muster")])
    assert counts(report.all) == (0, 1, 1)


def test_category_must_match():
    predicted = row(role="Digitalisierungsbeauftragte", category="digital_officer")
    gold = row(role="Digitalisierungsbeauftragte", category="cdo")
    report = score([predicted], [gold])
    assert counts(report.all) == (0, 1, 1)
    assert report.false_positives == [predicted]
    assert report.false_negatives == [gold]
    assert counts(report.by_category["digital_officer"]) == (0, 1, 0)
    assert counts(report.by_category["cdo"]) == (0, 0, 1)


def test_document_must_match():
    report = score(
        [row(doc_id="birkenau_2024"), row(doc_id="lindenau_2023")], [row(doc_id="lindenau_2023", person="Jan Weber")]
    )
    # birkenau_2024 is not in the gold file; lindenau_2023 has Anna Muster predicted but Jan Weber in gold
    assert counts(report.all) == (0, 1, 1)


def test_rows_with_the_same_key_count_once():
    report = score([row(), row(), row(person="Dr. Anna Muster")], [row()])
    assert counts(report.all) == (1, 1, 1)
    assert report.false_positives == []
    assert (report.all.precision, report.all.recall) == (1.0, 1.0)


def test_two_gold_rows_of_one_key_count_once_on_the_gold_side_too():
    gold = [row(role="Chief Digital Officer"), row(role="CDO der Stadt Birkenau")]
    assert counts(score([row()], gold).all) == (1, 1, 1)
    assert counts(score([], gold).all) == (0, 0, 1)
    report = score([row(person="Jan Weber")], gold)
    assert counts(report.all) == (0, 1, 1)
    assert len(report.false_negatives) == 1


def test_a_key_with_several_rows_is_represented_by_its_most_similar_titles():
    gold = [
        row(
            person="Kai Lehner",
            role="Leiter des Amts für IT",
            category="it_head",
            start="2021-04",
            municipality="Birkenau",
        ),
        row(
            person="Kai Lehner",
            role="Leiter der Stabsstelle Digitalisierung",
            category="it_head",
            start="2023-01",
            municipality="Birkenau",
        ),
    ]
    # predicted in the other order; pairing by position would cross the start dates
    predicted = [
        row(
            person="Kai Lehner",
            role="Leiter der Stabsstelle Digitalisierung",
            category="it_head",
            start="2023-01",
            municipality="Birkenau",
        ),
        row(
            person="Kai Lehner", role="Leiter des Amts IT", category="it_head", start="2021-04", municipality="Birkenau"
        ),
    ]
    report = score(predicted, gold)
    assert counts(report.all) == (1, 1, 1)  # one key: (document, person, category)
    assert report.when_start == 1.0
    assert report.where == 1.0


def test_precision_recall_f1_are_exact_fractions():
    gold = [
        row(person="Anna Muster"),
        row(person="Jan Weber", role="Digitallotse", category="digital_pilot"),
        row(person="Lea Sommer", role="Bürgermeisterin", category="mayor", digital="no"),
        row(person="Ole Hansen", role="Leiter der IT-Abteilung", category="it_head"),
    ]
    predicted = [
        row(person="Anna Muster"),
        row(person="Jan Weber", role="Digitallotse", category="digital_pilot"),
        row(person="Lea Sommer", role="Bürgermeisterin", category="executive", digital="no"),
    ]
    report = score(predicted, gold)
    assert counts(report.all) == (2, 3, 4)
    assert report.all.precision == pytest.approx(2 / 3)
    assert report.all.recall == pytest.approx(1 / 2)
    assert report.all.f1 == pytest.approx(4 / 7)
    assert counts(report.digital) == (2, 2, 3)
    assert report.digital.precision == 1.0
    assert report.digital.recall == pytest.approx(2 / 3)
    assert report.digital.f1 == pytest.approx(4 / 5)
    assert counts(report.by_category["mayor"]) == (0, 0, 1)
    assert counts(report.by_category["executive"]) == (0, 1, 0)
    assert counts(report.by_category["it_head"]) == (0, 0, 1)
    assert report.by_category["it_head"].f1 == 0.0


def test_empty_inputs_give_zero_not_an_error():
    report = score([], [])
    assert counts(report.all) == (0, 0, 0)
    assert (report.all.precision, report.all.recall, report.all.f1) == (0.0, 0.0, 0.0)
    assert report.where is None and report.when_as_of is None and report.when_start is None


@pytest.mark.parametrize("flag", ["yes", "true", "TRUE", "1", " yes "])
def test_digital_flags_that_count(flag):
    report = score([row(digital=flag)], [row(digital=flag)])
    assert counts(report.digital) == (1, 1, 1)


@pytest.mark.parametrize("flag", ["no", "false", "0", ""])
def test_digital_flags_that_do_not_count(flag):
    report = score([row(digital=flag)], [row(digital=flag)])
    assert counts(report.digital) == (0, 0, 0)
    assert counts(report.all) == (1, 1, 1)


def test_only_digital_rows_count_as_digital():
    gold = [row(), row(person="Lea Sommer", role="Oberbürgermeisterin", category="mayor", digital="no")]
    predicted = [
        row(digital="true"),
        row(person="Lea Sommer", role="Oberbürgermeisterin", category="mayor", digital="false"),
    ]
    report = score(predicted, gold)
    assert counts(report.digital) == (1, 1, 1)
    assert counts(report.all) == (2, 2, 2)


# --- where and when -------------------------------------------------------------------------------


def test_where_and_when_shares_on_matched_digital_rows():
    gold = [
        row(person="Anna Muster", municipality="Birkenau", as_of="2024-03-12", start="2023-10"),
        row(
            person="Jan Weber",
            role="Digitallotse",
            category="digital_pilot",
            municipality="Birkenau",
            as_of="2024-03-12",
        ),
        row(
            person="Ole Hansen",
            role="IT-Leiter",
            category="it_head",
            municipality="Lindenau",
            as_of="2024-03-12",
            start="2022",
        ),
        # not digital: its municipality must not count
        row(person="Lea Sommer", role="Bürgermeisterin", category="mayor", digital="no", municipality="Birkenau"),
        # not matched: must not count
        row(person="Uwe Kranz", role="CIO", category="cdo", municipality="Birkenau", start="2020"),
    ]
    predicted = [
        row(person="Anna Muster", municipality="Birkenau", as_of="2024-03-12", start="2023-10"),
        row(
            person="Jan Weber",
            role="Digitallotse",
            category="digital_pilot",
            municipality="",
            as_of="2024-03-11",
            start="2024",
        ),
        row(
            person="Ole Hansen",
            role="IT-Leiter",
            category="it_head",
            municipality="Lindenau",
            as_of="2024-03-12",
            start="2021",
        ),
        row(person="Lea Sommer", role="Bürgermeisterin", category="mayor", digital="no", municipality="Lindenau"),
    ]
    report = score(predicted, gold)
    assert report.where == pytest.approx(2 / 3)
    assert report.when_as_of == pytest.approx(2 / 3)
    # only Anna Muster and Ole Hansen have a start in the gold file; Jan Weber's predicted start is ignored
    assert report.when_start == pytest.approx(1 / 2)


def test_no_matched_digital_rows_gives_no_shares():
    gold = [row(person="Lea Sommer", role="Bürgermeisterin", category="mayor", digital="no", municipality="Birkenau")]
    report = score(list(gold), gold)
    assert (report.where, report.when_as_of, report.when_start) == (None, None, None)


def test_when_start_is_none_when_no_gold_row_has_a_start():
    report = score([row(start="2024-01")], [row()])
    assert report.when_start is None
    assert report.when_as_of == 1.0


def test_predictions_for_documents_outside_the_gold_file_are_ignored():
    gold = [row(doc_id="birkenau_2024")]
    predicted = [
        row(doc_id="birkenau_2024"),
        row(doc_id="nicht_annotiert"),
        row(doc_id="nicht_annotiert", person="Jan Weber"),
    ]
    report = score(predicted, gold)
    assert counts(report.all) == (1, 1, 1)
    assert report.false_positives == []


# --- reading files --------------------------------------------------------------------------------


def test_read_rows_reads_a_gold_file(tmp_path):
    path = write_csv(
        tmp_path / "gold.csv",
        "doc_id,person,role,role_category,digital,evidence\n"
        'birkenau_2024,Anna Müller,CDO,cdo,yes,"Anna Müller, CDO der Gemeinde Birkenau, sagte: ""Los geht\'s."""\n',
    )
    (gold,) = read_rows(path)
    assert gold["person"] == "Anna Müller"
    assert gold["evidence"] == 'Anna Müller, CDO der Gemeinde Birkenau, sagte: "Los geht\'s."'


def test_read_rows_missing_column_names_line_1(tmp_path):
    path = write_csv(tmp_path / "gold.csv", "doc_id,person,role,digital\nbirkenau_2024,Anna Muster,CDO,yes\n")
    with pytest.raises(GoldFileError) as caught:
        read_rows(path)
    assert str(caught.value).startswith(f"{path}:1: ")
    assert "role_category" in str(caught.value)


def test_read_rows_required_columns_can_be_chosen(tmp_path):
    path = write_csv(tmp_path / "gold.csv", "doc_id,person,role_category,digital\nb,Anna Muster,cdo,yes\n")
    with pytest.raises(GoldFileError, match="municipality"):
        read_rows(path, required=("doc_id", "municipality"))


def test_read_rows_too_many_fields_names_the_line(tmp_path):
    path = write_csv(
        tmp_path / "gold.csv",
        "doc_id,person,role,role_category,digital\n"
        "birkenau_2024,Anna Muster,CDO,cdo,yes\n"
        "birkenau_2024,Weber, Jan,Digitallotse,digital_pilot,yes\n",
    )
    with pytest.raises(GoldFileError) as caught:
        read_rows(path)
    assert str(caught.value).startswith(f"{path}:3: ")


def test_read_rows_line_number_counts_line_breaks_inside_quoted_fields(tmp_path):
    path = write_csv(
        tmp_path / "gold.csv",
        "doc_id,person,role,role_category,digital,evidence\n"
        'birkenau_2024,Anna Muster,CDO,cdo,yes,"Anna Muster, CDO,\nsagte"\n'
        "birkenau_2024,Weber, Jan,Digitallotse,digital_pilot,yes,x\n",
    )
    with pytest.raises(GoldFileError) as caught:
        read_rows(path)
    assert str(caught.value).startswith(f"{path}:4: ")


def test_read_rows_too_few_fields_names_the_line(tmp_path):
    path = write_csv(tmp_path / "gold.csv", "doc_id,person,role,role_category,digital\nbirkenau_2024,Anna Muster\n")
    with pytest.raises(GoldFileError, match=f"{path}:2"):
        read_rows(path)


def test_read_rows_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_bytes(b"\xef\xbb\xbf" + b"doc_id,person,role,role_category,digital\nb,Anna Muster,CDO,cdo,yes\n")
    assert read_rows(path)[0]["doc_id"] == "b"


def test_read_rows_missing_file_and_bad_encoding(tmp_path):
    with pytest.raises(GoldFileError) as caught:
        read_rows(tmp_path / "fehlt.csv")
    assert str(tmp_path / "fehlt.csv") in str(caught.value)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("doc_id,person,role,role_category,digital\nb,Jörg Müller,CDO,cdo,yes\n".encode("latin-1"))
    with pytest.raises(GoldFileError, match="UTF-8") as caught:
        read_rows(latin1)
    assert str(latin1) in str(caught.value)


# --- output ---------------------------------------------------------------------------------------


def test_write_misses_writes_both_kinds_with_evidence(tmp_path):
    gold = [
        row(person="Anna Muster", evidence="Anna Muster, CDO der Gemeinde Birkenau"),
        row(person="Jan Weber", role="Digitallotse", category="digital_pilot", evidence='Jan Weber, „Digitallotse"'),
    ]
    predicted = [
        row(person="Anna Muster"),
        row(
            person="Heike Beispiel",
            role="Digitallotsin",
            category="digital_pilot",
            evidence="Heike Beispiel, Digitallotsin",
        ),
    ]
    path = tmp_path / "misses.csv"
    write_misses(score(predicted, gold), path)

    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames[:2] == ["kind", "doc_id"]
        assert "evidence" in reader.fieldnames
        rows = list(reader)
    assert [(r["kind"], r["person"], r["role_category"], r["evidence"]) for r in rows] == [
        ("false_positive", "Heike Beispiel", "digital_pilot", "Heike Beispiel, Digitallotsin"),
        ("false_negative", "Jan Weber", "digital_pilot", 'Jan Weber, „Digitallotse"'),
    ]


def test_write_misses_with_no_misses_writes_a_header(tmp_path):
    path = tmp_path / "misses.csv"
    write_misses(score([row()], [row()]), path)
    assert path.read_text(encoding="utf-8").splitlines() == ["kind,doc_id,person,role,role_category,digital,evidence"]


def test_format_report_has_the_headline_rows():
    gold = [
        row(municipality="Birkenau"),
        row(person="Lea Sommer", role="Bürgermeisterin", category="mayor", digital="no"),
    ]
    predicted = [row(municipality="Birkenau"), row(person="Jan Weber", role="Digitallotse", category="digital_pilot")]
    text = format_report(score(predicted, gold))
    lines = text.splitlines()
    assert lines[0].split() == ["P", "R", "F1", "match", "pred", "gold"]
    digital = next(line for line in lines if line.startswith("digital roles"))
    assert digital.split()[2:] == ["0.50", "1.00", "0.67", "1", "2", "1"]
    every = next(line for line in lines if line.startswith("all roles"))
    assert every.split()[2:] == ["0.50", "0.50", "0.50", "1", "2", "2"]
    assert any(line.split()[:1] == ["mayor"] for line in lines)
    assert any(line.split()[:1] == ["digital_pilot"] for line in lines)
    where = next(line for line in lines if line.startswith("where (municipality)"))
    assert "1.00" in where
    when_start = next(line for line in lines if line.startswith("when (start)"))
    assert when_start.split()[2] == "-"  # no gold start
