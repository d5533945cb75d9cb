"""Role titles in their normal form: nominative singular, in the holder's gender.

``Digitallotsen`` for a woman becomes ``Digitallotsin``, ``des Beigeordneten``
for a man ``Beigeordneter``, ``das neue Amt leitet`` becomes ``Leiter des Amts
für Innovation``; :func:`canonical_title` tells duplicates apart
(``CDO`` = ``Chief Digital Officer``).

>>> normal_title(mention_of("Digitallotsen"), "f")
'Digitallotsin'
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.link.roles import ANAPHORIC_ADJECTIVES, RoleMention

# Ending of the plural or inflected head -> (masculine, feminine) nominative singular endings.
_HEAD_ENDINGS = (
    ("lots:innen", "lotse", "lotsin"),
    ("lotsinnen", "lotse", "lotsin"),
    ("lotsen", "lotse", "lotsin"),
    (":innen", "", "in"),
    ("*innen", "", "in"),
    ("_innen", "", "in"),
    ("innen", "", "in"),
    ("beauftragten", "beauftragter", "beauftragte"),
    ("beigeordneten", "beigeordneter", "beigeordnete"),
    ("vorsitzenden", "vorsitzender", "vorsitzende"),
    ("verordneten", "verordneter", "verordnete"),
    ("referenten", "referent", "referentin"),
    ("dezernenten", "dezernent", "dezernentin"),
    ("präsidenten", "präsident", "präsidentin"),
)
_ADJECTIVAL_NOUNS = ("beauftragte", "vorsitzende", "beigeordnete", "verordnete", "abgeordnete")
_ADJECTIVE_ENDINGS = (("en", "er", "e"), ("e", "er", "e"))
_SPACE_AFTER_OPENING = re.compile(r"\(\s+")
_SPACE_BEFORE_CLOSING = re.compile(r"\s+([,.)])")


def normal_title(mention: RoleMention, gender: str) -> str:
    """The title in the nominative singular, in the holder's gender where known."""
    if mention.leads:
        agent = "Leiterin" if gender == "f" else "Leiter"
        if mention.unit is not None:
            return f"{agent} {genitive_phrase(mention.unit.text)}"
        return _join([agent, *(token.text for token in mention.title[len(mention.head) :])])
    tokens = [token.text for token in mention.title]
    head_last = mention.head.end - mention.title.start - 1
    if " und " in mention.head.text and not mention.head[0].text.endswith("-"):
        # ``Dezernentinnen und Dezernenten``: keep the form of the holder's gender
        parts = mention.head.text.split(" und ")
        chosen = parts[0] if gender == "f" else parts[-1]
        tokens[: len(mention.head)] = [chosen]
        head_last = 0
    tokens[head_last] = _singular(tokens[head_last], gender)
    for index in range(head_last):
        if tokens[index].lower().endswith(("en", "e")):
            tokens[index] = _inflect_adjective(tokens[index], gender)
    if mention.unit is not None:
        tokens = _resolve_anaphor(tokens, mention.unit.text)
    if len(tokens) >= 2 and tokens[-2] == "Chief":
        tokens.append("Officer")  # ``Chief Digital bzw. Chief Urban Officer``
    return _join(tokens)


def _resolve_anaphor(tokens: list[str], unit: str) -> list[str]:
    """``für das neue Amt`` -> ``für das Amt für Innovation``."""
    for index in range(len(tokens) - 1, 0, -1):
        if tokens[index - 1].lower() in ANAPHORIC_ADJECTIVES:
            return [*tokens[: index - 1], unit, *tokens[index + 1 :]]
    return tokens


_FEMININE_UNITS = re.compile(
    r"(stelle|abteilung|verwaltung|gemeinschaft|gesellschaft|gmbh|ag|einheit|behörde|zentrale)$", re.IGNORECASE
)


def genitive_phrase(unit: str) -> str:
    """``Amt für IT`` -> ``des Amts für IT``; ``Stabsstelle Digitalisierung`` -> ``der Stabsstelle Digitalisierung``."""
    head, _, rest = unit.partition(" ")
    if _FEMININE_UNITS.search(head):
        return f"der {unit}"
    if not head.endswith("s"):
        head += "s"
    return f"des {head} {rest}".strip()


# Abbreviations and elliptic forms of the same title, for telling duplicates apart.
TITLE_ALIASES = {
    "cdo": "chief digital officer",
    "cio": "chief information officer",
    "ob": "oberbürgermeister",
    "chief digital": "chief digital officer",
}


def canonical_title(title: str) -> str:
    key = " ".join(title.casefold().split())
    return TITLE_ALIASES.get(key, key)


@lru_cache(maxsize=4096)  # called for every row; titles repeat
def _singular(word: str, gender: str) -> str:
    lower = word.lower()
    if gender == "m" and lower.endswith(_ADJECTIVAL_NOUNS):
        return word + "r"  # ``der Vorsitzende`` -> ``Vorsitzender``
    for ending, masculine, feminine in _HEAD_ENDINGS:
        if lower.endswith(ending):
            stem = word[: len(word) - len(ending)]
            replacement = feminine if gender == "f" else masculine
            return stem + replacement if stem else replacement.capitalize()
    return word


def _inflect_adjective(word: str, gender: str) -> str:
    lower = word.lower()
    if lower.endswith(("er", "es")) or not re.match(r"^[A-ZÄÖÜa-zäöüß][a-zäöüß]+$", word):
        return word
    for ending, masculine, feminine in _ADJECTIVE_ENDINGS:
        if lower.endswith(ending):
            return word[: len(word) - len(ending)] + (feminine if gender == "f" else masculine)
    return word


def _join(tokens: list[str]) -> str:
    text = " ".join(tokens)
    return _SPACE_BEFORE_CLOSING.sub(r"\1", _SPACE_AFTER_OPENING.sub("(", text)).replace(" : ", ":")
