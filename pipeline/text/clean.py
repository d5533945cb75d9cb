"""Clean a decoded text for NLP while keeping an exact map back to the raw text.

The cleaner is a chain of small steps.  Each step takes and returns a
:class:`Mapped` text: the text plus, for every character, the offset of the raw
character it stands for (and one extra entry, ``len(raw_text)``, for the end).
Steps only ever

* delete characters (their offsets go with them),
* translate characters one to one (offsets stay as they are), or
* replace a match by new text, whose characters all take the raw offset of
  the first matched character,

so offsets never decrease and every cleaned character points into the raw
text.  The chain: remove invisible characters, compose to NFC, unify
typography, tidy spaces, rejoin words broken by layout hyphenation, drop page
furniture lines (navigation, share buttons, copyright, publisher blocks) and
tidy blank lines.  Photo captions are kept: they name people and their roles.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from typing import NamedTuple

from pipeline.records import CleanDocument, RawDocument


class Mapped(NamedTuple):
    """A text and the raw offset of each of its characters, plus the end."""

    text: str
    offsets: list[int]


Replacement = str | Callable[[re.Match[str]], str]


def clean(raw: RawDocument) -> CleanDocument:
    """Clean ``raw.text``; the result maps every cleaned character back to it."""
    mapped = Mapped(raw.text, list(range(len(raw.text) + 1)))
    for step in STEPS:
        mapped = step(mapped)
    return CleanDocument(
        doc_id=raw.doc_id,
        path=raw.path,
        raw_text=raw.text,
        text=mapped.text,
        raw_offsets=mapped.offsets,
        title=find_title(mapped.text),
    )


# --- mapped editing primitives ------------------------------------------------


def substitute(mapped: Mapped, pattern: re.Pattern[str], replacement: Replacement, group: int | str = 0) -> Mapped:
    """Replace ``group`` of every match of ``pattern``, carrying the offsets along.

    ``replacement`` is a string or a function of the match.  A replacement equal
    to the text it replaces leaves that text and its offsets untouched.
    """
    text, offsets = mapped
    pieces: list[str] = []
    new_offsets: list[int] = []
    done = 0
    for match in pattern.finditer(text):
        start, end = match.span(group)
        if start < 0:  # the group took no part in this match
            continue
        new = replacement if isinstance(replacement, str) else replacement(match)
        if new == text[start:end]:
            continue
        pieces += (text[done:start], new)
        new_offsets += offsets[done:start]
        new_offsets += [offsets[start]] * len(new)
        done = end
    if not pieces:
        return mapped
    pieces.append(text[done:])
    new_offsets += offsets[done:]
    return Mapped("".join(pieces), new_offsets)


def drop_lines(mapped: Mapped, drop: Callable[[list[str]], list[bool]]) -> Mapped:
    """Remove whole lines (with their line break) where ``drop`` says so."""
    text, offsets = mapped
    lines = text.split("\n")
    flags = drop(lines)
    if not any(flags):
        return mapped
    pieces: list[str] = []
    new_offsets: list[int] = []
    start = 0
    for line, dropped in zip(lines, flags, strict=True):
        end = min(start + len(line) + 1, len(text))  # the last line has no break
        if not dropped:
            pieces.append(text[start:end])
            new_offsets += offsets[start:end]
        start = end
    new_offsets.append(offsets[-1])
    return Mapped("".join(pieces), new_offsets)


def strip(mapped: Mapped, chars: str) -> Mapped:
    """Remove ``chars`` from both ends of the text."""
    text, offsets = mapped
    start = len(text) - len(text.lstrip(chars))
    end = len(text.rstrip(chars))
    if (start, end) == (0, len(text)):
        return mapped
    return Mapped(text[start:end], offsets[start:end] + offsets[-1:])


# --- step 1: characters -----------------------------------------------------------

# Characters that carry no text: C0 controls such as NUL that exports leave
# behind, soft hyphens, zero-width characters and stray byte-order marks.  The
# CR of a CRLF goes too, so that the LF keeps its own raw offset.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f\u00ad\u200b-\u200d\u2060\ufeff]|\r(?=\n)")

# One-to-one replacements, so offsets are unchanged.  Line separators are
# unified because Python's str.splitlines (and so later stages) treats all of
# them as line ends.
CHARACTER_MAP: dict[int, str] = str.maketrans(
    dict.fromkeys("\u201e\u201c\u201d\u201f\u00ab\u00bb", '"')  # „ “ ” ‟ « »
    | dict.fromkeys("\u201a\u2018\u2019\u201b\u2039\u203a", "'")  # ‚ ‘ ’ ‛ ‹ ›
    | dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")  # hyphens, dashes, minus
    | dict.fromkeys("\t\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " ")
    | dict.fromkeys("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", "\n")
)
# Finding the few characters to replace is faster than str.translate on every character.
_MAPPED_CHARACTER = re.compile("[" + "".join(re.escape(chr(code)) for code in CHARACTER_MAP) + "]")

# Code points above this are neither combining nor decomposable (Unicode 15).
_LAST_COMPOSING_CODE_POINT = 0x2FFFF
# Hangul vowel and final jamo compose with the syllable before them by rule,
# not through the decomposition table.
_HANGUL_TRAILING_JAMO = (range(0x1161, 0x1176), range(0x11A8, 0x11C3))


def remove_invisible(mapped: Mapped) -> Mapped:
    return substitute(mapped, _INVISIBLE, "")


def compose(mapped: Mapped) -> Mapped:
    """Unicode NFC; a composed character takes the offset of its base character."""
    if unicodedata.is_normalized("NFC", mapped.text):
        return mapped
    return substitute(mapped, _nfc_candidates(), lambda match: unicodedata.normalize("NFC", match[0]))


@cache
def _nfc_candidates() -> re.Pattern[str]:
    """Match the stretches NFC may change: a character with the marks that follow
    it, or a lone character NFC replaces (such as the Ångström sign).

    NFC never reaches across a character that neither is combining nor can
    compose with the character before it, so these stretches can be normalised
    one by one.  Built on first use: it scans the code space once (some 20-40 ms).
    """
    attaching: set[int] = {code for block in _HANGUL_TRAILING_JAMO for code in block}
    changing: set[int] = set()
    for code in range(_LAST_COMPOSING_CODE_POINT + 1):
        char = chr(code)
        if unicodedata.combining(char):
            attaching.add(code)
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                attaching.add(int(parts[1], 16))
            if unicodedata.normalize("NFC", char) != char:
                changing.add(code)
    # The big classes are slow to test, so a cheap lookahead first skips
    # positions where neither this nor the next character can be involved.
    lowest = min(attaching | changing)
    guard = f"(?=.?[^\\x00-{re.escape(chr(lowest - 1))}])"
    return re.compile(f"(?s){guard}(?:.?[{_char_class(attaching)}]+|[{_char_class(changing)}])")


def _char_class(codes: set[int]) -> str:
    """The body of a regex character class, with runs written as ranges."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        re.escape(chr(first)) if first == last else f"{re.escape(chr(first))}-{re.escape(chr(last))}"
        for first, last in ranges
    )


