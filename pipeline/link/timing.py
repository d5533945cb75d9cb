"""When a role is held: start, end and status of a linked role.

The link stage hands over the sentence and the token range that links a
person to a role; this module reads the dates (with :mod:`pipeline.text.dates`) and
the cues around it:

* dates in the linking clause: ``seit Dezember`` -> start, ``bis Ende 2022`` ->
  end; a bare date counts as the start where the sentence appoints someone
  (``Im Mai 2017 ... bestellt``) or says the term begins (``Amtszeit beginnt am``);
* the next sentence when it continues with a pronoun (``Seine Amtszeit beginnt
  am 1. Juli 2025.``);
* status cues: ``bisherig``, ``ehemalig``, ``zuvor`` (former), ``künftig``,
  ``designiert``, ``wird ... übernehmen`` (future), leaving (``wechselt zur``,
  ``scheidet aus``, ``in den Ruhestand``), and dates: a start after the
  publication date makes a role future, an end before it former.

>>> linking = Linking(sentence, start=3, end=9)
>>> role_dates(doc, linking, published=date(2024, 3, 1))   # "... ab Juli 2024 Digitallotsin ..."
('2024-07', '')
>>> role_status(doc, linking, title=title, person=person, published=date(2024, 3, 1), start="2024-07", end="")
'future'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline.link.spans import span_text
from pipeline.rules.cues import StatusCues, shipped_status_cues
from pipeline.text.dates import find_date_mentions

CONTEXT_TOKENS = 8  # tokens before the linking clause that may hold its date
NAME_AT_START_TOKENS = 4
ANAPHOR_SENTENCES = 4  # how many sentences after a role one about ``die Stelle`` may follow  # a next sentence naming the person this early goes on about them
# ``seit diesem Datum``, ``ab diesem Tag``: the date said just before.
DATE_ANAPHOR = re.compile(r"\b(seit|ab|von) (diesem|jenem|dem) (Datum|Tag|Zeitpunkt)\b|\bseitdem\b", re.IGNORECASE)


@dataclass(frozen=True)
class Linking:
    """Where a link stands: its sentence and the token range of its evidence."""

    sentence: Span
    start: int
    end: int


def role_dates(
    doc: Doc,
    linking: Linking,
    *,
    published: date | None,
    person: Span | None = None,
    cues: StatusCues | None = None,
    speaks_of_the_post: bool = True,
) -> tuple[str, str]:
    """Start and end of a role as stated around its linking clause (``YYYY[-MM[-DD]]`` or ``""``).

    A clause that points back to a date (``seit diesem Datum``) takes the last
    date before it; the next sentence counts when it goes on about the same
    person, by a pronoun or by the ``person``'s name. Where the text
    ``speaks_of_the_post`` (``Die Stelle soll ab …``), such a later sentence gives the start.
    """
    cues = cues or shipped_status_cues()
    window = doc[max(linking.sentence.start, linking.start - CONTEXT_TOKENS) : _context_end(doc, linking)]
    text = span_text(window)
    start, end = _dates_in(text, published, cues, cue_text=linking.sentence)
    if not start and DATE_ANAPHOR.search(text):
        start = _last_date_before(doc, linking, published)
    following = _continuing_sentence(doc, linking.sentence, person, cues)
    if following is not None and not (start and end):
        text = span_text(following)
        more_start, more_end = _dates_in(text, published, cues, cue_text=following)
        start, end = start or more_start, end or more_end
    if not start and speaks_of_the_post:
        start = _start_of_the_post(doc, linking.sentence, published, cues)
    return start, end


def speaks_of_the_post(text: str, cues: StatusCues) -> bool:
    """Whether a text has a sentence that may speak of a post (``Die Stelle …``): checked once per document."""
    lower = text.lower()
    return any(phrase in lower for phrase in cues.role_anaphors)


def _start_of_the_post(doc: Doc, sentence: Span, published: date | None, cues: StatusCues) -> str:
    """The start a later sentence gives the post itself: ``Die Stelle soll ab dem 1. Oktober besetzt werden.``"""
    position = sentence.end
    for _ in range(ANAPHOR_SENTENCES):
        if position >= len(doc):
            break
        later = doc[position].sent
        text = span_text(later)
        if text.lstrip().lower().startswith(cues.role_anaphors):
            start, _ = _dates_in(text, published, cues, cue_text=later)
            return start
        position = later.end
    return ""


def _last_date_before(doc: Doc, linking: Linking, published: date | None) -> str:
    """The last date before the linking clause, in its sentence or the one before."""
    sentence_start = linking.sentence.start
    earlier = doc[sentence_start - 1].sent.start if sentence_start > 0 else sentence_start
    before = doc[earlier : linking.start]
    mentions = find_date_mentions(span_text(before), reference=published)
    return mentions[-1].value.iso() if mentions else ""


def _context_end(doc: Doc, linking: Linking) -> int:
    """The clause may go on after the link (``Eva Lorenz (seit Mitte Oktober im Amt)``), up to the next person."""
    end = linking.end
    limit = min(linking.sentence.end, linking.end + CONTEXT_TOKENS)
    while end < limit and doc[end].ent_type_ != "PER" and doc[end].text not in {";", "und"}:
        end += 1
    return end


def _dates_in(text: str, published: date | None, cues: StatusCues, *, cue_text: Span) -> tuple[str, str]:
    """Start and end in ``text``; a bare date is a start where ``cue_text`` says the role begins."""
    start = end = ""
    starts_with_point: bool | None = None  # looked up only for a bare date: most texts have none
    for mention in find_date_mentions(text, reference=published):
        if mention.kind == "point" and starts_with_point is None:
            starts_with_point = _says(cues.start, span_text(cue_text))
        if mention.kind == "start" or (mention.kind == "point" and starts_with_point):
            start = start or mention.value.iso()
        elif mention.kind == "end":
            end = end or mention.value.iso()
    return start, end


def _continuing_sentence(doc: Doc, sentence: Span, person: Span | None, cues: StatusCues) -> Span | None:
    """The next sentence if it goes on about the same person: it starts with a pronoun or names them early."""
    if sentence.end >= len(doc):
        return None
    following = doc[sentence.end].sent
    first = next((token for token in following if not token.is_space), None)
    if first is None:
        return None
    if first.lower_ in cues.continuing:
        return following
    if person is not None:
        opening = following[:NAME_AT_START_TOKENS]
        if any(token.text == person[-1].text for token in opening if token.ent_type_ == "PER"):
            return following
    return None


def event_start(sentence: Span, title: Span, *, published: date | None, cues: StatusCues | None = None) -> str:
    """The date a sentence reports a role being given (``Am 21.11.2023 ... zertifizierten Digitallots:innen``).

    Used for titles named without a holder: the persons named with the same
    title elsewhere in the text took it up then.
    """
    cues = cues or shipped_status_cues()
    text = span_text(sentence)
    if not cues.start.search(text) and not re.search(r"\b(neue[rnms]?|nun|erstmals)\b", text):
        return ""
    mentions = [m for m in find_date_mentions(text, reference=published) if m.kind in ("start", "point")]
    if published is not None:
        mentions = [m for m in mentions if m.value.first_day() <= published]
    if not mentions:
        return ""
    offset = title.start_char - sentence.start_char
    nearest = min(mentions, key=lambda m: min(abs(m.start_char - offset), abs(m.end_char - offset)))
    return nearest.value.iso()


def role_status(
    doc: Doc,
    linking: Linking,
    *,
    title: Span,
    person: Span,
    published: date | None,
    start: str,
    end: str,
    cues: StatusCues | None = None,
) -> str:
    """``current``, ``former`` or ``future``, from cues around the title and from the dates."""
    before = span_text(doc[max(linking.sentence.start, title.start - 4) : title.start])
    clause = span_text(doc[linking.start : linking.end])
    cues = cues or shipped_status_cues()
    if cues.former.search(before) or cues.former_clause.search(clause) or _leaves(linking.sentence, person, cues):
        return "former"
    if published is not None:
        today = published.isoformat()
        if end and end < today[: len(end)]:
            return "former"
        if start and start > today[: len(start)]:
            return "future"
    if cues.future.search(before) or cues.future.search(clause):
        return "future"
    return "current"


@lru_cache(maxsize=1024)
def _says(cue: re.Pattern, sentence: str) -> bool:
    """Whether ``cue`` occurs in ``sentence``: asked once for each title of a sentence, answered once."""
    return cue.search(sentence) is not None


def _leaves(sentence: Span, person: Span, cues: StatusCues) -> bool:
    """Whether the sentence says the person leaves (and names nobody else who could)."""
    if not _says(cues.leaving, span_text(sentence)):
        return False  # checked first: ``Span.ents`` walks the whole document
    return not any(ent.label_ == "PER" and ent.text != person.text for ent in sentence.ents)
