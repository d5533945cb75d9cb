"""The nlp stage: model choice, fallback and the merge of model and rule entities."""

from __future__ import annotations

import json
import logging

import pytest
import spacy
from conftest import GERMEVAL_MODEL

from pipeline.config import MODEL_INSTALL_HINT
from pipeline.nlp import build as nlp_stage
from pipeline.nlp import gazetteer
from pipeline.nlp.build import RULES_ONLY, ModelNotFoundError, add_rule_components, build_pipeline, load_base_model


def test_explicit_model_that_is_not_installed_is_an_error_with_the_install_hint():
    with pytest.raises(ModelNotFoundError) as error:
        load_base_model("de_core_news_nonexistent")
    assert MODEL_INSTALL_HINT in str(error.value)


def test_without_any_german_model_the_pipeline_runs_rules_only(monkeypatch, caplog):
    monkeypatch.setattr(nlp_stage, "is_package", lambda name: False)
    with caplog.at_level(logging.WARNING):
        nlp, info = build_pipeline()
    assert info.model == RULES_ONLY
    warnings = [record.message for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and MODEL_INSTALL_HINT in warnings[0]
    doc = nlp("Bürgermeisterin Anna Beispiel besuchte die Stadt Lindenau.")
    assert {(ent.text, ent.label_) for ent in doc.ents} >= {("Anna Beispiel", "PER"), ("Stadt Lindenau", "ORG")}


def test_fallback_prefers_the_default_then_the_next_installed_model(monkeypatch):
    installed = {"de_core_news_sm"}
    monkeypatch.setattr(nlp_stage, "is_package", lambda name: name in installed)
    monkeypatch.setattr(nlp_stage, "_load", lambda name: spacy.blank("de"))
    _, info = load_base_model(None)
    assert info.model == "de_core_news_sm"
    assert "de_core_news_lg is not installed" in info.fallback_reason
    installed.add("de_core_news_lg")
    _, info = load_base_model(None)
    assert (info.model, info.fallback_reason) == ("de_core_news_lg", "")


@pytest.mark.skipif(not GERMEVAL_MODEL.is_dir(), reason=f"stand-in model not found at {GERMEVAL_MODEL}")
def test_a_pipeline_folder_is_loaded_and_rule_entities_win_over_model_fragments():
    nlp, info = build_pipeline(str(GERMEVAL_MODEL))
    assert info.model == str(GERMEVAL_MODEL)
    doc = nlp("Oberbürgermeister Thomas Kramer begrüßte die Gäste im Rathaus der Stadt Talheim.")
    persons = [ent for ent in doc.ents if ent.label_ == "PER"]
    assert [ent.text for ent in persons] == ["Thomas Kramer"]
    assert all(ent.id_ for ent in doc.ents)  # every entity names its source


def test_entity_sources_are_recorded(nlp):
    doc = nlp("Dr. Heike Beispiel, Digitallotsin der Stadt Porta Westfalica, sprach in Minden.")
    sources = {ent.text: ent.id_ for ent in doc.ents}
    assert sources["Heike Beispiel"] == "person-anchored"  # after "Dr."
    assert sources["Stadt Porta Westfalica"] == "org-municipality"  # completed by the gazetteer
    assert sources["Minden"] == "gazetteer"


def test_user_patterns_reach_the_role_ruler(tmp_path):
    (tmp_path / "roles.jsonl").write_text(
        '{"label": "other_digital", "pattern": [{"LOWER": "ki-lotsin"}], "id": "ki-lotsin"}\n', encoding="utf-8"
    )
    blank = spacy.blank("de")
    blank.add_pipe("sentencizer")
    nlp = add_rule_components(blank, pattern_dirs=[tmp_path])
    doc = nlp("Die KI-Lotsin Jana Beispiel stellte das Projekt vor.")
    assert [(span.text, span.label_, span.id_) for span in doc.spans["role_titles"]] == [
        ("KI-Lotsin", "other_digital", "ki-lotsin")
    ]


def test_a_domain_after_a_title_is_marked_and_no_person(nlp):
    doc = nlp("Die Projektleiterin Smart City, Julia Neumann, und Teamleiter IT Max Brenner kamen.")
    assert [span.text for span in doc.spans["trailing_domains"]] == ["Smart City", "IT"]
    assert [ent.text for ent in doc.ents if ent.label_ == "PER"] == ["Julia Neumann", "Max Brenner"]


SENTENCE_TEXTS = [
    "Die Stadt Kaltenbrunn hat eine neue Digitallotsin. Frau Dr. Ute Rambach beginnt am 1. März!",
    "Wer übernimmt? (Noch offen.) Die Stelle wird ausgeschrieben...",
    "„Wir sind bereit.“ Das sagte OB Henrik Talbach. v.l.n.r.: Rita Hahn, Jörg Schmitz",
    "Am 3.4.2024 tagte der Rat!!! Danach: nichts. . .",
    "Zeile ohne Punkt\n\nZweiter Absatz. Noch ein Satz?!Kein Leerzeichen.",
    ". Beginnt mit Punkt",
    "...",
    "Ende.",
]


@pytest.mark.parametrize("text", SENTENCE_TEXTS)
def test_punctuation_sentences_split_as_spacys_sentencizer_does(text):
    sentencizer, ours = spacy.blank("de"), spacy.blank("de")
    sentencizer.add_pipe("sentencizer")
    ours.add_pipe("punctuation_sentences")
    expected = [token.is_sent_start for token in sentencizer(text)]
    assert [token.is_sent_start for token in ours(text)] == expected
    assert any(expected[1:]) or len(expected) < 3  # each text has a boundary to find


def test_punctuation_sentences_keep_starts_set_before_them_and_refuse_another_vocabulary():
    nlp = spacy.blank("de")
    splitter = nlp.add_pipe("punctuation_sentences")
    doc = nlp.make_doc("Der Beigeordnete Ali Yilmaz. Die Leiterin des Amtes.")
    doc[2].is_sent_start = True
    doc[5].is_sent_start = False  # ``Die``, after the full stop
    assert [token.i for token in splitter(doc) if token.is_sent_start] == [0, 2]
    assert len(splitter(nlp.make_doc(""))) == 0
    with pytest.raises(ValueError, match="another vocabulary"):
        splitter(spacy.blank("de").make_doc("Ein Satz."))


@pytest.mark.parametrize("text", SENTENCE_TEXTS)
def test_the_sentence_index_finds_the_sentences_spacy_finds(text):
    nlp = spacy.blank("de")
    nlp.add_pipe("punctuation_sentences")
    nlp.add_pipe("line_sentences")
    nlp.add_pipe("sentence_index")
    doc = nlp(text)
    indexed = doc.user_span_hooks.pop("sent")  # without it, spaCy walks the tokens
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            assert (indexed(doc[start:end]).start, indexed(doc[start:end]).end) == (
                doc[start:end].sent.start,
                doc[start:end].sent.end,
            )


def test_the_sentence_index_answers_token_sent_in_the_pipeline(nlp):
    doc = nlp("Die Stadt Ebersfelde hat einen CDO.\nSeit Mai leitet Ute Kern das Amt. Sie kommt aus Bielefeld.")
    assert "sent" in doc.user_span_hooks
    assert doc[9].sent.text == "Seit Mai leitet Ute Kern das Amt."
    assert [sentence.text for sentence in doc.sents][-1] == doc[-1].sent.text == "Sie kommt aus Bielefeld."


@pytest.fixture
def first_name_cache(tmp_path, monkeypatch):
    """The first-name genders read afresh, with the cache folder in ``tmp_path``."""
    monkeypatch.setattr(gazetteer, "GAZETTEER_CACHE_DIR", tmp_path)
    gazetteer._genders_by_first_name.cache_clear()
    gazetteer.first_names.cache_clear()
    yield tmp_path
    gazetteer._genders_by_first_name.cache_clear()
    gazetteer.first_names.cache_clear()


def test_first_name_genders_are_kept_in_the_cache_and_read_from_there(first_name_cache, monkeypatch):
    answers = {name: gazetteer.name_gender(name) for name in ("Leonie", "Jonas", "Maren", "Quendrikova")}
    assert answers == {"Leonie": "f", "Jonas": "m", "Maren": "f", "Quendrikova": ""}
    assert gazetteer.gender_of_name("Leonie-Sophie Brandeis") == "f"
    known = gazetteer.first_names()
    assert {"Leonie", "Jonas"} <= known and "Quendrikova" not in known
    (cache_file,) = first_name_cache.glob("first-names-*.json")

    def no_dictionary(**_):
        raise AssertionError("the name dictionary was parsed again")

    monkeypatch.setattr(gazetteer, "Detector", no_dictionary)
    gazetteer._genders_by_first_name.cache_clear()
    gazetteer.first_names.cache_clear()
    assert {name: gazetteer.name_gender(name) for name in answers} == answers
    assert gazetteer.first_names() == known
    assert cache_file.exists()


@pytest.mark.parametrize("content", ["{not json", '["Leonie", "f"]', '{"Leonie": 1}', '{"Leonie": "female"}'])
def test_a_damaged_first_name_cache_is_built_again(first_name_cache, content):
    cache_file = first_name_cache / f"first-names-{gazetteer._version('gender-guesser')}.json"
    cache_file.write_text(content, encoding="utf-8")
    assert gazetteer.name_gender("Leonie") == "f"
    assert json.loads(cache_file.read_text(encoding="utf-8"))["Jonas"] == "m"