def unify_characters(mapped: Mapped) -> Mapped:
    text = _MAPPED_CHARACTER.sub(lambda match: CHARACTER_MAP[ord(match[0])], mapped.text)
    return Mapped(text, mapped.offsets)


# --- step 2: spaces and blank lines ---------------------------------------------------

# Spaces before a line end, after a line start, and all but the first of a
# run.  Every branch starts with a literal space, which lets the regex engine
# skip ahead quickly.
_EXTRA_SPACES = re.compile(r" +(?=\n|\Z)| (?<=\n ) *| (?<=  ) *")
# Line breaks beyond the two of a blank line.
_EXTRA_LINE_BREAKS = re.compile(r"\n\n(?P<extra>\n+)")


def tidy_spaces(mapped: Mapped) -> Mapped:
    text = mapped.text
    if "  " not in text and "\n " not in text and " \n" not in text and not text.endswith(" "):
        return strip(mapped, " ")  # nothing for ``_EXTRA_SPACES``: a substring test is far cheaper than its search
    return strip(substitute(mapped, _EXTRA_SPACES, ""), " ")


def tidy_blank_lines(mapped: Mapped) -> Mapped:
    return strip(substitute(mapped, _EXTRA_LINE_BREAKS, "", group="extra"), "\n")


# --- step 3: words broken by layout hyphenation -------------------------------------

