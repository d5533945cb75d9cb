"""Titles by composition: the title lexicon and the ``compound_titles`` component (words written for these tests)."""

from __future__ import annotations

import json

import pytest
import spacy

from pipeline.rules.lexicon import load_lexicon, read_lexicon, shipped_lexicon, write_lexicon
from pipeline.rules.patterns import PatternError


@pytest.fixture(scope="module")
def lexicon():
    return shipped_lexicon()


@pytest.mark.parametrize(
    ("word", "category"),
    [
        # closed compounds, every inflection and gender form
        ("Digitalisierungsbeauftragte", "digital_officer"),
        ("Digitalisierungsbeauftragter", "digital_officer"),
        ("Digitalisierungsbeauftragten", "digital_officer"),
        ("Digitalbeauftragte:r", "digital_officer"),
        ("Digitalisierungspartnerin", "other_digital"),
        ("Webadministrator", "other_digital"),
        ("Digitallotsin", "digital_pilot"),
        ("Digitallots:innen", "digital_pilot"),
        ("Digitallots*innen", "digital_pilot"),
        ("Digitallotsen", "digital_pilot"),
        ("Digiscout", "digital_pilot"),
        ("Digitalbotschafterinnen", "digital_pilot"),
        ("Innovationsmanagerin", "digital_manager"),
        ("Transformationsmanager", "digital_manager"),
        ("Breitbandkoordinatorin", "other_digital"),
        ("Datenschutzbeauftragte", "security_privacy"),
        ("Informationssicherheitsbeauftragten", "security_privacy"),
        ("Cybersicherheitskoordinator", "security_privacy"),
        ("Digitaldezernentin", "digital_executive"),
        ("Digitalministers", "digital_executive"),
        # hyphenated, with short domain words
        ("IT-Leiterin", "it_head"),
        ("IT-Expertin", "other_digital"),
        ("OZG-Koordinator", "other_digital"),
        ("KI-Beauftragte", "other_digital"),
        ("EDV-Leiter/-in", "it_head"),
        ("E-Government-Beauftragter", "digital_officer"),
        ("e-Government-Koordinatorin", "digital_officer"),
        # spaced and camel-cased domains in one word
        ("SmartCity-Manager", "smart_city"),
        ("Smart-City-Koordinatorinnen", "smart_city"),
        # neutral modifiers around the domain
        ("Kreisdigitalisierungsbeauftragter", "digital_officer"),
        ("Digitalisierungsprojektleiterin", "other_digital"),
        ("Glasfaserausbau-Koordinator", "other_digital"),
        # heads without a domain keep their class's default
        ("Abteilungsleiterin", "staff"),
        ("Gleichstellungsbeauftragte", "staff"),
        ("Beigeordneten", "executive"),
        ("Personaldezernent", "executive"),
        ("Geschäftsführerin", "external"),
        ("Vorständin", "external"),
    ],
)
def test_title_words_and_their_category(lexicon, word, category):
    parse = lexicon.parse(word)
    assert parse is not None, word
    assert parse.category == category


@pytest.mark.parametrize(
    "word",
    ["Manager", "Partnerin", "Expertinnen", "Verantwortliche", "Botschafter", "Direktorin", "Mitarbeiter"],
)
def test_heads_that_are_titles_only_with_a_domain(lexicon, word):
    parse = lexicon.parse(word)
    assert parse is not None and parse.category is None


@pytest.mark.parametrize(
    "word",
    ["Kitaleiterin", "Kirchenleiter", "Bitleiter", "leiter", "Leitung", "Digitalisierung", "Itzehoe", "Kiosk"],
)
def test_short_domain_words_do_not_match_inside_other_words(lexicon, word):
    parse = lexicon.parse(word)
    assert parse is None or parse.domain is None, word


def test_organisation_prefix_of_a_title(lexicon):
    parse = lexicon.parse("Nordwerk-Geschäftsführerin")
    assert parse.organisation_prefix == "Nordwerk"
    assert parse.head.head == "geschäftsführer"
    assert parse.category == "external"  # the link stage decides whether Nordwerk is an IT provider


