"""The review page without a browser: reading an output folder, the evidence fragments, the embedded data, the CLI."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from spacy import displacy
from typer.testing import CliRunner

from cli import app
from pipeline.report.data import ReportError, read_output
from pipeline.report.evidence import DISPLACY_OPTIONS, Context, highlights, render_evidence, sentence_context
from pipeline.report.page import category_order, page_data, render_page, script_json
from tests.report_tables import role_in, write_output, write_tenures

RUNNER = CliRunner()
TENURE_DAY = date(2024, 5, 6)

TEXT = (
    "Neue Lotsinnen in Lindenhöhe\n"
    "\n"
    "Lindenhöhe, 6. Mai 2024. Die Stadt hat zwei Digitallotsinnen ausgebildet. Bürgermeister Dr. Tobias Wendrich "
    "stellte Jasmin Oberkamp und Clara Süderbeck als neue Digitallotsinnen vor. Oberkamp arbeitet seit 2021 als "
    "Leiterin des Amtes für Informationstechnik der Stadt. Die Schulungen beginnen im Juni.\n"
)
HOSTILE = (
    'Warnung </textarea><script>window.__pwned = 1; document.title = "pwned"</script>\n'
    "\n"
    'Sprecherin Mira Quellenbach sagte "\'Hallo\'" und <a href="javascript:window.__pwned = 2">klick</a>'
    ' </script><img src=x onerror="window.__pwned = 3"> \u2028 Ende.\n'
)


def data_rows(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.DOTALL)
    return json.loads(block.group(1))


# --- the sentence and its highlights -----------------------------------------------------------------


def test_the_context_is_the_sentence_of_the_evidence_not_the_headline_or_the_next_sentence():
    start = TEXT.index("Bürgermeister")
    context = sentence_context(TEXT, start, start + len("Bürgermeister Dr. Tobias Wendrich"))
    assert context.text.startswith("Bürgermeister Dr. Tobias Wendrich stellte")
    assert context.text.endswith("als neue Digitallotsinnen vor.")  # "Dr." and "6. Mai" end no sentence
    assert context.text[context.evidence_start : context.evidence_end] == "Bürgermeister Dr. Tobias Wendrich"


def test_a_short_line_is_its_own_context():
    text = "Kurz notiert\nFoto: Landrätin Wiebke Hallgarten (links)\nWeiter im Text."
    start = text.index("Landrätin")
    assert sentence_context(text, start, start + 9).text == "Foto: Landrätin Wiebke Hallgarten (links)"


def test_an_inflected_and_gendered_title_and_the_full_name_are_highlighted():
    context = Context("Er stellte Jasmin Oberkamp und Clara Süderbeck als neue Digitallotsinnen vor.", 11, 74)
    spans = highlights(context, person="Clara Süderbeck", role="Digitallotsin")
    found = {span["label"]: context.text[span["start"] : span["end"]] for span in spans}
    assert found == {"PERSON": "Clara Süderbeck", "TITLE": "Digitallotsinnen"}


def test_a_surname_alone_is_found_and_a_title_with_its_complement_matches_word_by_word():
    context = Context("Oberkamp arbeitet seit 2021 als Leiterin des Amtes für Informationstechnik der Stadt.", 0, 75)
    spans = highlights(context, person="Jasmin Oberkamp", role="Leiterin des Amts für Informationstechnik")
    found = {span["label"]: context.text[span["start"] : span["end"]] for span in spans}
    assert found == {"PERSON": "Oberkamp", "TITLE": "Leiterin des Amtes für Informationstechnik"}


def test_the_occurrence_inside_the_evidence_wins_and_missing_strings_are_not_marked():
    text = "Der Sprecher lobte. Sprecher Ole Brinkhus sagte dann etwas."
    context = Context(text, text.index("Sprecher Ole"), text.index(" sagte"))
    spans = highlights(context, person="Ole Brinkhus", role="Sprecher")
    assert [(span["label"], span["start"]) for span in spans] == [
        ("TITLE", text.index("Sprecher Ole")),
        ("PERSON", text.index("Ole")),
    ]
    assert highlights(context, person="Ines Wagenfeld", role="Kämmerin") == []


def test_the_fragment_is_what_displacy_render_gives_for_the_same_entities():
    context = Context("Kämmerin Ines Wagenfeld lobte den Plan.", 0, 23)
    expected = displacy.render(
        {"text": context.text, "ents": highlights(context, person="Ines Wagenfeld", role="Kämmerin"), "title": None},
        style="ent",
        manual=True,
        page=False,
        jupyter=False,
        options=DISPLACY_OPTIONS,
    )
    assert render_evidence(context, person="Ines Wagenfeld", role="Kämmerin") == expected


def test_displacy_escapes_markup_in_the_text():
    start = HOSTILE.index("Sprecherin")
    rendered = render_evidence(
        sentence_context(HOSTILE, start, start + 27), person="Mira Quellenbach", role="Sprecherin"
    )
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned = 3&quot;&gt;" in rendered
    assert rendered.count('<mark class="entity entity-') == 2


# --- the embedded data -------------------------------------------------------------------------------


def test_script_json_cannot_end_its_block_and_reads_back_the_same():
    value = {"text": HOSTILE, "also": "a & b > c"}
    encoded = script_json(value)
    assert not re.search("[<>&\u2028\u2029]", encoded)
    assert json.loads(encoded) == value


def test_offsets_count_utf16_code_units_where_a_text_has_characters_beyond_the_bmp(tmp_path):
    text = "Grüße 🎉🎉 aus Talbrück\n\nOrtsbürgermeisterin Henrike Aldag begrüßte die Gäste.\n"
    row = role_in("feier", text, "Ortsbürgermeisterin Henrike Aldag", "Henrike Aldag", "Ortsbürgermeisterin", "mayor")
    data, texts = page_data(read_output(write_output(tmp_path, {"feier": text}, [row])))
    at = data["rows"][0]["at"]
    utf16 = texts[0].encode("utf-16-le")
    assert utf16[at[0] * 2 : at[1] * 2].decode("utf-16-le") == "Ortsbürgermeisterin Henrike Aldag"


def test_a_missing_file_and_a_changed_file_keep_their_rows_with_the_evidence(tmp_path):
    texts = {"fehlt": TEXT, "geaendert": TEXT}
    rows = [
        role_in(doc_id, TEXT, "Bürgermeister Dr. Tobias Wendrich", "Tobias Wendrich", "Bürgermeister", "mayor")
        for doc_id in texts
    ]
    out = write_output(tmp_path, texts, rows, missing=("fehlt",))
    Path(tmp_path / "raw" / "geaendert.txt").write_text("Ganz anderer Text.\n" + TEXT, encoding="utf-8")
    data, embedded = page_data(read_output(out))
    documents = {document["id"]: document for document in data["documents"]}
    assert not documents["fehlt"]["hasText"] and "unavailable" in documents["fehlt"]["note"]
    assert documents["geaendert"]["hasText"] and "changed" in documents["geaendert"]["note"]
    assert list(embedded) == [1]
    for row in data["rows"]:
        assert row["at"] is None
        assert 'entity-PERSON">Tobias Wendrich<span' in row["html"]  # highlighted in the evidence alone


def test_rows_are_grouped_by_municipality_and_categories_listed_digital_first(tmp_path):
    texts = {"a": TEXT, "b": TEXT}
    rows = [
        role_in(
            "a",
            TEXT,
            "Bürgermeister Dr. Tobias Wendrich",
            "Tobias Wendrich",
            "Bürgermeister",
            "mayor",
            municipality="Talbrück",
        ),
        role_in("b", TEXT, "Jasmin Oberkamp", "Jasmin Oberkamp", "Digitallotsin", "digital_pilot"),
        role_in(
            "b", TEXT, "Clara Süderbeck", "Clara Süderbeck", "Digitallotsin", "digital_pilot", municipality="Lindenhöhe"
        ),
    ]
    data, _ = page_data(read_output(write_output(tmp_path, texts, rows)))
    assert [row["municipality"] for row in data["rows"]] == ["Lindenhöhe", "Talbrück", ""]
    assert category_order({"mayor", "cdo", "staff", "it_head", "invented"}) == [
        "cdo",
        "it_head",
        "mayor",
        "staff",
        "invented",
    ]
    keys = [category["key"] for category in data["categories"]]
    assert keys.index("other_digital") < keys.index("council")


def test_a_tenures_table_is_passed_to_the_page_and_none_without_one(tmp_path):
    row = role_in("a", TEXT, "Jasmin Oberkamp", "Jasmin Oberkamp", "Digitallotsin", "digital_pilot")
    out = write_output(tmp_path, {"a": TEXT}, [row])
    assert page_data(read_output(out))[0]["tenures"] is None
    write_tenures(
        out,
        [
            {
                "person": "Jasmin Oberkamp",
                "role": "Digitallotsin",
                "role_category": "digital_pilot",
                "digital": True,
                "municipality": "Lindenhöhe",
                "start": "2021",
                "first_attested": TENURE_DAY,
                "last_attested": TENURE_DAY,
                "status_at_last": "current",
            }
        ],
    )
    tenures = page_data(read_output(out))[0]["tenures"]
    assert [(t["person"], t["start"], t["first_attested"]) for t in tenures] == [
        ("Jasmin Oberkamp", "2021", "2024-05-06")
    ]


def test_the_page_allows_only_its_own_script(tmp_path):
    row = role_in("a", HOSTILE, "Sprecherin Mira Quellenbach", "Mira Quellenbach", "Sprecherin", "staff")
    data, texts = page_data(read_output(write_output(tmp_path, {"a": HOSTILE}, [row])))
    page = render_page(data, texts)
    assert page.count("<script>") == 1  # the page's own; data blocks are type="application/json"
    assert "script-src 'sha256-" in page and "default-src 'none'" in page
    assert data_rows(page)["rows"][0]["evidence"] == "Sprecherin Mira Quellenbach"


# --- reading the folder and the command line -----------------------------------------------------------


def test_bad_folders_are_usage_errors_with_the_reason(tmp_path):
    assert RUNNER.invoke(app, ["report", str(tmp_path / "nowhere")]).exit_code == 2
    result = RUNNER.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2 and "no documents.parquet" in result.output
    (tmp_path / "documents.parquet").write_bytes(b"not parquet")
    result = RUNNER.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2 and "cannot read the table" in result.output
    assert not (tmp_path / "report.html").exists()


def test_a_table_without_a_needed_column_is_named(tmp_path):
    out = write_output(tmp_path, {"a": TEXT}, [])
    table = pq.read_table(out / "roles.parquet").drop(["evidence"])
    pq.write_table(table, out / "roles.parquet")
    with pytest.raises(ReportError, match="roles.parquet: missing column.*evidence"):
        read_output(out)


def test_report_writes_the_page_where_asked_and_an_output_without_roles_says_so(tmp_path):
    out = write_output(tmp_path, {"a": TEXT}, [])
    result = RUNNER.invoke(app, ["report", str(out), "--out", str(tmp_path / "pages" / "review.html")])
    assert result.exit_code == 0, result.output
    assert "0 rows of 1 documents" in result.output
    page = (tmp_path / "pages" / "review.html").read_text(encoding="utf-8")
    assert data_rows(page)["rows"] == []
    assert "This output has no roles" in page
    assert not list((tmp_path / "pages").glob(".*.tmp"))