# A hyphen inside a lowercase word, possibly followed by a line break, as left
# by layout hyphenation ("Kreisverwal-tung", "erhal-\nten").  The word must
# stand alone: not part of a URL, e-mail address or longer hyphen chain
# ("Smart-City-Managerin"), and both halves lowercase, which rules out
# "IT-Leiter", "E-Government" and "Dornburg-Camburg".
_BROKEN_WORD = re.compile(
    r"(?<![\w@./\\-])"
    r"(?P<left>[A-ZÄÖÜ]?[a-zäöüß]{2,})(?P<cut>-\n?)(?P<right>[a-zäöüß]{2,})"
    r"(?![\w@/-]|\.\w)"
)
# A quick test for texts that cannot contain one (most of them).
_LOWERCASE_HYPHEN = re.compile(r"-(?<=[a-zäöüß]{2}-)\n?[a-zäöüß]{2}")
# Halves that make a real hyphenated word: a conjunction after a suspended
# hyphen ("Digital-\nund"), English particles ("Know-how", "Roll-out"),
# prefixes ("Ex-") and short adjectives ("rot-grün", "schwarz-weiße").
_REAL_WORD_HALVES = frozenset(
    {
        "und", "oder", "bzw", "sowie", "bis", "als", "wie", "zum", "zur",
        "in", "out", "on", "off", "up", "down", "how",
        "ex", "co", "ko",
        "rot", "grün", "gelb", "blau", "schwarz", "weiß", "alt", "neu", "groß", "klein",
        "nord", "süd", "ost", "west",
    }
)  # fmt: skip
_INFLECTION = re.compile(r"(?:e|en|er|es|em)$")
# An adjective as second half marks a real compound ("öffentlich-rechtlich",
# "deutsch-französische", "schleswig-holsteinisch").
_ADJECTIVE_ENDING = re.compile(r"(?:lich|sch|ig|al|ell|iv|är|bar|los|haft|sam|ös)(?:e|en|er|es|em)?$")


def join_broken_words(mapped: Mapped) -> Mapped:
    """Remove layout hyphens; when in doubt, keep the hyphen."""
    if not _LOWERCASE_HYPHEN.search(mapped.text):
        return mapped
    return substitute(mapped, _BROKEN_WORD, _hyphen_or_nothing, group="cut")


def _hyphen_or_nothing(match: re.Match[str]) -> str:
    left, right = match["left"].lower(), match["right"]
    halves = {left, right, _INFLECTION.sub("", right)}
    is_real_word = not halves.isdisjoint(_REAL_WORD_HALVES) or _ADJECTIVE_ENDING.search(right) is not None
    return match["cut"] if is_real_word else ""


# --- step 4: page furniture -----------------------------------------------------------