def test_domain_written_apart(lexicon):
    assert lexicon.domain_of("Smart City") == "smart_city"
    assert lexicon.domain_of("Open Data") == "other"
    assert lexicon.domain_of("IT") == "it"
    assert lexicon.domain_of("Rathaus") is None


def test_class_category_takes_the_first_group_of_its_order(lexicon):
    assert lexicon.category("lead", {"other", "it"}) == "it_head"
    assert lexicon.category("lead", set()) == "staff"
    assert lexicon.category("manager", set()) is None


def test_predicative_adjective_only_in_lower_case_and_alone(lexicon):
    assert lexicon.parse("zuständig").category is None
    assert lexicon.parse("zuständiger") is None
    assert lexicon.parse("unzuständig") is None


# --- user files --------------------------------------------------------------------------------


def write_jsonl(path, *entries):
    path.write_text("".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries), encoding="utf-8")


def test_a_user_head_composes_with_every_shipped_domain(tmp_path):
    write_jsonl(tmp_path / "title_heads.jsonl", {"head": "kümmerer", "inflection": "noun", "class": "pilot"})
    lexicon = load_lexicon([tmp_path])
    assert lexicon.parse("Digitalkümmerin").category == "digital_pilot"
    assert lexicon.parse("Smart-City-Kümmerer").category == "smart_city"
    assert lexicon.parse("Kümmerer").category is None  # pilots need a domain
    assert shipped_lexicon().parse("Digitalkümmerin") is None


def test_a_user_domain_word(tmp_path):
    write_jsonl(tmp_path / "title_domains.jsonl", {"word": "robotik", "group": "innovation"})
    assert load_lexicon([tmp_path]).parse("Robotikmanagerin").category == "digital_manager"


@pytest.mark.parametrize(
    ("name", "entry", "message"),
    [
        ("title_heads.jsonl", {"head": "lotse", "inflection": "strong", "class": "pilot"}, "unknown inflection"),
        ("title_heads.jsonl", {"head": "lotse", "inflection": "weak", "class": "navigator"}, "unknown class"),
        ("title_heads.jsonl", {"head": "Lotse", "inflection": "weak", "class": "pilot"}, "lower case"),
        ("title_heads.jsonl", {"head": "lotse", "class": "pilot"}, "either 'inflection'"),
        ("title_heads.jsonl", {"head": "lotse", "inflection": "weak", "class": "pilot", "colour": 1}, "unknown key"),
        ("title_domains.jsonl", {"word": "robotik", "group": "robots"}, "unknown group"),
        ("title_domains.jsonl", {"word": "robotik", "group": "it", "label": "ja"}, "'label' must be true or false"),
        ("title_classes.jsonl", {"class": "pilot", "default": "pilotin"}, "unknown category"),
        ("title_classes.jsonl", {"class": "pilot", "by_domain": {"digital": "lotsen"}}, "unknown category"),
    ],
)
def test_bad_lexicon_lines_name_file_and_line(tmp_path, name, entry, message):
    path = tmp_path / name
    path.write_text("// a comment\n" + json.dumps(entry) + "\n", encoding="utf-8")
    with pytest.raises(PatternError) as error:
        load_lexicon([tmp_path])
    assert f"{path}:2:" in str(error.value)
    assert message in str(error.value)


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "title_domains.jsonl"
    path.write_text('{"word": "robotik", "group": "innovation"}\n{"word": \n', encoding="utf-8")
    with pytest.raises(PatternError, match=rf"{path}:2: not valid JSON"):
        load_lexicon([tmp_path])


def test_write_and_read_give_the_same_lexicon(tmp_path, lexicon):
    write_lexicon(lexicon, tmp_path)
    again = read_lexicon(tmp_path)
    assert [head.forms for head in again.heads] == [head.forms for head in lexicon.heads]
    assert again.classes.keys() == lexicon.classes.keys()
    for word in ("Digitallots:innen", "IT-Leiterin", "Staatsminister", "zuständig"):
        assert again.parse(word) == lexicon.parse(word) or again.parse(word).category == lexicon.parse(word).category


