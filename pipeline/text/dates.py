"""Find and resolve dates in German municipal press texts.

Three entry points:

* :func:`find_publication_date` - the date a press text was published, taken
  from its header, its dateline or the file name.
* :func:`find_date_mentions` - every date expression in a sentence, with the
  part it plays (``start``, ``end`` or ``point``) and its value resolved
  against the publication date.
* :func:`parse_date_expression` - one short expression to a :class:`PartialDate`.

Scanning is rule based: precompiled regular expressions for the forms German
press texts use. ``dateparser`` is only a fallback inside
:func:`parse_date_expression` for odd forms (``3. Okt 2023``, ``12/2023``) and
never runs over whole texts. A value never has more precision than the text
gives, and nothing is resolved against today's date: without a reference date,
expressions that need one are left out.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from pipeline.records import DateMention, PartialDate, PublicationDate

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = [
    "ManifestError",
    "find_date_mentions",
    "find_publication_date",
    "find_reference_month",
    "parse_date_expression",
    "read_manifest",
]

MONTHS: dict[str, int] = {
    "januar": 1, "jänner": 1, "februar": 2, "feber": 2, "märz": 3, "maerz": 3,
    "april": 4, "mai": 5, "juni": 6, "juli": 7, "august": 8, "september": 9,
    "oktober": 10, "november": 11, "dezember": 12,
}  # fmt: skip
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mär": 3, "mrz": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dez": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4,
    "samstag": 5, "sonnabend": 5, "sonntag": 6,
}  # fmt: skip
NUMBER_WORDS: dict[str, int] = {
    "ein": 1, "eins": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4,
    "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "elf": 11, "zwölf": 12, "fünfzehn": 15, "zwanzig": 20, "dreißig": 30,
}  # fmt: skip
# Stem of a relative adjective -> offset from the reference year or month.
RELATIVE_OFFSETS: dict[str, int] = {
    "vergangen": -1, "letzt": -1, "vorig": -1, "laufend": 0, "dies": 0,
    "kommend": 1, "nächst": 1,
}  # fmt: skip

# Cue before an expression -> (kind, direction in which a date without a year
# is looked for). Anything else, or no cue, is a point.
CUE_EFFECTS: dict[str, tuple[str, str]] = {
    "seit": ("start", "past"),
    "ab": ("start", "future"),
    "zum": ("start", "future"),
    "mit wirkung": ("start", "future"),
    "beginn": ("start", "future"),
    "bis": ("end", "future"),
}
_POINT_EFFECT = ("point", "around")
# Where a date without its year lies relative to the reference:
#   past    on or before it ("seit Dezember")
#   future  on or after it, unless it passed less than a month before
#   around  on or before it, unless it comes less than a month after
# Press texts report changes that took effect shortly before publication
# ("hat sein Amt zum 1. März angetreten", published on 21 March) and announce
# events shortly after it ("am 14. Februar um 16 Uhr", published in January):
# a date a few weeks away beats one almost a year away on the other side.
_DIRECTIONS = ("past", "future", "around")
_NEAR = timedelta(days=31)
_NEAR_MONTHS = 1

_HEADER_LINES = 5
_HEADER_CHARS = 400
_DATELINE_CHARS = 1500
_BYLINE_MAX_CHARS = 120
_CUE_WINDOW = 48  # enough for "mit Wirkung zum Donnerstag, den "
_LEAP_CYCLE_YEARS = 8  # the next 29 February is at most eight years away


def _alternatives(words: dict[str, int]) -> str:
    """A regex alternation of capitalised words, longest first so prefixes do not win."""
    return "|".join(word.capitalize() for word in sorted(words, key=len, reverse=True))


_YEAR = r"(?:19|20)\d{2}"
_YEAR_END = r"(?!\d|[.,]\d)"
# A four-digit number followed by a unit is an amount, not a year ("ab 2000 Euro").
_NOT_A_QUANTITY = (
    r"(?!\s*(?:€|%|-?[Jj]ährig|Euro|EUR|Prozent|Mio|Mrd|Million|Milliard|Einwohner"
    r"|Menschen|Personen|Mitarbeit|Beschäftigte|Teilnehm|Besucher|Stunden|Tage"
    r"|Kilometer|km|Meter|Seiten|Stück))"
)
_MONTH = rf"(?:(?:{_alternatives(MONTHS)})(?!\w)|(?:{_alternatives(MONTH_ABBREVIATIONS)})\.)"
_WEEKDAY = rf"(?:{_alternatives(WEEKDAYS)})"
_WEEKDAY_LEAD = rf"(?:{_WEEKDAY},?\s+(?:den\s+)?)?"
_RELATIVE_ADJECTIVE = rf"(?P<rel>(?i:{'|'.join(RELATIVE_OFFSETS)}))(?:en|es|em|er)"
_NUMBER = rf"(?:\d{{1,2}}|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"
_YEAR_TAIL = (
    rf"(?:\s+(?P<year>{_YEAR}){_YEAR_END}{_NOT_A_QUANTITY}"
    rf"|\s+(?:des\s+)?{_RELATIVE_ADJECTIVE}\s+Jahres(?!\w))"
)
# A complete date as found in headers; its value is checked by parse_date_expression.
_FULL_DATE = (
    rf"(?<![\d.])(?:\d{{1,2}}\.\s?\d{{1,2}}\.\s?{_YEAR}|{_YEAR}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}\.\s?{_MONTH}\s+{_YEAR})(?!\d)"
)

_ISO_DATE = re.compile(rf"(?<![\d-])(?P<year>{_YEAR})-(?P<month>\d{{2}})-(?P<day>\d{{2}})(?![\d-])")
_NUMERIC_DATE = re.compile(rf"(?<![\d.])(?P<day>[0-3]?\d)\.\s?(?P<month>[01]?\d)\.\s?(?P<year>{_YEAR}){_YEAR_END}")
# "13.01." needs its closing dot: "13.01 Uhr" is a time, "2.0" a version.
_NUMERIC_DAY_MONTH = re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?!\d)")
_TEXT_DATE = re.compile(rf"(?<![\d.])(?P<day>[0-3]?\d)\.\s?(?P<month>{_MONTH}){_YEAR_TAIL}?")
_MONTH_DATE = re.compile(rf"(?<!\w)(?:(?P<edge>Anfang|Mitte|Ende)\s+)?(?P<month>{_MONTH}){_YEAR_TAIL}?")
_YEAR_DATE = re.compile(
    r"(?<![\w.,])(?:(?P<edge>Anfang|Mitte|Ende|Frühjahr|Frühling|Sommer|Herbst|Winter"
    r"|Jahres(?:beginn|anfang|mitte|ende))(?:\s+des\s+Jahres)?\s+|(?P<year_word>Jahr(?:es|e)?)\s+)?"
    rf"(?P<year>{_YEAR}){_YEAR_END}{_NOT_A_QUANTITY}"
)
_RELATIVE_PERIOD = re.compile(
    rf"(?<!\w)(?:(?:Anfang|Mitte|Ende)\s+)?(?:des\s+)?{_RELATIVE_ADJECTIVE}\s+"
    r"(?P<unit>Jahr|Monat)(?:es|s)?(?!\w)"
    r"|(?<!\w)Vor(?P<previous>jahr|monat)(?:es|s)?(?!\w)"
)
_CURRENT_PERIOD = re.compile(
    r"(?<!\w)(?:(?:Anfang|Mitte|Ende)\s+des\s+(?P<unit>Jahr|Monat)(?:es|s)"
    rf"|Jahres(?:beginn|anfang|mitte|ende))(?!\w)(?!\s+{_YEAR})"
)
_COUNT_AGO = re.compile(
    r"(?<!\w)(?:(?P<ago>(?i:vor))\s+)?(?:(?:etwa|rund|gut|knapp|fast|genau)\s+)?"
    rf"(?P<count>{_NUMBER})\s+(?P<unit>Jahr|Monat)(?:en)?(?!\w)"
)
# A weekday followed by its date ("Montag, 24. Januar", "Dienstag (7.5.)") is
# left to the date rules, which see the weekday as part of the cue.
_WEEKDAY_DATE = re.compile(
    r"(?<!\w)(?:(?P<rel>(?i:vergangen|letzt|vorig|kommend|nächst))(?:en|e)\s+)?"
    rf"(?P<weekday>{_WEEKDAY})(?:morgen|vormittag|mittag|nachmittag|abend|nacht)?(?!\w)"
    r"(?!,?\s*(?:den\s+)?\d|\s*\(\s*\d)"
)
# "vom 6. bis zum 7. Februar": the first day borrows month and year from the second.
_RANGE_START_DAY = re.compile(
    r"(?<![\d.])(?P<day>[0-3]?\d)\."
    rf"(?=\s*(?:bis(?:\s+(?:zum|einschließlich))?|[-–])\s*[0-3]?\d\.\s?(?:{_MONTH}|[01]?\d\.))"
)


def _any_of(words: set[str]) -> re.Pattern[str]:
    """Any of ``words`` in a lower-cased text, leaving out words that contain a shorter one: a
    case-insensitive alternation of every word is several times slower, and these run over every
    role's context."""
    return re.compile("|".join(sorted(word for word in words if not any(other in word for other in words - {word}))))


