"""spaCy components that add what a statistical model misses.

Each component is a registered factory with its ``default_config`` and a
``__call__(doc) -> doc``; they write span groups that later components and
the extractors in :mod:`pipeline.link.roles` and :mod:`pipeline.link.holders` read:

* ``municipal_places``   -> ``doc.spans["places"]`` (gazetteer places) and
  ``doc.spans["place_adjectives"]`` (``Essener``, ``Darmstädter``)
* ``municipal_persons``  -> ``doc.spans["persons"]`` (names anchored on first
  names, honorifics and role titles, and later surname-only mentions)
* ``entity_merger``      -> ``doc.ents`` from the model's entities and the rule
  spans, each entity's ``id_`` naming its source (``model`` or the rule)
* ``sentence_index``     -> ``Span.sent`` answered from the sentence starts, once set

Sentence starts come from ``punctuation_sentences`` (spaCy's sentencizer rule,
without a model) and ``line_sentences`` (line breaks that end a sentence).

Organisations and role titles are found by ``cached_span_ruler``
(:mod:`pipeline.nlp.fast_ruler`) with the pattern files (see :mod:`pipeline.nlp.build`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

import numpy as np
from spacy.attrs import IS_PUNCT, IS_SPACE, ORTH, SENT_START
from spacy.lang.de.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from pipeline.nlp.gazetteer import STATE_CODES, districts, first_names, german_places, places_by_demonym
from pipeline.nlp.phrases import PhraseIndex
from pipeline.nlp.strings import StringAnswers
from pipeline.text import dates

PLACES_KEY = "places"
PLACE_ADJECTIVES_KEY = "place_adjectives"
DISTRICTS_KEY = "districts"  # each span's id is the district's official name
PERSONS_KEY = "persons"
ORGANISATIONS_KEY = "organisations"
ROLE_TITLES_KEY = "role_titles"
# A domain written after a title (``Projektleiterin Smart City``): part of no name (``compound_titles``).
TRAILING_DOMAINS_KEY = "trailing_domains"
# Organisations of ``it_providers.jsonl`` carry this label in their span group and are ``ORG`` entities.
IT_PROVIDER_LABEL = "IT_PROVIDER"
# The organisation pattern for ``Stadt X``, which the place tagger completes to ``Stadt X Y``.
MUNICIPAL_ORGANISATION_RULE = "org-municipality"

MODEL_SOURCE = "model"
TOWN_POPULATION = 10_000

HONORIFICS = frozenset({"Herr", "Herrn", "Frau", "Dr.", "Prof.", "Professor", "Professorin", "Dipl.-Ing."})
NAME_PARTICLES = frozenset({"von", "van", "de", "der", "den", "zu", "vom", "ten", "di", "da"})
ARTICLES = frozenset({"der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "einem", "einen", "eines"})
MONTHS = frozenset(month.capitalize() for month in dates.MONTHS)
WEEKDAYS = frozenset(day.capitalize() for day in dates.WEEKDAYS)
# Words that follow a title without being a name (``im Stadtrat Anfang Juni``).
TIME_WORDS = frozenset(["Anfang", "Mitte", "Ende", "Beginn", "Jahr", "Jahres", "Monat", "Woche", "Tag", "Sitzung"])
# Capitalised words that the first-name list contains but that, in German
# text, are far more often something else.
NOT_FIRST_NAMES = frozenset(
    [
        "Art",
        "Bild",
        "Dank",
        "Fried",
        "Gay",
        "Glaube",
        "Hand",
        "Haus",
        "Heil",
        "Jung",
        "Kraft",
        "Land",
        "Laut",
        "Lob",
        "Mark",
        "Mut",
        "Rat",
        "Recht",
        "Rose",
        "Sonne",
        "Stadt",
        "Stern",
        "Vogel",
        "Wahl",
        "Weg",
        "Welt",
        "Wolf",
        "Zeit",
        "Mehr",
        "Neu",
        "Sehr",
        "Sage",
        "Sommer",
        "Winter",
        "Kult",
        "Team",
        "Bund",
        "Raum",
        "Tag",
        "Zug",
        "Hof",
        "Kern",
    ]
)

# Endings of German nouns that surnames practically never have (``Jung`` is one: two letters before the ending).
_NOUN_ENDING = re.compile(
    r"(?<=\w\w)(ung|heit|keit|schaft|tion|ität|ismus|wesen|gemeinde|verwaltung|ministerium|verband|behörde)(en|s)?$"
)
_INITIAL = re.compile(r"^[A-ZÄÖÜ]\.$")
# Letters of names from every region: ``Pérez``, ``López``, ``Çelik``, ``Nowak``, ``Šimić``, ``Łukasz``.
_UPPER = "A-ZÄÖÜÉÈÁÀÓÒÍÚÇŠŽČĆŁŚŻ"
_LOWER = "a-zäöüßéèáàëïçñóòôíìîúùûâêãõøåšžčćłńśźżğış'"
_NAME_TOKEN = re.compile(rf"^[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)*$")


# Stop words that can never be a surname; longer stop words can (``Groß``, ``Zehnter``).
FUNCTION_WORDS = frozenset(word for word in STOP_WORDS if len(word) <= 3) | frozenset(
    [
        "dass",
        "sich",
        "sind",
        "wird",
        "werden",
        "wurde",
        "wurden",
        "haben",
        "hatte",
        "sowie",
        "oder",
        "aber",
        "auch",
        "noch",
        "nach",
        "seit",
        "über",
        "unter",
        "durch",
        "gegen",
        "ohne",
        "diese",
        "dieser",
        "dieses",
        "einen",
        "einer",
        "eines",
        "einem",
        "seine",
        "ihre",
        "heute",
        "hier",
        "dort",
        "dann",
        "damit",
        "denn",
        "doch",
        "dabei",
        "dazu",
        "beim",
    ]
)


def _is_name_token(token: Token, *, surname: bool = False) -> bool:
    """Whether a token can be part of a name; a surname may be a rarer word."""
    text = token.text
    excluded = FUNCTION_WORDS if surname else STOP_WORDS
    return (
        bool(_NAME_TOKEN.match(text))
        and not _NOUN_ENDING.search(text)
        and text.lower() not in excluded
        and text not in MONTHS
        and text not in WEEKDAYS
        and text not in TIME_WORDS
        and text not in HONORIFICS
    )


@Language.factory("gender_forms", default_config={})
def make_gender_forms(nlp: Language, name: str) -> GenderFormMerger:
    return GenderFormMerger(name)


# ``Digitallots:innen``, ``IT-Leiter/in``: the tokenizer splits these at ``:`` and ``/``.
_GENDER_SEPARATORS = frozenset({":", "/", "*", "_"})
_SEPARATOR_KEYS = np.array(sorted(get_string_id(separator) for separator in _GENDER_SEPARATORS), dtype=np.uint64)
_GENDER_ENDING = re.compile(r"^-?(in|innen|r|n)$")
_WORD = re.compile(r"^\w[\w-]*$")


class GenderFormMerger:
    """Merge gender-inclusive forms the tokenizer split into one token.

    ``Digitallots`` ``:`` ``innen`` becomes ``Digitallots:innen``, so that one
    token pattern covers every spelling (``-innen``, ``:innen``, ``*innen``,
    ``_innen``, ``/-in``, ``/-r``).
    """

    def __init__(self, name: str = "gender_forms") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        separators = np.flatnonzero(np.isin(doc.to_array(ORTH), _SEPARATOR_KEYS)).tolist()
        spans = [doc[index - 1 : index + 2] for index in separators if self._splits_a_form(doc, index)]
        if not spans:
            return doc
        with doc.retokenize() as retokenizer:
            for span in filter_spans(spans):
                retokenizer.merge(span)
        return doc

    @staticmethod
    def _splits_a_form(doc: Doc, index: int) -> bool:
        """Whether the separator at ``index`` splits a word from its gender ending (``Lots`` ``:`` ``innen``)."""
        if not 0 < index < len(doc) - 1:
            return False
        word, separator, ending = doc[index - 1], doc[index], doc[index + 1]
        return (
            _WORD.match(word.text) is not None
            and not word.whitespace_
            and not separator.whitespace_
            and _GENDER_ENDING.match(ending.text) is not None
        )


@Language.factory("line_sentences", default_config={"max_heading_tokens": 12})
def make_line_sentences(nlp: Language, name: str, max_heading_tokens: int) -> LineSentences:
    return LineSentences(name, max_heading_tokens=max_heading_tokens)


class LineSentences:
    """Start a sentence after a line break that ends one.

    Headlines, captions and datelines stand on lines of their own without a
    full stop; without this they would run into the next sentence. A line
    break ends a sentence after a blank line, after sentence-final
    punctuation, or after a short line (a heading); a line wrapped in the
    middle of a sentence does not.
    """

    def __init__(self, name: str = "line_sentences", *, max_heading_tokens: int = 12) -> None:
        self.name = name
        self.max_heading_tokens = max_heading_tokens

    def __call__(self, doc: Doc) -> Doc:
        is_space = doc.to_array(IS_SPACE).astype(bool)
        starts = []
        line_start = 0
        for index in np.flatnonzero(is_space[:-1]).tolist():
            if "\n" not in doc[index].text:
                continue
            if "\n\n" in doc[index].text or self._line_ends_sentence(doc, is_space, line_start, index):
                starts.append(index + 1)
            line_start = index + 1
        if starts:
            # all at once: ``Token.is_sent_start`` checks the whole document for a parse at every call
            sentence_starts = doc.to_array([SENT_START])
            sentence_starts[starts] = 1
            doc.from_array([SENT_START], sentence_starts)
        return doc

    def _line_ends_sentence(self, doc: Doc, is_space: np.ndarray, start: int, end: int) -> bool:
        """Whether the line of tokens ``start:end`` is empty, ends with sentence punctuation, or is a heading."""
        words = end - start - int(is_space[start:end].sum())
        if words == 0 or words <= self.max_heading_tokens:
            return True
        last = end - 1
        while is_space[last]:
            last -= 1
        return doc[last].text[-1] in '.!?:"'


@Language.factory("punctuation_sentences", default_config={"punct_chars": None})
def make_punctuation_sentences(nlp: Language, name: str, punct_chars: list[str] | None) -> PunctuationSentences:
    return PunctuationSentences(nlp.vocab, name, punct_chars=punct_chars)


class PunctuationSentences:
    """spaCy's ``sentencizer`` rule, worked out over the token arrays of a document.

    A sentence starts at the first token and at each token after sentence-final
    punctuation (``punct_chars``, by default the sentencizer's) that is no
    punctuation itself; starts set by an earlier component are kept. The
    boundaries are the sentencizer's, token for token, but one document costs a
    few array operations instead of a Python step and a string per token (the
    sentencizer took a tenth of the rule pipeline's time).

    >>> nlp = spacy.blank("de")
    >>> nlp.add_pipe("punctuation_sentences")
    >>> [sent.text for sent in nlp("Sie beginnt am 1. Mai. Er bleibt!").sents]
    ['Sie beginnt am 1. Mai.', 'Er bleibt!']
    """

    def __init__(
        self, vocab: Vocab, name: str = "punctuation_sentences", *, punct_chars: Iterable[str] | None = None
    ) -> None:
        self.name = name
        self.punct_chars = frozenset(punct_chars or Sentencizer.default_punct_chars)
        self._ends_sentence = StringAnswers(vocab, lambda text: True if text in self.punct_chars else None)

    def __call__(self, doc: Doc) -> Doc:
        self._ends_sentence.check(doc)  # its flag is read below
        if not len(doc):
            return doc
        punct, ends, sentence_starts = doc.to_array([IS_PUNCT, self._ends_sentence.flag, SENT_START]).T
        words = np.flatnonzero((punct | ends) == 0)
        # a word starts a sentence when sentence-final punctuation stands between it and the word before it
        ends_before = np.cumsum(ends)[words]
        previous = np.concatenate(([0], ends_before[:-1]))
        guessed = np.full(len(doc), -1, dtype=np.int64)
        guessed[0] = 1
        guessed[words[ends_before > previous]] = 1
        sentence_starts = sentence_starts.view(np.int64)  # spaCy's arrays are uint64: -1 is all ones
        decided = np.where(sentence_starts == 0, guessed, sentence_starts)
        doc.from_array([SENT_START], decided.view(np.uint64).reshape(-1, 1))
        return doc


@Language.factory("municipal_places", default_config={"min_population": 500})
def make_places(nlp: Language, name: str, min_population: int) -> PlaceTagger:
    return PlaceTagger(nlp, name, min_population=min_population)


class PlaceTagger:
    """Tag German places and place adjectives with a phrase matcher over a gazetteer.

    Runs after the organisation ruler and completes its municipal
    organisations with multi-word place names: ``Stadt Porta`` becomes
    ``Stadt Porta Westfalica`` where the gazetteer knows the place.
    """

    def __init__(self, nlp: Language, name: str = "municipal_places", *, min_population: int = 500) -> None:
        self.name = name
        self.min_population = min_population
        self.matcher = PhraseIndex(nlp.tokenizer)
        self.matcher.add("LOC", (name for name, place in german_places().items() if place.population >= min_population))
        self.matcher.add("LOC_ADJ", places_by_demonym())
        self._districts = districts()
        self.matcher.add("DISTRICT", self._districts)

    def __call__(self, doc: Doc) -> Doc:
        places, adjectives, district_spans = [], [], []
        for label, start, end in self.matcher(doc):
            if label == "DISTRICT":
                official = self._districts[doc[start:end].text].name
                district_spans.append(Span(doc, start, end, label="ORG", span_id=official))
                continue
            span = Span(doc, start, end, label="LOC", span_id="gazetteer")
            (places if label == "LOC" else adjectives).append(span)
        doc.spans[PLACES_KEY] = filter_spans(places)
        doc.spans[PLACE_ADJECTIVES_KEY] = filter_spans(adjectives)
        doc.spans[DISTRICTS_KEY] = filter_spans(district_spans)
        if ORGANISATIONS_KEY in doc.spans:
            # a district is an organisation too (``beim Rhein-Kreis Neuss``); the longer name wins
            doc.spans[ORGANISATIONS_KEY] = filter_spans([*self._with_whole_places(doc), *doc.spans[DISTRICTS_KEY]])
        return doc

    @staticmethod
    def _with_whole_places(doc: Doc) -> list[Span]:
        """Municipal organisations extended over the place name that starts after their head word."""
        place_at = {span.start: span for span in doc.spans[PLACES_KEY]}
        organisations = []
        for span in doc.spans[ORGANISATIONS_KEY]:
            place = place_at.get(span.start + 1)
            if span.id_ == MUNICIPAL_ORGANISATION_RULE and place is not None and place.end > span.end:
                span = Span(doc, span.start, place.end, label=span.label_, span_id=span.id_)
            organisations.append(span)
        return filter_spans(organisations)


@Language.factory("municipal_persons", default_config={})
def make_persons(nlp: Language, name: str) -> PersonTagger:
    return PersonTagger(nlp.vocab, name)


class PersonTagger:
    """Find person names by rule.

    A name is a known first name followed by a surname (``Hanna Pieper``), or
    any capitalised name right after a role title or honorific
    (``Oberbürgermeister Pelgrim``, ``Frau Zehnter``). A surname seen in a
    full name also tags its later surname-only mentions (``so Sorré``).
    """

    def __init__(self, vocab: Vocab, name: str = "municipal_persons") -> None:
        self.name = name
        self.first_names = first_names() - NOT_FIRST_NAMES
        # Places large enough that a title before them names the place, not a person of that surname.
        self.place_names = frozenset(
            name for name, place in german_places().items() if place.population >= TOWN_POPULATION
        ) | frozenset(STATE_CODES.values())
        # A name starts at an honorific, after a title, or at a first name: only there can ``_name_at`` find one.
        self._may_start_name = StringAnswers(
            vocab, lambda text: True if text in HONORIFICS or text.split("-")[0] in self.first_names else None
        )

    def __call__(self, doc: Doc) -> Doc:
        blocked = self._blocked_tokens(doc)
        anchors = {span.end for span in doc.spans.get(ROLE_TITLES_KEY, [])}
        keys = doc.to_array(ORTH)
        starts = anchors.union(self._may_start_name.positions(doc).tolist())
        found: list[Span] = []
        for index in sorted(starts):
            if found and index < found[-1].end:
                continue
            span = self._name_at(doc, index, blocked, anchors)
            if span is not None:
                found.append(span)
        found = self._without_places_named_after_titles(doc, found)
        found.extend(self._surname_mentions(doc, keys, found, blocked))
        doc.spans[PERSONS_KEY] = filter_spans(found)
        return doc

    @staticmethod
    def _blocked_tokens(doc: Doc) -> set[int]:
        blocked: set[int] = set()
        for key in (ROLE_TITLES_KEY, ORGANISATIONS_KEY, TRAILING_DOMAINS_KEY):
            for span in doc.spans.get(key, []):
                blocked.update(range(span.start, span.end))
        return blocked

    def _name_at(self, doc: Doc, index: int, blocked: set[int], anchors: set[int]) -> Span | None:
        start = index
        while start < len(doc) and doc[start].text in HONORIFICS:
            start += 1
        if start >= len(doc) or start in blocked:
            return None
        anchored = start != index or index in anchors
        if not _is_name_token(doc[start], surname=anchored):
            return None
        if not anchored:
            if doc[start].text.split("-")[0] not in self.first_names:
                return None
            if start > 0 and doc[start - 1].lower_ in ARTICLES:
                return None
        end = start + 1
        while end < len(doc) and end not in blocked and end - start < 4:
            token = doc[end]
            if token.text in NAME_PARTICLES and end + 1 < len(doc) and _is_name_token(doc[end + 1], surname=True):
                end += 2
                break
            if _INITIAL.match(token.text) and end + 1 < len(doc) and _is_name_token(doc[end + 1], surname=True):
                end += 1  # a middle initial: ``Jan P. Wendler``
                continue
            if not _is_name_token(token, surname=True):
                break
            end += 1
            if token.text.split("-")[0] not in self.first_names:
                if self._second_surname(doc, end, blocked):
                    end += 1  # ``Marta López García``: a double surname closed by punctuation
                break  # the surname ends the name
        if end - start == 1 and not anchored:
            return None  # a first name alone is too weak a signal
        if anchored and end - start > 2 and doc[start].text not in self.first_names:
            # ``Amtsleiter Finanzen Tobias Hering``: the name starts at the first name
            first = next((i for i in range(start + 1, end - 1) if doc[i].text in self.first_names), None)
            if first is not None:
                start = first
        if end - start == 1 and start == index and not self._plausible_surname_after_title(doc, start):
            return None
        source = "person-anchored" if anchored else "person-first-name"
        return Span(doc, start, end, label="PER", span_id=source)

    def _plausible_surname_after_title(self, doc: Doc, index: int) -> bool:
        """A single word after a title is no name when it is a place (``Datenschutzbeauftragter
        Niedersachsens``, ``Geschäftsleiter Talheim``) or the first of coordinated nouns
        (``Abteilungsleiter Organisation und Digitalisierung``)."""
        word = doc[index].text
        if word in self.place_names or word.removesuffix("s") in self.place_names:
            return False
        if index + 2 < len(doc) and doc[index + 1].lower_ in {"und", "sowie", "&"}:
            following = doc[index + 2].text
            return not (following[:1].isupper() and _NOUN_ENDING.search(following))
        return True

    @staticmethod
    def _without_places_named_after_titles(doc: Doc, found: list[Span]) -> list[Span]:
        """Drop a lone word after a title that is a place and no name of the text ends with.

        ``Geschäftsleiter Wendstedt`` names the town; ``Bürgermeister Lindau``
        is a person where the text also says ``Hans Lindau``.
        """
        surnames = {span[-1].text for span in found if len(span) > 1}
        places = {span.start for span in doc.spans.get(PLACES_KEY, [])}
        return [
            span
            for span in found
            if not (len(span) == 1 and span.id_ == "person-anchored" and span.start in places) or span.text in surnames
        ]

    @staticmethod
    def _second_surname(doc: Doc, index: int, blocked: set[int]) -> bool:
        return (
            index + 1 < len(doc)
            and index not in blocked
            and _is_name_token(doc[index], surname=True)
            and doc[index + 1].text in {",", "(", ")", ".", ";", ":"}
        )

    @staticmethod
    def _surname_mentions(doc: Doc, keys: np.ndarray, names: Iterable[Span], blocked: set[int]) -> Iterator[Span]:
        surnames = [span[-1].orth for span in names if len(span) > 1]
        if not surnames:
            return
        covered = {index for span in names for index in range(span.start, span.end)}
        is_surname = np.zeros(len(keys), dtype=bool)
        for surname in set(surnames):  # a few names: faster than ``np.isin``, which sorts
            is_surname |= keys == surname
        for index in np.flatnonzero(is_surname).tolist():
            if index not in covered and index not in blocked:
                yield Span(doc, index, index + 1, label="PER", span_id="person-surname")


@Language.factory("entity_merger", default_config={})
def make_entity_merger(nlp: Language, name: str) -> EntityMerger:
    return EntityMerger(name)


class EntityMerger:
    """Merge the model's entities with the rule spans into ``doc.ents``.

    Rule spans win where they overlap a model entity: the rules know complete
    names (the model cuts ``Thomas`` out of ``Thomas Kramer``) and gazetteer
    places. A model entity is kept where no rule span, role title or
    organisation covers it, so a good model adds names the rules miss and a
    noisy one cannot overwrite what the rules found.
    """

    def __init__(self, name: str = "entity_merger") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        rule_spans = [
            *doc.spans.get(PERSONS_KEY, []),
            *doc.spans.get(ORGANISATIONS_KEY, []),
            *doc.spans.get(PLACES_KEY, []),
        ]
        taken = {index for span in rule_spans for index in range(span.start, span.end)}
        titles = {index for span in doc.spans.get(ROLE_TITLES_KEY, []) for index in range(span.start, span.end)}
        model_spans = [
            Span(doc, ent.start, ent.end, label=ent.label_, span_id=MODEL_SOURCE)
            for ent in doc.ents
            if not any(index in taken or index in titles for index in range(ent.start, ent.end))
            and self._plausible(ent)
        ]
        merged = filter_spans([*rule_spans, *model_spans])
        doc.set_ents(  # not ``doc.ents = ``, which builds every span again
            [
                Span(doc, span.start, span.end, label="ORG", span_id=span.id_)
                if span.label_ == IT_PROVIDER_LABEL
                else span
                for span in merged
            ]
        )
        return doc

    @staticmethod
    def _plausible(ent: Span) -> bool:
        """Reject model entities that cannot be what their label says."""
        if ent.label_ == "PER":
            return all(_is_name_token(token) or token.text in NAME_PARTICLES for token in ent)
        return any(token.is_alpha and token.text[:1].isupper() for token in ent)


@Language.factory("sentence_index", default_config={})
def make_sentence_index(nlp: Language, name: str) -> SentenceIndex:
    return SentenceIndex(name)


class SentenceIndex:
    """Answer ``Span.sent`` and ``Token.sent`` from the sentence starts of the finished document.

    spaCy finds a span's sentence by walking the tokens to the sentence start
    and end at every call, and the link stage asks for a title's, a person's
    and the next sentence many times per document. This last component reads the
    starts once and installs a ``sent`` hook (``Doc.user_span_hooks``) that finds
    the same sentence by bisection: the sentence that holds the span's first
    token. Sentence starts changed after it are not seen.

    >>> doc = nlp("Die Stadt hat eine CDO. Sie heißt Rita Hahn.")
    >>> doc[7].sent.text
    'Sie heißt Rita Hahn.'
    """

    def __init__(self, name: str = "sentence_index") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            starts = np.flatnonzero(doc.to_array(SENT_START).view(np.int64) == 1).tolist()
            doc.user_span_hooks["sent"] = _SentenceOf(starts)
        return doc


class _SentenceOf:
    """The sentence of a span, by its first token, among sentences that begin at ``starts`` (sorted)."""

    def __init__(self, starts: list[int]) -> None:
        self.starts = starts

    def __call__(self, span: Span) -> Span:
        following = bisect_right(self.starts, span.start)
        start = self.starts[following - 1] if following else 0
        end = self.starts[following] if following < len(self.starts) else len(span.doc)
        return Span(span.doc, start, end)  # not ``doc[start:end]``, whose slice checks cost twice the span