# --- the component ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def composer_nlp():
    nlp = spacy.blank("de")
    nlp.add_pipe("gender_forms")  # ``Expert`` ``:`` ``innen`` -> ``Expert:innen``
    nlp.add_pipe("compound_titles")
    return nlp


def titles(nlp, text):
    doc = nlp(text)
    return [(span.text, span.label_) for span in doc.spans.get("role_titles", [])]


def test_component_finds_titles_in_text(composer_nlp):
    text = "Die Kreisverwaltung Ostmark hat eine neue Digitalisierungsbeauftragte und zwei IT-Expert:innen."
    assert titles(composer_nlp, text) == [
        ("Digitalisierungsbeauftragte", "digital_officer"),
        ("IT-Expert:innen", "other_digital"),
    ]


def test_component_spaced_domain_before_a_bare_head(composer_nlp):
    assert titles(composer_nlp, "Sie ist Smart City Managerin in Talheim.") == [("Smart City Managerin", "smart_city")]
    assert titles(composer_nlp, "Der IT Leiter kam.") == [("IT Leiter", "it_head")]


def test_component_coordinated_domain(composer_nlp):
    assert titles(composer_nlp, "als Informations- und Datenschutzbeauftragter") == [
        ("Informations- und Datenschutzbeauftragter", "security_privacy")
    ]
    assert titles(composer_nlp, "die Digital- und Changemanagerin") == [
        ("Digital- und Changemanagerin", "digital_manager")
    ]


def test_component_deputy_of_a_title(composer_nlp):
    doc = composer_nlp("Die Stellvertreterin des IT-Leiters und ein Vertreter der Datenschutzbeauftragten kamen.")
    spans = [(span.text, span.label_, span.id_) for span in doc.spans["role_titles"]]
    assert ("Stellvertreterin des IT-Leiters", "it_head", "lexicon:leiter+it") in spans
    assert ("Vertreter der Datenschutzbeauftragten", "security_privacy", "lexicon:beauftragter+security") in spans
    assert ("IT-Leiters", "it_head", "lexicon:leiter+it") in spans


def test_component_function_labels_only_in_label_position(composer_nlp):
    assert titles(composer_nlp, "Anna Rieck, IT, und Bernd Hofer, Datenschutz; dazu Schulen, IT und Bau.") == [
        ("IT", "other_digital"),
        ("Datenschutz", "security_privacy"),
    ]


def test_explicit_patterns_win_over_the_lexicon():
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "role_titles"})
    ruler.add_patterns([{"label": "digital_officer", "pattern": "KI-Beauftragte", "id": "user-ki"}])
    nlp.add_pipe("compound_titles")
    doc = nlp("Die neue KI-Beauftragte und der Webadministrator")
    assert [(span.text, span.label_, span.id_) for span in doc.spans["role_titles"]] == [
        ("KI-Beauftragte", "digital_officer", "user-ki"),
        ("Webadministrator", "other_digital", "lexicon:administrator+it"),
    ]


def test_component_to_disk_and_from_disk(tmp_path, composer_nlp):
    user = tmp_path / "user"
    user.mkdir()
    write_jsonl(user / "title_heads.jsonl", {"head": "kümmerer", "inflection": "noun", "class": "pilot"})
    nlp = spacy.blank("de")
    nlp.add_pipe("compound_titles").set_lexicon(load_lexicon([user]))
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert titles(loaded, "Der Digitalkümmerer kommt.") == [("Digitalkümmerer", "digital_pilot")]
    assert titles(composer_nlp, "Der Digitalkümmerer kommt.") == []


def test_a_user_label_word_stands_alone_after_a_name(tmp_path):
    (tmp_path / "title_domains.jsonl").write_text('{"word": "robotik", "group": "it", "label": true}\n')
    lexicon = load_lexicon([tmp_path])
    assert lexicon.label_group("Robotik") == "it"
    assert lexicon.label_group("Kita") is None
    assert lexicon.category("label", ["it"]) == "other_digital"