# Every date rule above needs a digit, a month, a weekday, or "Jahr"/"Monat" (``_Rule.needs``): a text
# without any holds no date.
_HAS_DIGIT = re.compile(r"\d")
_HAS_MONTH = _any_of({*MONTHS, *MONTH_ABBREVIATIONS})
_HAS_WEEKDAY = _any_of(set(WEEKDAYS))
_HAS_PERIOD_WORD = _any_of({"jahr", "monat"})
_MAY_HOLD_A_DATE = re.compile("|".join(p.pattern for p in (_HAS_DIGIT, _HAS_MONTH, _HAS_WEEKDAY, _HAS_PERIOD_WORD)))
_RANGE_CONNECTOR = re.compile(r"\s*(?:bis(?:\s+(?:zum|einschließlich))?|[-–])\s*")
# Spans that look like dates but are not: opening hours and numbered references.
_NOT_A_DATE = re.compile(
    rf"{_WEEKDAY}s?\s*(?:bis|-|–)\s*{_WEEKDAY}"
    r"|(?<!\w)(?:Version|Release|Kapitel|Abschnitt|Ziffer|Nr\.|§|Paragra(?:f|ph)|Artikel|Art\.)\s*\d[\d.]*"
)
_CUE_BEFORE = re.compile(
    r"(?:(?<!\w)(?P<cue>(?i:mit\s+wirkung\s+(?:zum|vom|ab)|seit|ab|zum|beginn"
    r"|bis(?:\s+(?:zum|einschließlich|spätestens))?|am|im|vom|von))\s*:?\s+(?:(?:dem|den)\s+)?)?"
    rf"(?:(?P<weekday>{_WEEKDAY})(?:,\s*|\s*\(\s*|\s+den\s+)|(?P<bracket>\()\s*)?$"
)
# "aus dem Amt für Interne Dienste" names an office; "scheidet aus dem Amt" ends one.
_ENDING_WORDS = re.compile(
    r"(?<!\w)(?:beend\w*|endet\w*|aus\s+dem\s+Amt(?!\s+(?:für|der|des)\b)|(?:aus)?scheid\w*"
    r"|Ruhestand|verlässt|verließ)",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,;:!?]|\.(?:\s|$)|\s(?:und|aber|sondern|doch|während)\s")

