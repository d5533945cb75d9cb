"""The roles stage: role titles with their complements, categories and normal forms.

The ``role_ruler`` (spaCy's span ruler with ``roles.jsonl``) marks title heads
such as ``Leiter`` or ``Digitallotsen``. :func:`role_mentions` extends each
head over the complement that belongs to the title (``Leiter des Amts für
IT``, ``Beigeordneter für Digitalisierung, IT, Personal``) and separates the
organisation a title names (``Chief Digital Officer der Stadt Essen``).
:func:`refine_category` applies the rules of ``categories.json``: a portfolio
or unit that names digitalisation turns a general title into a digital one.

>>> mentions = list(role_mentions(nlp("Peter Muster, Leiter des Amts für IT der Stadt Beispielstadt")))
>>> mentions[0].title.text, mentions[0].organisation.text
('Leiter des Amts für IT', 'Stadt Beispielstadt')
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span

from .components import ORGANISATIONS_KEY, PLACE_ADJECTIVES_KEY, ROLE_TITLES_KEY
from .config import SHIPPED_PATTERNS_DIR
from .patterns import CATEGORY_RULES_FILE, PatternError
from .taxonomy import CATEGORIES, is_digital

MUNICIPAL_ORGANISATION_HEADS = re.compile(
    r"^(stadt|gemeinde|markt|landeshauptstadt|hansestadt|wissenschaftsstadt|universitätsstadt|kreisstadt|"
    r"stadtverwaltung|gemeindeverwaltung|kreisverwaltung|marktgemeinde|samtgemeinde|verbandsgemeinde|"
    r"verwaltungsgemeinschaft|vg|kreis|landkreis)$",
    re.IGNORECASE,
)
UNIT_NOUN = re.compile(
    r"(amt|amts|amtes|abteilung|stabsstelle|fachbereich|fachbereichs|fachbereiches|fachdienst|fachdienstes|"
    r"referat|referats|dezernat|dezernats|bereich|bereichs|büro|büros|zentrum|zentrums|systemhaus|systemhauses|"
    r"rechenzentrum|rechenzentrums|programm|programms|projekt|projekts|projektes|team|teams)$",
    re.IGNORECASE,
)
# Heads whose complement may follow without an article (``Fachbereichsleiter Digitalisierung``).
BARE_COMPLEMENT_HEADS = re.compile(r"(leiter|leiterin|koordinator|koordinatorin|referent|referentin)$", re.IGNORECASE)
GENITIVE_ARTICLES = frozenset({"der", "des"})
CONJUNCTIONS = frozenset({"und", "sowie", "&"})
MAX_LIST_ITEMS = 8
_CAPITALISED = re.compile(r"^([A-ZÄÖÜ][\w.\-/]*|IT|E-Government)$")
_LOWER_ADJECTIVE = re.compile(r"^[a-zäöü]+(e|en|er|es|em)$")
_COORDINATED_PART = re.compile(r"^[A-ZÄÖÜ][\w\-]*-$")  # ``Organisations-`` in ``Organisations- und ...``


@dataclass(frozen=True)
class RoleMention:
    """A role title in a text.

    ``head`` is the span the pattern matched, ``title`` the head with the
    complement that belongs to the title; ``organisation`` the organisation
    the complement names, if any.
    """

    head: Span
    title: Span
    category: str  # the pattern's label, before refinement
    rule: str
    organisation: Span | None = None

    @property
    def plural(self) -> bool:
        last = self.head[-1].lower_
        return last.endswith(("innen", "lotsen", "scouts")) or self.head.text.endswith(("en", "er")) and " und " in self.head.text

    @property
    def gender(self) -> str:
        """``"f"`` or ``"m"`` where the title itself shows it, else ``""``."""
        last = self.head[-1].lower_
        if re.search(r"(in|ätin|frau)$", last) and not last.endswith("innen"):
            return "f"
        if re.search(r"(er|or|ent|at|ant|lotse|herr|vorstand)$", last):
            return "m"
        return ""


def role_mentions(doc: Doc) -> Iterator[RoleMention]:
    """Yield each role title of ``doc`` with its complement, in text order."""
    organisations = {span.start: span for span in doc.spans.get(ORGANISATIONS_KEY, [])}
    place_adjectives = {span.start for span in doc.spans.get(PLACE_ADJECTIVES_KEY, [])}
    person_starts = {ent.start for ent in doc.ents if ent.label_ == "PER"}
    title_starts = {span.start for span in doc.spans.get(ROLE_TITLES_KEY, [])}
    for head in sorted(doc.spans.get(ROLE_TITLES_KEY, []), key=lambda span: span.start):
        end, organisation = _complement(doc, head, organisations, place_adjectives, person_starts, title_starts)
        title = doc[head.start : end]
        yield RoleMention(head, title, head.label_, head.id_, organisation)


def _complement(
    doc: Doc,
    head: Span,
    organisations: dict[int, Span],
    place_adjectives: set[int],
    person_starts: set[int],
    title_starts: set[int],
) -> tuple[int, Span | None]:
    """End of the title and the organisation its complement names."""
    end = head.end
    if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and doc[end + 1].is_upper:
        end += 3  # an abbreviation: ``Informationssicherheitsbeauftragte (ISB)``
    if end >= len(doc):
        return end, None
    word = doc[end].lower_
    if word == "für":
        return _noun_list_end(doc, end + 1, organisations, person_starts), None
    if word in GENITIVE_ARTICLES:
        position = end + 1
        while position < len(doc) and _LOWER_ADJECTIVE.match(doc[position].text):
            position += 1
        organisation = organisations.get(position)
        if organisation is not None:
            if MUNICIPAL_ORGANISATION_HEADS.match(organisation[0].text):
                return end, organisation
            return organisation.end, organisation
        if position in place_adjectives:
            position += 1
        if position < len(doc) and UNIT_NOUN.search(doc[position].text):
            return _unit_end(doc, position + 1, organisations, person_starts), None
        if position in title_starts:
            title = next(span for span in doc.spans[ROLE_TITLES_KEY] if span.start == position)
            return title.end, None
        return end, None
    if word in {"bei", "im", "in"}:
        position = end + 1 + (doc[end + 1].lower_ in GENITIVE_ARTICLES if end + 1 < len(doc) else 0)
        return end, organisations.get(position)
    if end in organisations:
        return end, organisations[end]
    if BARE_COMPLEMENT_HEADS.search(head[-1].text) and end not in person_starts:
        bare_end = _noun_list_end(doc, end, organisations, person_starts)
        return bare_end, organisations.get(bare_end)
    return end, None


def _unit_end(doc: Doc, position: int, organisations: dict[int, Span], person_starts: set[int]) -> int:
    """End of a unit name after its noun: ``für`` + list, or capitalised words (``Stabsstelle Digitalisierung``)."""
    if position < len(doc) and doc[position].lower_ == "für":
        return _noun_list_end(doc, position + 1, organisations, person_starts)
    if position < len(doc) and doc[position].lower_ == "mit" and doc[position + 1 : position + 3].text.lower() == "dem namen":
        return _noun_list_end(doc, position + 3, organisations, person_starts)
    return _noun_list_end(doc, position, organisations, person_starts, allow_empty=True)


def _noun_list_end(
    doc: Doc,
    position: int,
    organisations: dict[int, Span],
    person_starts: set[int],
    *,
    allow_empty: bool = True,
) -> int:
    """End of a coordinated list of nouns (``Digitalisierung, IT, Personal und Feuerwehr``).

    Each item is optional lower-case adjectives or an article and a capitalised
    word; the list ends after the item that follows ``und`` / ``sowie``.
    """
    end = position
    items = 0
    while items < MAX_LIST_ITEMS:
        item_end = _noun_item_end(doc, end, organisations, person_starts)
        if item_end is None:
            break
        end, items = item_end, items + 1
        if end < len(doc) and doc[end].text == "," and _noun_item_end(doc, end + 1, organisations, person_starts):
            end += 1
            continue
        if end < len(doc) and doc[end].lower_ in CONJUNCTIONS:
            last = _noun_item_end(doc, end + 1, organisations, person_starts)
            if last is not None:
                end = last
            break
        if end > position and _COORDINATED_PART.match(doc[end - 1].text):
            continue
        break
    return end if items or allow_empty else position


def _noun_item_end(doc: Doc, position: int, organisations: dict[int, Span], person_starts: set[int]) -> int | None:
    if position < len(doc) and doc[position].lower_ in {"das", "die", "den", "dem"}:
        position += 1
    while position < len(doc) and _LOWER_ADJECTIVE.match(doc[position].text):
        position += 1
    if position >= len(doc) or position in person_starts:
        return None
    if position in organisations:
        return None
    token = doc[position]
    if token.ent_type_ in ("PER", "LOC") or not _CAPITALISED.match(token.text):
        return None
    end = position + 1
    if end < len(doc) and doc[end].lower_ in CONJUNCTIONS and _COORDINATED_PART.match(token.text):
        return end  # ``Organisations-`` continues with ``und Informationsmanagement``
    return end


# --- categories --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refinement:
    heads: re.Pattern
    when: str
    category: str


@dataclass(frozen=True)
class CategoryRules:
    """The rules of ``categories.json``: keyword groups, refinements, state-dependent titles."""

    keywords: dict[str, re.Pattern]
    refinements: tuple[Refinement, ...]
    by_state: dict[str, dict[str, str]]  # pattern id -> state code -> category

    def mentions(self, group: str, text: str) -> bool:
        return bool(self.keywords[group].search(text.lower()))


def load_category_rules(user_dirs: Iterable[Path] = ()) -> CategoryRules:
    """Shipped rules, extended by ``categories.json`` files in user pattern folders.

    User keywords add to the shipped groups; user refinements are tried before
    the shipped ones, and user state rules replace shipped ones.
    """
    keywords: dict[str, list[str]] = {}
    refinements: list[Refinement] = []
    by_state: dict[str, dict[str, str]] = {}
    paths = [SHIPPED_PATTERNS_DIR / CATEGORY_RULES_FILE]
    paths += [path for folder in user_dirs for path in sorted(Path(folder).glob(CATEGORY_RULES_FILE))]
    for path in paths:
        data = _read_rules_file(path)
        for group, words in data.get("keywords", {}).items():
            keywords.setdefault(group, []).extend(words)
        refinements[:0] = [_refinement(path, entry, keywords) for entry in data.get("refinements", [])]
        for entry in data.get("by_state", []):
            _check_category(path, entry.get("category"))
            for state in entry["states"]:
                by_state.setdefault(entry["pattern_id"], {})[state] = entry["category"]
    compiled = {group: re.compile(r"\b(?:" + "|".join(words) + ")") for group, words in keywords.items()}
    return CategoryRules(compiled, tuple(refinements), by_state)


def _read_rules_file(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise PatternError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from error
    except OSError as error:
        raise PatternError(f"{path}: cannot read: {error}") from error


def _check_category(path: Path, category: object) -> None:
    if category not in CATEGORIES:
        raise PatternError(f"{path}: unknown category {category!r}")


def _refinement(path: Path, entry: dict, keywords: dict[str, list[str]]) -> Refinement:
    _check_category(path, entry.get("category"))
    if entry.get("when") not in keywords:
        raise PatternError(f"{path}: refinement names unknown keyword group {entry.get('when')!r}")
    try:
        heads = re.compile(entry["heads"])
    except (KeyError, re.error) as error:
        raise PatternError(f"{path}: refinement has no valid 'heads' regex: {error}") from error
    return Refinement(heads, entry["when"], entry["category"])


@lru_cache(maxsize=8)
def _cached_rules(user_dirs: tuple[Path, ...]) -> CategoryRules:
    return load_category_rules(user_dirs)


def category_rules(user_dirs: Iterable[Path] = ()) -> CategoryRules:
    return _cached_rules(tuple(user_dirs))


def refine_category(
    mention: RoleMention,
    *,
    context: str,
    state_code: str | None,
    rules: CategoryRules,
) -> str:
    """The final category of a role.

    ``context`` is the title's complement and organisation text; a refinement
    applies when the head matches and the context names its keyword group
    (``Leiter`` + ``Amt für IT`` -> ``it_head``). A title whose meaning
    depends on the state (``Stadtrat``) takes the state's category.
    """
    category = mention.category
    if state_code and state_code in rules.by_state.get(mention.rule, {}):
        category = rules.by_state[mention.rule][state_code]
    if is_digital(category):
        return category
    head = mention.head.text.lower()
    for refinement in rules.refinements:
        if refinement.heads.search(head) and rules.mentions(refinement.when, context):
            return refinement.category
    return category
