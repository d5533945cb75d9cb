"""Pattern files: reading, validation with file:line, user folders (patterns written for these tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import SHIPPED_PATTERNS_DIR
from pipeline.link.roles import load_category_rules
from pipeline.rules.patterns import (
    ORGANISATION_LABELS,
    PatternError,
    load_it_provider_patterns,
    load_organisation_patterns,
    load_patterns,
    load_role_patterns,
    read_pattern_file,
)
from pipeline.taxonomy import CATEGORIES

GOOD = {"label": "digital_pilot", "pattern": "Digitallotsin", "id": "test-digitallotsin"}


def line(entry: dict) -> str:
    return json.dumps(entry, ensure_ascii=False)


def write_lines(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shipped_role_ids() -> dict[str, str]:
    return {
        pattern.id: pattern.label
        for pattern in read_pattern_file(SHIPPED_PATTERNS_DIR / "roles.jsonl", labels=CATEGORIES)
    }


# --- read_pattern_file: one problem per case, always with file:line ----------------------------

# Each bad entry goes on line 5, after a good pattern, a comment and a blank line.
BAD_ENTRIES = {
    "bad JSON": ('{"label": "cdo", "pattern": "CDO", "id": "kaputt"', ["not valid JSON"]),
    "missing key": (line({"label": "cdo", "pattern": "Chief Digital Officer"}), ["missing key", "id"]),
    "unknown key": (line({**GOOD, "id": "x", "kommentar": "neu 2024"}), ["unknown key", "kommentar"]),
    "unknown label": (
        line({**GOOD, "id": "x", "label": "digitalbeauftragte"}),
        ["unknown label", "'digitalbeauftragte'"],
    ),
    "unknown token attribute": (
        line({"label": "cdo", "pattern": [{"KLEIN": "cdo"}], "id": "x"}),
        ["invalid token pattern", "KLEIN"],
    ),
    "invalid REGEX": (
        line({"label": "cdo", "pattern": [{"LOWER": {"REGEX": "^(digital|ki-beauftragte$"}}], "id": "x"}),
        ["invalid REGEX", "LOWER"],
    ),
    "every token optional": (
        line({"label": "cdo", "pattern": [{"LOWER": "neue", "OP": "?"}, {"LOWER": "cdo", "OP": "*"}], "id": "x"}),
        ["never match"],
    ),
    "only a negated token": (
        line({"label": "cdo", "pattern": [{"LOWER": "bürgermeister", "OP": "!"}], "id": "x"}),
        ["never match"],
    ),
    "empty phrase": (line({**GOOD, "id": "x", "pattern": "   "}), ["empty phrase"]),
    "empty token list": (line({**GOOD, "id": "x", "pattern": []}), ["pattern must be"]),
    "empty id": (line({**GOOD, "id": " "}), ["id must be a non-empty string"]),
    "not an object": ('["cdo", "Chief Digital Officer"]', ["must be a JSON object"]),
}


@pytest.mark.parametrize("case", sorted(BAD_ENTRIES))
def test_each_problem_is_reported_with_file_and_line(tmp_path, case):
    bad, expected = BAD_ENTRIES[case]
    path = write_lines(tmp_path / "roles.jsonl", [line(GOOD), "// Digitallotsen der Gemeinde Birkenau", "", "   ", bad])

    with pytest.raises(PatternError) as caught:
        read_pattern_file(path, labels=CATEGORIES)

    message = str(caught.value)
    assert message.startswith(f"{path}:5: "), message
    for part in expected:
        assert part in message
    assert f"{path}:1" not in message  # the good line is not blamed


def test_all_problems_of_a_file_are_reported_at_once(tmp_path):
    path = write_lines(
        tmp_path / "roles.jsonl",
        [
            line({"label": "cdo", "pattern": "CDO", "id": "a"}),
            "{kaputt",
            line({"label": "wizard", "pattern": "Zauberer", "id": "b"}),
            line({"label": "cdo", "pattern": [{"LOWER": {"REGEX": "[a-"}}], "id": "c"}),
        ],
    )
    with pytest.raises(PatternError) as caught:
        read_pattern_file(path, labels=CATEGORIES)
    message = str(caught.value)
    assert [entry.split(": ", 1)[0] for entry in message.splitlines()] == [f"{path}:2", f"{path}:3", f"{path}:4"]


def test_duplicate_id_names_the_line_of_the_first(tmp_path):
    path = write_lines(
        tmp_path / "roles.jsonl",
        [
            line({"label": "digital_pilot", "pattern": "Digitallotse", "id": "lotse"}),
            line({"label": "cdo", "pattern": "CDO", "id": "cdo"}),
            "// die weibliche Form",
            line({"label": "digital_pilot", "pattern": "Digitallotsin", "id": "lotse"}),
        ],
    )
    with pytest.raises(PatternError) as caught:
        read_pattern_file(path, labels=CATEGORIES)
    message = str(caught.value)
    assert message.startswith(f"{path}:4: ")
    assert "duplicate id 'lotse'" in message
    assert "first on line 1" in message


def test_blank_and_comment_lines_are_ignored_and_sources_count_them(tmp_path):
    path = write_lines(
        tmp_path / "roles.jsonl",
        [
            "// Rollen der Gemeinde Birkenau",
            "",
            line({"label": "digital_pilot", "pattern": "Digitallotsin", "id": "lotsin"}),
            "    // eingerückter Kommentar mit { kein JSON",
            "\t",
            line({"label": "other_digital", "pattern": [{"LOWER": {"REGEX": "^ki-beauftragte[rn]?$"}}], "id": "ki"}),
        ],
    )
    patterns = read_pattern_file(path, labels=CATEGORIES)
    assert [(p.id, p.label, p.source) for p in patterns] == [
        ("lotsin", "digital_pilot", f"{path}:3"),
        ("ki", "other_digital", f"{path}:6"),
    ]
    assert patterns[1].as_ruler_pattern() == {
        "label": "other_digital",
        "pattern": [{"LOWER": {"REGEX": "^ki-beauftragte[rn]?$"}}],
        "id": "ki",
    }


def test_labels_are_those_given(tmp_path):
    path = write_lines(
        tmp_path / "organisations.jsonl", [line({"label": "cdo", "pattern": "Stadt Birkenau", "id": "o"})]
    )
    with pytest.raises(PatternError, match="unknown label 'cdo'"):
        read_pattern_file(path, labels=ORGANISATION_LABELS)
    path.write_text(line({"label": "ORG", "pattern": "Stadt Birkenau", "id": "o"}) + "\n", encoding="utf-8")
    assert [p.label for p in read_pattern_file(path, labels=ORGANISATION_LABELS)] == ["ORG"]


def test_unreadable_file_is_a_pattern_error_naming_it(tmp_path):
    missing = tmp_path / "roles.jsonl"
    with pytest.raises(PatternError, match="cannot read"):
        read_pattern_file(missing, labels=CATEGORIES)
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(line({"label": "mayor", "pattern": "Bürgermeisterin", "id": "b"}).encode("latin-1"))
    with pytest.raises(PatternError) as caught:
        read_pattern_file(latin1, labels=CATEGORIES)
    assert str(latin1) in str(caught.value)


def test_label_that_is_a_list_is_a_pattern_error(tmp_path):
    path = write_lines(tmp_path / "roles.jsonl", [line({"label": ["cdo"], "pattern": "CDO", "id": "a"})])
    with pytest.raises(PatternError, match=f"{path}:1: "):
        read_pattern_file(path, labels=CATEGORIES)


# --- load_patterns / load_role_patterns: shipped plus user folders ------------------------------


def test_shipped_role_patterns_load_and_use_taxonomy_labels():
    patterns = load_role_patterns()
    assert len(patterns) >= 30
    assert {p.label for p in patterns} <= CATEGORIES
    assert len({p.id for p in patterns}) == len(patterns)
    roles_file = SHIPPED_PATTERNS_DIR / "roles.jsonl"
    assert all(p.source.startswith(f"{roles_file}:") for p in patterns)
    by_id = {p.id: p for p in patterns}
    assert by_id["cdo-chief-digital-officer"].label == "cdo"
    assert by_id["cdo-chief-digital-officer"].pattern == "Chief Digital Officer"


def test_shipped_organisation_patterns_load():
    patterns = load_organisation_patterns()
    assert patterns
    assert {p.label for p in patterns} == {"ORG"}
    assert all(p.source.startswith(f"{SHIPPED_PATTERNS_DIR / 'organisations.jsonl'}:") for p in patterns)


def test_shipped_it_provider_patterns_load():
    patterns = load_it_provider_patterns()
    assert len(patterns) > 100
    assert {p.label for p in patterns} == {"IT_PROVIDER"}
    assert all(p.id.startswith("it-provider-") for p in patterns)
    assert all(p.source.startswith(f"{SHIPPED_PATTERNS_DIR / 'it_providers.jsonl'}:") for p in patterns)


def test_user_pattern_with_shipped_id_replaces_it(tmp_path):
    shipped = shipped_role_ids()
    user = write_lines(
        tmp_path / "eigene" / "roles.jsonl",
        [line({"label": "other_digital", "pattern": "Chief Digital Officer", "id": "cdo-chief-digital-officer"})],
    )
    patterns = load_role_patterns([user.parent])
    by_id = {p.id: p for p in patterns}
    assert len(patterns) == len(shipped)
    assert by_id["cdo-chief-digital-officer"].label == "other_digital"
    assert by_id["cdo-chief-digital-officer"].source == f"{user}:1"
    assert by_id["cdo-abbreviation"].label == shipped["cdo-abbreviation"]  # others untouched


def test_user_pattern_with_new_id_is_added(tmp_path):
    shipped = shipped_role_ids()
    user = write_lines(
        tmp_path / "eigene" / "roles.jsonl",
        [
            "// KI in der Verwaltung Birkenau",
            line(
                {
                    "label": "other_digital",
                    "pattern": [{"LOWER": {"REGEX": "^ki-lots(e|in|en|innen)$"}}],
                    "id": "ki-lotsin",
                }
            ),
        ],
    )
    patterns = load_role_patterns([user.parent])
    assert len(patterns) == len(shipped) + 1
    added = next(p for p in patterns if p.id == "ki-lotsin")
    assert (added.label, added.source) == ("other_digital", f"{user}:2")


def test_later_user_folder_wins(tmp_path):
    first = write_lines(
        tmp_path / "a" / "roles.jsonl", [line({"label": "staff", "pattern": "Datenlotsin", "id": "daten"})]
    )
    second = write_lines(
        tmp_path / "b" / "roles.jsonl", [line({"label": "other_digital", "pattern": "Datenlotsin", "id": "daten"})]
    )
    by_id = {p.id: p for p in load_role_patterns([first.parent, second.parent])}
    assert (by_id["daten"].label, by_id["daten"].source) == ("other_digital", f"{second}:1")


def test_user_folder_without_the_file_changes_nothing(tmp_path):
    (tmp_path / "nur_kategorien").mkdir()
    assert {p.id for p in load_role_patterns([tmp_path / "nur_kategorien"])} == set(shipped_role_ids())


def test_missing_user_folder_is_a_pattern_error(tmp_path):
    with pytest.raises(PatternError, match="does not exist") as caught:
        load_role_patterns([tmp_path / "gibt_es_nicht"])
    assert str(tmp_path / "gibt_es_nicht") in str(caught.value)


def test_problems_of_every_user_file_are_reported_together(tmp_path):
    first = write_lines(tmp_path / "a" / "roles.jsonl", [line(GOOD), "{kaputt"])
    second = write_lines(tmp_path / "b" / "roles.jsonl", [line({**GOOD, "label": "lotse"})])
    with pytest.raises(PatternError) as caught:
        load_patterns("roles.jsonl", labels=CATEGORIES, user_dirs=[first.parent, second.parent])
    message = str(caught.value)
    assert f"{first}:2: not valid JSON" in message
    assert f"{second}:1: unknown label 'lotse'" in message


# --- categories.json in user folders ------------------------------------------------------------


def test_user_category_rules_add_keywords_and_refinements(tmp_path):
    (tmp_path / "categories.json").write_text(
        json.dumps(
            {
                "keywords": {"digital": ["künstliche intelligenz"]},
                "refinements": [{"heads": "^lotsin$", "when": "digital", "category": "digital_pilot"}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    shipped = load_category_rules()
    rules = load_category_rules([tmp_path])
    assert not shipped.mentions("digital", "Stabsstelle für Künstliche Intelligenz")
    assert rules.mentions("digital", "Stabsstelle für Künstliche Intelligenz")
    assert rules.mentions("digital", "Amt für Digitalisierung")  # shipped keywords stay
    assert rules.refinements[0].category == "digital_pilot"  # user refinements come first
    assert len(rules.refinements) == len(shipped.refinements) + 1


def test_user_category_rules_with_bad_json_name_the_file(tmp_path):
    path = tmp_path / "categories.json"
    path.write_text('{\n  "keywords": {"digital": ["ki\\\\b"]\n', encoding="utf-8")
    with pytest.raises(PatternError) as caught:
        load_category_rules([tmp_path])
    assert str(caught.value).startswith(f"{path}:")
    assert "not valid JSON" in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        {"refinements": [{"heads": "^lotsin$", "when": "digital", "category": "ki_lotsin"}]},
        {"by_state": [{"pattern_id": "council-stadtrat", "states": ["05"], "category": "stadtrat"}]},
    ],
    ids=["refinement", "by_state"],
)
def test_user_category_rules_with_unknown_category(tmp_path, data):
    path = tmp_path / "categories.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PatternError, match="unknown category") as caught:
        load_category_rules([tmp_path])
    assert str(path) in str(caught.value)


def test_user_refinement_with_unknown_keyword_group(tmp_path):
    (tmp_path / "categories.json").write_text(
        json.dumps({"refinements": [{"heads": "^lotsin$", "when": "ki", "category": "digital_pilot"}]}),
        encoding="utf-8",
    )
    with pytest.raises(PatternError, match="unknown keyword group 'ki'"):
        load_category_rules([tmp_path])


@pytest.mark.parametrize(
    "text",
    [
        '{"keywords": {"digital": ["(ki"]}}',
        "[]",
        '{"by_state": [{"pattern_id": "council-stadtrat", "category": "executive"}]}',
    ],
    ids=["bad-keyword-regex", "json-array", "by-state-without-states"],
)
def test_malformed_user_category_rules_are_pattern_errors(tmp_path, text):
    (tmp_path / "categories.json").write_text(text, encoding="utf-8")
    with pytest.raises(PatternError):
        load_category_rules([tmp_path])