_LEADING_CUE = re.compile(
    r"(?i:(?:mit\s+wirkung\s+)?(?:seit|ab|bis|zum|am|im|vom|von|beginn:?)\s+(?:(?:zum|dem|den)\s+)?)?"
    rf"(?:{_WEEKDAY}(?:,\s*|\s+den\s+|\s*\(\s*))?"
)
_TRAILING_TIME = re.compile(r"(?:,?\s*(?:um\s+)?\d{1,2}(?:[:.]\d{2})?\s*Uhr|,?\s*\d{1,2}:\d{2})\s*$")
_STATED_YEAR = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
_DATEPARSER_SHAPE = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{1,2}/\d{4}|(?i:jan|feb|mär|mrz|apr|mai|jun|jul|aug|sep|okt|nov|dez)"
)

_LABELLED_DATE = re.compile(
    r"(?m)(?:^|[|·•])[ \t\ufeff]*(?i:Beginndatum|Erstelldatum|Erstellungsdatum|Erstellt\s+am"
    r"|Veröffentlichungsdatum|Veröffentlicht(?:\s+am)?|Publiziert(?:\s+am)?|Datum|Stand"
    r"|(?:Presse(?:mitteilung|meldung|information)|Meldung|Mitteilung)\s+vom)"
    rf"[ \t]*:?[ \t]*(?:\r?\n[ \t]*){{0,2}}{_WEEKDAY_LEAD}(?P<date>{_FULL_DATE})"
)
_LINE_BREAK = re.compile(r"\n")
_SEPARATOR = re.compile(r"[|·•]")
_CRAWLER_STAMP = re.compile(r"[ \t\ufeff]*date[ \t]+(?P<date>\d{4}-\d{2}(?:-\d{2})?)(?![\d-])[ \t]*")
_HEADER_LEADING = re.compile(
    rf"[ \t\ufeff]*(?:[\[(][ \t]*)?(?:(?i:von|vom)[ \t]+)?{_WEEKDAY_LEAD}(?P<date>{_FULL_DATE})"
)
_HEADER_TRAILING = re.compile(rf"(?:^|[|·•–—,/]|\s-)[ \t]*{_WEEKDAY_LEAD}(?P<date>{_FULL_DATE})[ \t]*[.)\]]?[ \t]*$")
_EVENT_BEFORE = re.compile(rf"(?:(?<!\w)(?i:am|ab|bis|seit|vom|zum)|{_WEEKDAY})\W*$")
_DATELINE = re.compile(
    r"[ \t\ufeff]*(?P<place>[A-ZÄÖÜ][\w\-./]*(?:[ \t]+[\w\-./]+){0,3})(?:[ \t]*\([^()\n]{1,20}\))?"
    rf"[ \t]*,[ \t]*(?:den[ \t]+)?{_WEEKDAY_LEAD}(?P<date>{_FULL_DATE})[ \t]*(?:[.:\-–—(]|$)"
)
_NOT_A_PLACE = re.compile(rf"^(?:Am|Im|Seit|Ab|Bis|Vom|Zum|Anfang|Mitte|Ende)\b|{_WEEKDAY}")
_FILENAME_DATE = re.compile(
    rf"(?<!\d)(?P<year>{_YEAR})(?P<sep>[-_.]?)(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)(?!\d)"
    rf"|(?<!\d)(?P<day2>[0-3]\d)(?P<sep2>[-_.])(?P<month2>[01]\d)(?P=sep2)(?P<year2>{_YEAR})(?!\d)"
)


