"""A role row's sentence with the person and the title highlighted, rendered by displaCy.

The roles table gives the evidence span (raw offsets), the person's full name
and the title in the nominative singular. The page shows the sentence (or
sentences) around the evidence, with the name and the title found in it by
their strings: the full name or a part of it (the text may say only
``Pohl``), and the title word by word, allowing for inflection and gender
(``Digitallotsin`` in ``als neue Digitallotsinnen``).

displaCy escapes the text it renders, so the fragments are safe to insert
into the page even when a text holds markup.

>>> context = sentence_context("Seit März ist Dr. Lena Vogt Digitallotsin der Stadt.", 18, 40)
>>> html = render_evidence(context, person="Lena Vogt", role="Digitallotsin")
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.displacy.render import EntityRenderer
from spacy.language import Language

PERSON_LABEL = "PERSON"
TITLE_LABEL = "TITLE"
# displaCy's own entity template with classes instead of inline colours: the page's CSS colours them.
DISPLACY_OPTIONS = {
    "template": '<mark class="entity entity-{label}">{text}<span class="entity-label">{label}</span></mark>'
}
# Lines longer than this are split into sentences to find the one holding the evidence.
SPLIT_LINES_LONGER_THAN = 240
# At most this many characters of context on either side of the evidence.
MAX_CONTEXT_CHARS = 300
MIN_PREFIX = 3  # inflected forms share at least this many first letters (``Amts``/``Amtes``)
ENDING_SLACK = 2  # and differ in at most this many of the shorter word's last letters
OPENING_QUOTES = "„‚«»"
WORD = re.compile(r"\w+(?:[-‐:'’.]\w+)*-?")


@dataclass(frozen=True)
class Context:
    """A stretch of text around the evidence; ``evidence_start``/``evidence_end`` are offsets into ``text``."""

    text: str
    evidence_start: int
    evidence_end: int


@cache
def _sentencizer() -> Language:
    """spaCy's rule-based sentence splitter with the German tokenizer (which knows ``Dr.`` and ``5.``)."""
    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_context(text: str, start: int, end: int) -> Context:
    """The sentences of ``text`` that the span ``[start, end)`` touches, at most a line and a few hundred characters.

    >>> sentence_context("Titel\\n\\nAm Montag kam Lena Vogt. Sie ist neu.", 20, 29).text
    'Am Montag kam Lena Vogt.'
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    first, last = line_start, line_end
    if line_end - line_start > SPLIT_LINES_LONGER_THAN:
        for sentence in _sentencizer()(text[line_start:line_end]).sents:
            sentence_start = line_start + sentence.start_char
            sentence_end = line_start + sentence.end_char
            if sentence_end <= start:
                first = sentence_end
            elif sentence_start >= end:
                last = min(last, sentence_start)
    first = max(first, start - MAX_CONTEXT_CHARS)
    last = min(last, end + MAX_CONTEXT_CHARS)
    while first < start and text[first].isspace():
        first += 1
    while last > end and (text[last - 1].isspace() or text[last - 1] in OPENING_QUOTES):
        last -= 1  # the sentencizer leaves the next sentence's opening quote on this one
    return Context(text[first:last], start - first, end - first)


def highlights(context: Context, *, person: str, role: str) -> list[dict]:
    """displaCy entities for the person and the title inside ``context``, in order and not overlapping.

    Occurrences inside the evidence win over ones elsewhere in the sentence; a name or title
    not found is not highlighted.

    >>> highlights(Context("Sprecherin Lena Vogt sagte", 0, 20), person="Lena Vogt", role="Sprecher")
    [{'start': 0, 'end': 10, 'label': 'TITLE'}, {'start': 11, 'end': 20, 'label': 'PERSON'}]
    """
    spans = []
    found_person = _find_person(context, person)
    if found_person:
        spans.append({"start": found_person[0], "end": found_person[1], "label": PERSON_LABEL})
    found_title = _find_title(context, role, avoid=found_person)
    if found_title:
        spans.append({"start": found_title[0], "end": found_title[1], "label": TITLE_LABEL})
    return sorted(spans, key=lambda span: span["start"])


@cache
def _entity_renderer() -> EntityRenderer:
    """The renderer behind ``displacy.render(style="ent", manual=True)``, made once: making it costs a millisecond."""
    return EntityRenderer(options=DISPLACY_OPTIONS)


def render_evidence(context: Context, *, person: str, role: str) -> str:
    """The context as displaCy HTML, with the person and the title marked; the text is escaped.

    The same markup as ``displacy.render(parsed, style="ent", manual=True, options=DISPLACY_OPTIONS)``.
    """
    parsed = {"text": context.text, "ents": highlights(context, person=person, role=role), "title": None}
    return _entity_renderer().render([parsed], page=False, minify=False).strip()  # as displacy.render gives it


def _inside_first(context: Context, span: tuple[int, int]) -> tuple[bool, int]:
    inside = span[0] < context.evidence_end and span[1] > context.evidence_start
    return (not inside, abs(span[0] - context.evidence_start))


def _find_person(context: Context, person: str) -> tuple[int, int] | None:
    """The full name, else a part of it after the first name (``Pohl`` for ``Alexander Pohl``), as whole words."""
    names = [person] if person else []
    names += sorted(person.split()[1:], key=len, reverse=True)
    for name in names:
        found = [span for span in _occurrences(context.text, name) if _whole_word(context.text, *span)]
        if found:
            return min(found, key=lambda span: _inside_first(context, span))
    return None


def _occurrences(text: str, part: str) -> list[tuple[int, int]]:
    spans = []
    start = text.find(part)
    while start != -1 and part:
        spans.append((start, start + len(part)))
        start = text.find(part, start + 1)
    return spans


def _whole_word(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def _same_word(a: str, b: str) -> bool:
    """Whether two words are forms of one word: equal, or sharing all but the last few letters of the shorter."""
    a, b = a.casefold(), b.casefold()
    if a == b:
        return True
    shared = len(_common_prefix(a, b))
    return shared >= max(MIN_PREFIX, min(len(a), len(b)) - ENDING_SLACK)


def _common_prefix(a: str, b: str) -> str:
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return a[:index]
    return a[: min(len(a), len(b))]


def _find_title(context: Context, role: str, *, avoid: tuple[int, int] | None) -> tuple[int, int] | None:
    """The longest run of the title's words, in order and in any inflection, outside the person's span."""
    role_words = WORD.findall(role)
    tokens = [
        (match.start(), match.end(), match.group())
        for match in WORD.finditer(context.text)
        if avoid is None or match.end() <= avoid[0] or match.start() >= avoid[1]
    ]
    best: tuple[tuple, tuple[int, int]] | None = None
    for i in range(len(tokens)):
        for j in range(len(role_words)):
            length = 0
            while (
                i + length < len(tokens)
                and j + length < len(role_words)
                and _same_word(role_words[j + length], tokens[i + length][2])
                and (length == 0 or _adjacent(context.text, tokens[i + length - 1], tokens[i + length]))
            ):
                length += 1
            if length:
                span = (tokens[i][0], tokens[i + length - 1][1])
                rank = (-length, *_inside_first(context, span))
                if best is None or rank < best[0]:
                    best = (rank, span)
    return best[1] if best else None


def _adjacent(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    """Whether only spaces and commas stand between two words (``Beigeordneter für Digitalisierung, IT``)."""
    return not text[left[1] : right[0]].strip(" ,")