_MENU_WORDS = (
    "zurück", "seitenanfang", "zum seitenanfang", "nach oben", "druckansicht", "drucken",
    "seite drucken", "teilen", "seite teilen", "seiteninhalt", "inhalt", "startseite", "home",
    "mehr news lesen", "mehr lesen", "weiterlesen", "mehr erfahren", "weitere infos",
    "zur übersicht", "zurück zur übersicht", "zum veranstaltungskalender",
    "veranstaltungskalender", "veranstaltungstipp", "vorlesen", "schließen", "menü", "suche",
    "kontakt", "impressum", "datenschutz", "barrierefreiheit", "sitemap", "leichte sprache",
    "gebärdensprache", "direkt zum inhalt", "zum inhalt springen", "pdf herunterladen",
)  # fmt: skip
_MENU_WORD = "(?:" + "|".join(re.escape(word) for word in sorted(_MENU_WORDS, key=len, reverse=True)) + ")"
# Arrows, bullets and quote marks around link labels ("» Mehr lesen" became '" Mehr lesen').
_DECORATION = r"[\s\"'.:!<>|\-→▸▶❯•·]*"
_SOCIAL = (
    r"(?:facebook|twitter|x|whatsapp|instagram|linkedin|xing|mastodon|threads|bluesky"
    r"|telegram|pinterest|youtube|e-?mail)"
)
_SHARE_VERB = rf"(?:{_SOCIAL}|teilen|share)\b[\s,:|/·•]*"
_SHARE_WORD = r"(?:folgen|sie|uns|auf|bei|via|per|mit|logo|von|und|diese seite|seite|beitrag)\b[\s,:|/·•]*"
_URL = r"(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.(?:de|com|org|net|eu|info)(?:/\S*)?"

# Whole lines (after space tidying) that are page furniture, not text.
FURNITURE_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # navigation labels, alone or as a menu row: "Zurück | Seitenanfang | Druckansicht"
        rf"{_DECORATION}{_MENU_WORD}(?:[\s|·•/]+{_MENU_WORD})*{_DECORATION}",
        # breadcrumbs
        r"sie sind hier:.*",
        # reading-time badges: "Estimated read time 3 min read", "Lesezeit: 2 Minuten"
        r"(?:estimated )?read(?:ing)? time:? \d+ min(?:ute)?s?(?: read)?",
        r"lesezeit:? (?:ca\. )?\d+ min(?:uten|\.)?|\d+ min(?:uten|\.)? lesezeit",
        # CMS shortcodes: "[metaslider id=10234]", "[/caption]" (not "[Foto: ...]")
        r"(?:\[/?[a-z][\w-]*(?:\s+[\w-]+=[^\]]*)?\]\s*)+",
        # share buttons: "Logo von Facebook Logo von Twitter", "Teilen auf: Facebook, X, WhatsApp"
        rf"(?:{_SHARE_WORD})*{_SHARE_VERB}(?:{_SHARE_WORD}|{_SHARE_VERB})*",
        r"web 2\.0",
        # copyright notices: "© 2024 Stadt Essen"
        r"(?:©|\(c\)\s*\d{4}|copyright\b).{0,150}",  # "(c) 2024", not a list item "(c)"
        r".{0,100}alle rechte vorbehalten\W{0,3}",
        # bare links and link-only sources: "Quelle: www.example.de"
        rf"(?:quelle:?\s*)?<?(?:{_URL})>?",
        # image alternative texts
        r"logo (?:des|der|von|vom)\b.{0,200}",
        r"das bild zeigt\b.{0,300}",
    )
)

# All of them in one pattern: one regex call per line instead of one per pattern.
_ANY_FURNITURE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in FURNITURE_LINES), re.IGNORECASE)

# "Herausgegeben von:" starts a block of address, phone and mail lines.
_PUBLISHER_LABEL = re.compile(r"herausgegeben (?:von|durch)\b:?\s*(?P<rest>.{0,150})", re.IGNORECASE)
_MAX_PUBLISHER_LINES = 12
_MAX_CONTACT_LINE_CHARS = 80
_MIN_SENTENCE_WORDS = 4
_WORD_THEN_FULL_STOP = re.compile(r"[a-zäöüß]{2}\.$")  # "Stadt.", not "Str." or "e.V."


def drop_furniture(mapped: Mapped) -> Mapped:
    return drop_lines(mapped, furniture_flags)


def furniture_flags(lines: list[str]) -> list[bool]:
    """For each line, whether it is page furniture."""
    flags = [False] * len(lines)
    index = 0
    while index < len(lines):
        label = _PUBLISHER_LABEL.fullmatch(lines[index])
        if label:
            block_end = _publisher_block_end(lines, index + 1, has_content=bool(label["rest"]))
            flags[index:block_end] = [True] * (block_end - index)
            index = block_end
        else:
            flags[index] = is_furniture(lines[index])
            index += 1
    return flags