# --------------------------------------------------------------------------
# Calendar arithmetic


def _partial(year: int, month: int | None = None, day: int | None = None) -> PartialDate | None:
    """A PartialDate, or None when the parts do not form a real date."""
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None


def _shift_month(year: int, month: int, delta: int) -> PartialDate:
    index = year * 12 + month - 1 + delta
    return PartialDate(index // 12, index % 12 + 1)


def _occurrence(month: int, day: int, reference: date, step: int) -> date | None:
    """The nearest ``day.month.`` on or before (step -1) or on or after (step 1) the reference."""
    for offset in range(_LEAP_CYCLE_YEARS + 1):
        try:
            candidate = date(reference.year + step * offset, month, day)
        except ValueError:
            continue
        if (candidate - reference).days * step >= 0:
            return candidate
    return None


def _nearest_day(month: int, day: int, reference: date | None, direction: str) -> PartialDate | None:
    if reference is None or not 1 <= month <= 12:
        return None
    before = _occurrence(month, day, reference, -1)
    after = _occurrence(month, day, reference, 1)
    if direction == "future":
        just_passed = before is not None and reference - before <= _NEAR
        chosen = before if just_passed else after
    elif direction == "around":
        coming_soon = after is not None and after - reference <= _NEAR
        chosen = after if coming_soon else before
    else:
        chosen = before
    return PartialDate.from_date(chosen) if chosen else None


def _nearest_month(month: int, reference: date | None, direction: str) -> PartialDate | None:
    if reference is None:
        return None
    before = reference.year if month <= reference.month else reference.year - 1
    months_back = (reference.year - before) * 12 + reference.month - month
    if direction == "future" and months_back > _NEAR_MONTHS:
        return PartialDate(before + 1, month)
    if direction == "around" and months_back == 12 - _NEAR_MONTHS:
        return PartialDate(before + 1, month)
    return PartialDate(before, month)


def _month_number(token: str) -> int:
    """The number of a month given as digits, a name or an abbreviation (0 if unknown)."""
    if token.isdigit():
        return int(token)
    name = token.rstrip(".").lower()
    return MONTHS.get(name) or MONTH_ABBREVIATIONS.get(name, 0)


def _relative_offset(adjective_stem: str) -> int:
    return RELATIVE_OFFSETS[adjective_stem.lower()]


def _count(token: str) -> int:
    return int(token) if token.isdigit() else NUMBER_WORDS[token.lower()]


# --------------------------------------------------------------------------
# Resolvers: a rule's match (plus reference and direction) to a value


_Resolver = Callable[[re.Match[str], date | None, str], PartialDate | None]


def _resolve_day_date(match: re.Match[str], reference: date | None, direction: str) -> PartialDate | None:
    month, day = _month_number(match["month"]), int(match["day"])
    groups = match.groupdict()
    if groups.get("year"):
        return _partial(int(groups["year"]), month, day)
    if groups.get("rel"):
        if reference is None:
            return None
        return _partial(reference.year + _relative_offset(groups["rel"]), month, day)
    return _nearest_day(month, day, reference, direction)


def _resolve_month_date(match: re.Match[str], reference: date | None, direction: str) -> PartialDate | None:
    month = _month_number(match["month"])
    if match["year"]:
        return _partial(int(match["year"]), month)
    if match["rel"]:
        if reference is None:
            return None
        return _partial(reference.year + _relative_offset(match["rel"]), month)
    return _nearest_month(month, reference, direction)


def _resolve_year(match: re.Match[str], reference: date | None, direction: str) -> PartialDate | None:
    return PartialDate(int(match["year"]))


def _resolve_relative_period(match: re.Match[str], reference: date | None, direction: str) -> PartialDate | None:
    if reference is None:
        return None
    unit = match["previous"] or match["unit"].lower()
    offset = -1 if match["previous"] else _relative_offset(match["rel"])
    if unit == "jahr":
        return PartialDate(reference.year + offset)
    return _shift_month(reference.year, reference.month, offset)


def _resolve_current_period(match: re.Match[str], reference: date | None, direction: str) -> PartialDate | None:
    if reference is None:
        return None
    if match["unit"] == "Monat":
        return PartialDate(reference.year, reference.month)
    return PartialDate(reference.year)


def _resolve_count(match: re.Match[str], reference: date | None, direction: str) -> PartialDate | None:
    if reference is None:
        return None
    sign = 1 if direction == "future" and not match["ago"] else -1
    offset = sign * _count(match["count"])
    if match["unit"] == "Jahr":
        return PartialDate(reference.year + offset)
    return _shift_month(reference.year, reference.month, offset)


def _resolve_weekday(match: re.Match[str], reference: date | None, direction: str) -> PartialDate | None:
    if reference is None:
        return None
    weekday = WEEKDAYS[match["weekday"].lower()]
    days_back = (reference.weekday() - weekday) % 7
    days_ahead = (weekday - reference.weekday()) % 7
    offset = _relative_offset(match["rel"]) if match["rel"] else 0
    if offset < 0:
        return PartialDate.from_date(reference - timedelta(days=days_back or 7))
    if offset > 0:
        return PartialDate.from_date(reference + timedelta(days=days_ahead or 7))
    if direction == "future":
        return PartialDate.from_date(reference + timedelta(days=days_ahead))
    return PartialDate.from_date(reference - timedelta(days=days_back))


def _resolve_range_start_day(match: re.Match[str], reference: date | None, direction: str) -> PartialDate | None:
    """The latest date with this day of month on or before the reference (the end of the range)."""
    if reference is None:
        return None
    day = int(match["day"])
    for months_back in range(3):
        month = _shift_month(reference.year, reference.month, -months_back)
        candidate = _partial(month.year, month.month, day)
        if candidate is not None and candidate.first_day() <= reference:
            return candidate
    return None


# --------------------------------------------------------------------------
# Rules


_ALL_CUES = frozenset({*CUE_EFFECTS, "am", "im", "vom", "von"})
_PERIOD_CUES = frozenset({"seit", "ab", "zum", "mit wirkung", "beginn", "bis", "im", "vom", "von"})
_YEAR_CUES = frozenset({"seit", "ab", "mit wirkung", "beginn", "bis", "von"})
_WEEKDAY_CUES = frozenset({"seit", "ab", "zum", "bis", "am", "vom"})


@dataclass(frozen=True)
class _Rule:
    """One form of date expression: how to find it and how to resolve it.

    A match stands on its own when ``licensing_cues`` is None or one of
    ``self_licensing_groups`` took part in it; otherwise the cue before it
    must be one of ``licensing_cues`` ("2019" is only a year after "seit").
    """

    pattern: re.Pattern[str]
    resolve: _Resolver
    licensing_cues: frozenset[str] | None = None
    self_licensing_groups: tuple[str, ...] = ()
    range_start_only: bool = False
    # What the lower-cased text of every match contains: a rule is not tried on a text without it.
    needs: re.Pattern[str] = _HAS_DIGIT

    def licensed(self, match: re.Match[str], cue: str | None) -> bool:
        if self.licensing_cues is None or any(match[group] for group in self.self_licensing_groups):
            return True
        return cue in self.licensing_cues


_RULES: tuple[_Rule, ...] = (
    _Rule(_ISO_DATE, _resolve_day_date),
    _Rule(_NUMERIC_DATE, _resolve_day_date),
    _Rule(_TEXT_DATE, _resolve_day_date, needs=_HAS_MONTH),
    _Rule(_NUMERIC_DAY_MONTH, _resolve_day_date, _ALL_CUES | {"weekday", "bracket"}),
    _Rule(_MONTH_DATE, _resolve_month_date, _PERIOD_CUES, ("edge", "year", "rel"), needs=_HAS_MONTH),
    _Rule(_YEAR_DATE, _resolve_year, _YEAR_CUES, ("edge", "year_word")),
    _Rule(_RELATIVE_PERIOD, _resolve_relative_period, needs=_HAS_PERIOD_WORD),
    _Rule(_CURRENT_PERIOD, _resolve_current_period, needs=_HAS_PERIOD_WORD),
    _Rule(_COUNT_AGO, _resolve_count, frozenset({"seit"}), ("ago",), needs=_HAS_PERIOD_WORD),
    _Rule(_WEEKDAY_DATE, _resolve_weekday, _WEEKDAY_CUES, ("rel",), needs=_HAS_WEEKDAY),
    _Rule(_RANGE_START_DAY, _resolve_range_start_day, range_start_only=True),
)


# --------------------------------------------------------------------------
# Date mentions


@dataclass
class _Found:
    """A rule match in a text while its kind and value are being settled."""

    match: re.Match[str]
    rule: _Rule
    kind: str
    direction: str
    value: PartialDate | None = None
    in_range: bool = False

    @property
    def start(self) -> int:
        return self.match.start()

    @property
    def end(self) -> int:
        return self.match.end()


def _cue_before(text: str, start: int) -> str | None:
    """The cue word right before ``start`` ("seit", "bis", "am", ...), or "weekday"/"bracket"."""
    match = _CUE_BEFORE.search(text, max(0, start - _CUE_WINDOW), start)
    if match is None:
        return None
    if match["cue"]:
        words = match["cue"].lower().split()
        return "mit wirkung" if words[0] == "mit" else words[0]
    if match["weekday"]:
        return "weekday"
    return "bracket" if match["bracket"] else None


def _ends_in_clause(text: str, position: int) -> bool:
    """Whether the clause after ``position`` says that something ends (endet, scheidet aus)."""
    clause_end = _CLAUSE_END.search(text, position)
    return _ENDING_WORDS.search(text, position, clause_end.start() if clause_end else len(text)) is not None


def _scan(text: str, lower: str) -> Iterator[_Found]:
    """The date expressions in ``text`` (``lower`` is it lower-cased, for the rules' ``needs``)."""
    for rule in _RULES:
        if rule.needs.search(lower) is None:
            continue
        for match in rule.pattern.finditer(text):
            cue = _cue_before(text, match.start())
            if not rule.licensed(match, cue):
                continue
            kind, direction = CUE_EFFECTS.get(cue or "", _POINT_EFFECT)
            if kind != "end" and _ends_in_clause(text, match.end()):
                kind = "end"
            yield _Found(match, rule, kind, direction)


def _longest_without_overlap(found: list[_Found]) -> list[_Found]:
    kept: list[_Found] = []
    for item in sorted(found, key=lambda item: item.start - item.end):  # stable: rule order breaks ties
        if all(item.end <= other.start or other.end <= item.start for other in kept):
            kept.append(item)
    return sorted(kept, key=lambda item: item.start)


def _link_ranges(text: str, found: list[_Found]) -> None:
    """Mark "X bis Y" / "X-Y" pairs as start and end; X without a year takes it from Y."""
    for first, second in pairwise(found):
        if not _RANGE_CONNECTOR.fullmatch(text, first.end, second.start):
            continue
        first.kind, second.kind, first.in_range = "start", "end", True
        needs_reference = first.rule.resolve(first.match, None, first.direction) is None
        if second.value is not None and needs_reference:
            first.value = first.rule.resolve(first.match, second.value.last_day(), "past")


def find_date_mentions(text: str, *, reference: date | None) -> list[DateMention]:
    """Every date expression in ``text`` with its kind and value, sorted by position.

    ``kind`` is "start" after seit/ab/zum/mit Wirkung zum/Beginn, "end" after
    bis or when the clause says that something ends (endet, scheidet aus,
    Ruhestand), otherwise "point". Dates without a year are resolved against
    ``reference`` (see :func:`parse_date_expression`); without a reference
    they are left out. Of overlapping expressions the longest is kept.
    """
    lower = text.lower()
    if not _MAY_HOLD_A_DATE.search(lower):
        return []
    blocked = [match.span() for match in _NOT_A_DATE.finditer(text)]
    found = _longest_without_overlap(
        [item for item in _scan(text, lower) if all(item.end <= start or end <= item.start for start, end in blocked)]
    )
    for item in found:
        item.value = item.rule.resolve(item.match, reference, item.direction)
    _link_ranges(text, found)
    return [
        DateMention(item.start, item.end, item.match[0], item.value, item.kind)
        for item in found
        if item.value is not None and (item.in_range or not item.rule.range_start_only)
    ]


# --------------------------------------------------------------------------
# Single expressions


def _check_direction(direction: str) -> None:
    if direction not in _DIRECTIONS:
        raise ValueError(f"direction must be one of {_DIRECTIONS}, not {direction!r}")


def _normalise_expression(text: str) -> str:
    """Drop the cue, a leading weekday, a trailing time and brackets: "am Dienstag (7.5.)" -> "7.5."."""
    expression = " ".join(text.split())
    expression = expression[_LEADING_CUE.match(expression).end() :]
    expression = _TRAILING_TIME.sub("", expression)
    return expression.strip(" ,;:()[]")


def parse_date_expression(text: str, *, reference: date | None, direction: str = "past") -> PartialDate | None:
    """Parse one short date expression ("Dezember", "1. April 2021", "vor zwei Jahren").

    Parts the text leaves out come from ``reference`` (the publication date).
    ``direction`` says where a date or month named without its year lies:

    * ``"past"`` - the nearest on or before the reference (after "seit");
    * ``"future"`` - the nearest on or after it, unless the date passed less
      than a month before (after "ab", "zum", "bis": "hat sein Amt zum
      1. März angetreten" in a text of 21 March means this year's);
    * ``"around"`` - the nearest on or before it, unless the date comes less
      than a month after (a bare date: press texts announce events a few
      weeks ahead).

    Returns None when the text is not a date, or needs a reference and none
    is given.
    """
    _check_direction(direction)
    expression = _normalise_expression(text)
    variants = (expression, expression[:-1]) if expression.endswith(".") else (expression,)
    for variant in variants:
        for rule in _RULES:
            match = rule.pattern.fullmatch(variant)
            if match is not None:
                return rule.resolve(match, reference, direction)
    return _parse_with_dateparser(expression)


@lru_cache(maxsize=1)
def _date_data_parser() -> DateDataParser:
    # Imported here: dateparser is slow to load and only odd expressions need it.
    from dateparser.date import DateDataParser

    settings = {"RETURN_TIME_AS_PERIOD": True, "DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"}
    return DateDataParser(languages=["de"], settings=settings)


def _parse_with_dateparser(expression: str) -> PartialDate | None:
    """Fallback for date-shaped expressions the rules do not know ("3. Okt 2023", "12/2023").

    Only expressions that state a four-digit year qualify, and the value must
    keep that year: dateparser fills gaps from today's date and reads "23" as
    1923 or 2023 depending on it, and neither may leak into a value.
    """
    year = _STATED_YEAR.search(expression)
    if year is None or not _DATEPARSER_SHAPE.search(expression):
        return None
    date_data = _date_data_parser().get_date_data(expression)
    value = date_data.date_obj
    if value is None or value.year != int(year[0]):
        return None
    if date_data.period == "day":
        return PartialDate(value.year, value.month, value.day)
    if date_data.period == "month":
        return PartialDate(value.year, value.month)
    if date_data.period == "year":
        return PartialDate(value.year)
    return None  # a time or a week: not a precision we keep


# --------------------------------------------------------------------------
# Publication date


@dataclass(frozen=True)
class _Candidate:
    """A complete date found in a text, as a publication-date candidate."""

    start: int
    end: int
    value: date


def _full_date(text: str, start: int, end: int) -> _Candidate | None:
    """A candidate for a span that must hold a complete date (day, month and year)."""
    value = parse_date_expression(text[start:end], reference=None)
    if value is None or value.precision != "day":
        return None
    return _Candidate(start, end, value.first_day())


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line of ``text`` without its line break, with the offset where it starts."""
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line.rstrip("\r\n")
        offset += len(line)


def _labelled_dates(text: str) -> Iterator[_Candidate]:
    # A label stands at a line start or after a separator: trying the pattern only there finds what
    # ``finditer`` finds, without a scan that tries it at every character of the text.
    starts = [
        0,
        *(match.end() for match in _LINE_BREAK.finditer(text)),
        *(m.start() for m in _SEPARATOR.finditer(text)),
    ]
    done = 0
    for start in sorted(starts):
        match = _LABELLED_DATE.match(text, start) if start >= done else None
        if match is None:
            continue
        done = match.end()
        candidate = _full_date(text, *match.span("date"))
        if candidate is not None:
            yield candidate


def _header_dates_in_line(line: str, offset: int) -> Iterator[tuple[int, int]]:
    """Spans (in line coordinates shifted by ``offset``) of dates that stand as a header."""
    position = 0
    stamp = _CRAWLER_STAMP.match(line)
    if stamp is not None:
        yield offset + stamp.start("date"), offset + stamp.end("date")
        position = stamp.end()
    leading = _HEADER_LEADING.match(line, position)
    if leading is not None:
        yield offset + leading.start("date"), offset + leading.end("date")
    if len(line) > _BYLINE_MAX_CHARS:
        return  # a paragraph, not a byline: no search through it
    trailing = _HEADER_TRAILING.search(line, position)
    if trailing is not None and not _EVENT_BEFORE.search(line, 0, trailing.start("date")):
        yield offset + trailing.start("date"), offset + trailing.end("date")


def _header_dates(text: str) -> Iterator[_Candidate]:
    """Dates standing alone, in brackets or as a byline in the first lines."""
    non_empty = 0
    for offset, line in _lines(text):
        if not line.strip():
            continue
        non_empty += 1
        if non_empty > _HEADER_LINES and offset >= _HEADER_CHARS:
            return
        for start, end in _header_dates_in_line(line, offset):
            candidate = _full_date(text, start, end)
            if candidate is not None:
                yield candidate


def _dateline_dates(text: str) -> Iterator[_Candidate]:
    """Dates after a place at the start of a paragraph: "Detmold, 2. Oktober 2023."."""
    for offset, line in _lines(text):
        if offset >= _DATELINE_CHARS:
            return
        match = _DATELINE.match(line)
        if match is None or _NOT_A_PLACE.search(match["place"]):
            continue
        candidate = _full_date(text, offset + match.start("date"), offset + match.end("date"))
        if candidate is not None:
            yield candidate


def _filename_date(filename: str) -> date | None:
    for match in _FILENAME_DATE.finditer(PurePath(filename).name):
        year, month, day = (
            (match["year"], match["month"], match["day"])
            if match["year"]
            else (match["year2"], match["month2"], match["day2"])
        )
        value = _partial(int(year), int(month), int(day))
        if value is not None:
            return value.first_day()
    return None


def find_publication_date(text: str, *, filename: str | None = None) -> PublicationDate | None:
    """The publication date of a press text, or None if neither text nor file name gives one.

    Preference: a header date (a labelled date anywhere - Erstelldatum,
    Veröffentlicht am, Stand:, Pressemitteilung vom - before an unlabelled one
    in the first lines; the earliest of each), then a dateline at the start of
    the body, then a date in the file name. Only complete dates count, and
    dates inside body prose never do. Offsets are those of the date in
    ``text`` (None for the file name).
    """
    for source, candidates in (
        ("header", _labelled_dates(text)),
        ("header", _header_dates(text)),
        ("dateline", _dateline_dates(text)),
    ):
        first = min(candidates, key=lambda candidate: candidate.start, default=None)
        if first is not None:
            return PublicationDate(first.value, source, first.start, first.end)
    if filename is not None:
        value = _filename_date(filename)
        if value is not None:
            return PublicationDate(value, "filename")
    return None


# A crawler's stamp on the first line: `` date 2019-03 Jonas Ried wird ...``.
_MONTH_STAMP = re.compile(r"\A\s*date (\d{4})-(\d{2})\b")


def find_reference_month(text: str) -> date | None:
    """The first day of the month a text stamps itself with, for texts without a full publication date.

    It gives year-less dates their year (``zum 1. April``) but is no publication
    date: a row's ``as_of`` stays empty.
    """
    match = _MONTH_STAMP.match(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


class ManifestError(ValueError):
    """A manifest that cannot be used; the message names file and line."""


def read_manifest(path: Path) -> dict[str, date]:
    """Publication dates by doc_id from a CSV file with the columns ``doc_id,published``.

    An empty ``published`` means the date is unknown. Every problem names the
    file and line.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"doc_id", "published"} - set(reader.fieldnames or ())
            if missing:
                raise ManifestError(f"{path}:1: missing column(s): {', '.join(sorted(missing))}")
            dates: dict[str, date] = {}
            for line, row in enumerate(reader, start=2):
                value = (row["published"] or "").strip()
                if not value:
                    continue
                try:
                    dates[row["doc_id"]] = date.fromisoformat(value)
                except ValueError:
                    raise ManifestError(f"{path}:{line}: published is not a date YYYY-MM-DD: {value!r}") from None
            return dates
    except OSError as error:
        raise ManifestError(f"{path}: cannot read manifest: {error}") from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise ManifestError(f"{path}: not a UTF-8 CSV file: {error}") from error
