"""The cached span ruler finds exactly what spaCy's span_ruler finds, with the same patterns."""

from __future__ import annotations

from collections import Counter

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp.fast_ruler import UNBOUNDED, _anchor
from pipeline.nlp.strings import StringAnswers
from pipeline.rules.patterns import load_organisation_patterns, load_role_patterns

# Patterns beyond the shipped ones: every operator, several anchors, none at all.
EXTRA_PATTERNS = [
    {"label": "ORG", "id": "star", "pattern": [{"LOWER": "amt"}, {"IS_LOWER": True, "OP": "*"}, {"IS_TITLE": True}]},
    {"label": "ORG", "id": "plus", "pattern": [{"IS_TITLE": True, "OP": "+"}, {"TEXT": "GmbH"}]},
    {
        "label": "ORG",
        "id": "optional",
        "pattern": [{"LOWER": "die", "OP": "?"}, {"LOWER": {"IN": ["stadt", "gemeinde"]}}],
    },
    {"label": "ORG", "id": "range", "pattern": [{"LOWER": "kreis"}, {"IS_TITLE": True, "OP": "{1,2}"}]},
    {"label": "ORG", "id": "not", "pattern": [{"LOWER": "landkreis"}, {"IS_PUNCT": True, "OP": "!"}]},
    {"label": "ORG", "id": "unanchored", "pattern": [{"IS_TITLE": True}, {"IS_DIGIT": True}]},
    {"label": "ORG", "id": "phrase", "pattern": "Muster Systemhaus GmbH"},
]

TEXTS = [
    "Oberbürgermeisterin Dr. Anna Beispiel (SPD) stellte die neue Digitallots:in des Amtes für Digitales vor.",
    "v.l.n.r.: Erster Beigeordneter Jens Muster, IT-Leiter/in Kim Probe und OB Frank Platzhalter.",
    (
        "Die Stadt Musterhausen und die Gemeinde Beispieldorf gründen mit der Muster Systemhaus GmbH "
        "das Kommunale Rechenzentrum Minden-Ravensberg/Lippe."
    ),
    (
        "Seit Dezember ist Lena Beispiel Leiterin der Stabsstelle Digitalisierung im Amt für zentrale Dienste; "
        "zuvor war sie persönliche Referentin des Beigeordneten im Kreis Musterland Süd."
    ),
    (
        "Der Landkreis Beispiel, vertreten durch Landrat Klaus Muster, und der Zweckverband Muster-IT "
        "sowie die Smart City Managerin Eva Probe und der Chief Digital Officer (CDO) Tom Test."
    ),
    "",
    "Amt",
    "Stadt",
]


def _ruler_pair(patterns: list[dict], *, phrase_attr: str | None = None):
    """spaCy's span_ruler and the cached one, with the same patterns on the same vocabulary."""
    nlp = spacy.blank("de")
    config = {"phrase_matcher_attr": phrase_attr}
    reference = nlp.add_pipe("span_ruler", name="reference", config=config)
    reference.add_patterns(patterns)
    cached = nlp.add_pipe("cached_span_ruler", name="cached", config=config)
    cached.add_patterns(patterns)
    return nlp, reference, cached


def _found(ruler, doc) -> list[tuple[int, int, str, str]]:
    return [(span.start, span.end, span.label_, span.id_) for span in ruler.match(doc)]


@pytest.fixture(scope="module")
def organisation_rulers():
    patterns = [pattern.as_ruler_pattern() for pattern in load_organisation_patterns(())]
    return _ruler_pair(patterns + EXTRA_PATTERNS)


@pytest.fixture(scope="module")
def role_rulers():
    return _ruler_pair([pattern.as_ruler_pattern() for pattern in load_role_patterns(())], phrase_attr="LOWER")


@pytest.mark.parametrize("text", TEXTS)
def test_same_spans_as_span_ruler_on_organisation_patterns(organisation_rulers, text):
    nlp, reference, cached = organisation_rulers
    doc = nlp.make_doc(text)
    assert _found(cached, doc) == _found(reference, doc)


@pytest.mark.parametrize("text", TEXTS)
def test_same_spans_as_span_ruler_on_role_patterns(role_rulers, text):
    nlp, reference, cached = role_rulers
    doc = nlp.make_doc(text)
    assert _found(cached, doc) == _found(reference, doc)


def test_the_texts_exercise_every_kind_of_pattern(organisation_rulers):
    nlp, _, cached = organisation_rulers
    found_ids = {span_id for text in TEXTS for *_, span_id in _found(cached, nlp.make_doc(text))}
    assert {"star", "plus", "optional", "range", "not", "phrase", "org-company", "org-municipality"} <= found_ids