def is_furniture(line: str) -> bool:
    return _ANY_FURNITURE.fullmatch(line) is not None


def _publisher_block_end(lines: list[str], start: int, *, has_content: bool) -> int:
    """The index after the contact lines that follow a "Herausgegeben von" label.

    The block ends at the first blank line once it has content, or before a
    line that reads like prose.
    """
    end = start
    while end < len(lines) and end - start < _MAX_PUBLISHER_LINES:
        line = lines[end]
        if not line and has_content:
            break
        if _reads_like_prose(line):
            break
        has_content = has_content or bool(line)
        end += 1
    return end


def _reads_like_prose(line: str) -> bool:
    return len(line) > _MAX_CONTACT_LINE_CHARS or (
        len(line.split()) >= _MIN_SENTENCE_WORDS and _WORD_THEN_FULL_STOP.search(line) is not None
    )


# A crawler that drops a line break glues a headline to the next word:
# "Kreis Lüchow-DannenbergCDO aus Leidenschaft".
_GLUED_ACRONYM = re.compile(r"(?<=[a-zäöüß]{3})(?=[A-ZÄÖÜ]{2,}\b)")
# What every glued acronym contains; a search that starts with a character class is several times faster.
_MAY_BE_GLUED = re.compile(r"[a-zäöüß][A-ZÄÖÜ]{2}")


def split_glued_acronyms(mapped: Mapped) -> Mapped:
    if not _MAY_BE_GLUED.search(mapped.text):
        return mapped
    return substitute(mapped, _GLUED_ACRONYM, " ")


STEPS: tuple[Callable[[Mapped], Mapped], ...] = (
    remove_invisible,
    compose,
    unify_characters,
    tidy_spaces,
    split_glued_acronyms,
    join_broken_words,
    drop_furniture,
    tidy_blank_lines,
)


# --- title ---------------------------------------------------------------------------------

# Crawlers put the crawl month before the headline: "date 2016-10 Neue CDO ...".
_CRAWLER_PREFIX = re.compile(r"date \d{4}(?:-\d{1,2}){0,2}\s+", re.IGNORECASE)
_MONTH = (
    r"(?:januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember"
    r"|jan|feb|mär|apr|jun|jul|aug|sep|sept|okt|nov|dez)"
)
_DATE_OR_TIME = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b"  # 12.03.2024
    r"|\b\d{4}-\d{1,2}(?:-\d{1,2})?\b"  # 2024-03-12, 2024-03
    r"|\b(?:\d{1,2}\.\s?)?" + _MONTH + r"\.?\s\d{4}\b"  # 12. März 2024, März 2024
    r"|\b\d{1,2}[:.]\d{2}\s?uhr\b|\b\d{1,2}:\d{2}\b",  # 10.30 Uhr, 10:30
    re.IGNORECASE,
)
_WORD = re.compile(r"\w{2,}")
_CAPTION_START = re.compile(r"(?:foto|fotos|bild|bu|bildunterschrift|quelle)\s*:|\(?v\.\s?l\.", re.IGNORECASE)
_MIN_TITLE_WORDS = 3
_MAX_TITLE_CHARS = 200


def find_title(text: str) -> str:
    """The first line that reads like a headline: three or more words besides
    any date, and not a photo caption.  Empty if there is none."""
    for line in _lines_without_crawler_prefix(text):
        words = _WORD.findall(_DATE_OR_TIME.sub(" ", line))
        if len(words) >= _MIN_TITLE_WORDS and not _CAPTION_START.match(line):
            return _shorten(line)
    return ""


def _lines_without_crawler_prefix(text: str) -> Iterator[str]:
    for line in text.split("\n"):
        prefix = _CRAWLER_PREFIX.match(line)
        yield line[prefix.end() :] if prefix else line


def _shorten(line: str) -> str:
    if len(line) <= _MAX_TITLE_CHARS:
        return line
    return line[:_MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