WORDS = [
    "Stadt", "stadt", "Gemeinde", "Amt", "amt", "für", "Digitales", "digitale", "neue", "IT", "und", "oder",
    "GmbH", "AG", "Muster", "Beispiel", "Systemhaus", "Essener", "Kreis", "Landkreis", "2024", "(", ")", ",",
    ".", "die", "Erster", "erster", "Beigeordneter", "Bürgermeisterin", "Digitallots:innen", "CDO", "Chief",
    "Digital", "Officer", "Smart", "City", "Managerin", "kommunale", "Rechenzentrum", "Kommunales", "vg-",
    "Leiter", "stellvertretende", "Amtsleiterin", "Referat", "landesverwaltung", "Thüringer", "\n",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_same_spans_as_span_ruler_on_any_token_sequence(organisation_rulers, role_rulers, words):
    for nlp, reference, cached in (organisation_rulers, role_rulers):
        doc = spacy.tokens.Doc(nlp.vocab, words=words)
        assert _found(cached, doc) == _found(reference, doc)


def test_patterns_are_kept_as_span_ruler_keeps_them(organisation_rulers, role_rulers):
    for _, reference, cached in (organisation_rulers, role_rulers):
        assert cached.patterns == reference.patterns
        assert (cached.labels, cached.ids, len(cached)) == (reference.labels, reference.ids, len(reference))


def test_answers_are_kept_across_documents_and_stay_right(role_rulers):
    nlp, reference, cached = role_rulers
    for text in TEXTS * 2:
        doc = nlp.make_doc(text)
        assert _found(cached, doc) == _found(reference, doc)


def test_removed_patterns_no_longer_match():
    patterns = [
        {"label": "cdo", "id": "cdo-abbreviation", "pattern": [{"TEXT": "CDO"}]},
        {"label": "mayor", "id": "mayor-erster", "pattern": [{"LOWER": "erster"}, {"LOWER": "bürgermeister"}]},
        {"label": "mayor", "id": "mayor-ob", "pattern": [{"TEXT": "OB"}]},
    ]
    nlp, _, cached = _ruler_pair(patterns)
    doc = nlp.make_doc("Erster Bürgermeister Max Muster, CDO Eva Probe und OB Jan Test")
    cached.remove("cdo")
    cached.remove_by_id("mayor-erster")
    assert [span.text for span in cached.match(doc)] == ["OB"]


def test_patterns_survive_to_disk_and_from_disk(organisation_rulers, tmp_path):
    nlp, reference, cached = organisation_rulers
    cached.to_disk(tmp_path / "ruler")
    other = spacy.blank("de")
    loaded = other.add_pipe("cached_span_ruler").from_disk(tmp_path / "ruler")
    assert loaded.patterns == cached.patterns
    for text in TEXTS:
        assert _found(loaded, other.make_doc(text)) == _found(reference, nlp.make_doc(text))


@pytest.mark.parametrize(
    ("pattern", "anchor_words", "before", "after"),
    [
        ([{"LOWER": {"REGEX": "^erste[rn]?$"}}, {"LOWER": {"IN": ["beigeordneter"]}}], {"beigeordneter"}, 1, 1),
        ([{"IS_TITLE": True}, {"IS_TITLE": True}, {"TEXT": {"IN": ["GmbH", "AG"]}}], {"GmbH", "AG"}, 2, 1),
        ([{"LOWER": "amt"}, {"LOWER": "für"}, {"IS_LOWER": True, "OP": "{,4}"}, {"IS_TITLE": True}], {"amt"}, 0, 7),
        ([{"LOWER": "amt"}, {"IS_LOWER": True, "OP": "*"}, {"IS_TITLE": True}], {"amt"}, 0, UNBOUNDED),
        ([{"IS_TITLE": True, "OP": "+"}, {"TEXT": "GmbH"}], {"GmbH"}, UNBOUNDED, 1),
        ([{"LOWER": "die", "OP": "?"}, {"LOWER": "stadt"}, {"IS_TITLE": True, "OP": "{2}"}], {"stadt"}, 1, 3),
    ],
)
def test_anchor_is_a_word_test_with_the_reach_of_the_pattern(pattern, anchor_words, before, after):
    anchor = _anchor(pattern)
    assert anchor is not None
    assert (anchor.test.words, anchor.before, anchor.after) == (frozenset(anchor_words), before, after)


@pytest.mark.parametrize(
    "pattern",
    [
        [{"IS_TITLE": True}, {"IS_DIGIT": True}],  # no string test
        [{"LOWER": "die", "OP": "?"}, {"IS_TITLE": True}],  # the only string test is optional
        [{"LOWER": {"NOT_IN": ["stadt"]}}, {"IS_TITLE": True}],  # a test that says what a token is not
    ],
)
def test_patterns_without_a_required_string_test_have_no_anchor(pattern):
    assert _anchor(pattern) is None


def test_string_answers_find_tokens_by_their_string_once():
    asked: list[str] = []

    def first_name(text: str) -> bool | None:
        asked.append(text)
        return True if text in {"Anna", "Jens"} else None

    nlp = spacy.blank("de")
    answers = StringAnswers(nlp.vocab, first_name)
    for text in ("Anna und Jens treffen Anna", "Anna trifft Jens"):
        doc = nlp(text)
        positions = answers.positions(doc)
        assert [doc[i].text for i in positions.tolist()] == [t.text for t in doc if t.text in {"Anna", "Jens"}]
    counts = Counter(asked)
    assert [counts[word] for word in ("Anna", "und", "Jens", "treffen", "trifft")] == [1, 1, 1, 1, 1]


def test_string_answers_give_each_hit_its_answer_and_ask_again_after_a_change():
    nlp = spacy.blank("de")
    answers = StringAnswers(nlp.vocab, lambda text: len(text) if text.startswith("digital") else None, lower=True)
    doc = nlp("Die Digitallotsin und der digitale Wandel")
    assert answers.hits(doc) == [(1, 13), (4, 8)]
    answers.change(lambda text: text.upper() if text == "wandel" else None)
    assert answers.hits(nlp("Der Wandel bleibt")) == [(1, "WANDEL")]
    assert answers.hits(nlp("Ohne Treffer")) == []


def test_string_answers_follow_merged_tokens():
    nlp = spacy.blank("de")
    answers = StringAnswers(nlp.vocab, lambda text: True if text == "Digitallots:innen" else None)
    doc = nlp("Die Digitallots:innen kommen")
    assert answers.positions(doc).tolist() == []  # three tokens: Digitallots : innen
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[1:4])
    assert answers.positions(doc).tolist() == [1]


def test_string_answers_refuse_a_document_of_another_vocabulary():
    answers = StringAnswers(spacy.blank("de").vocab, lambda text: True)
    with pytest.raises(ValueError, match="another vocabulary"):
        answers.positions(spacy.blank("de")("Ein Text"))
