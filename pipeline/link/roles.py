"""The roles stage: role titles with their complements, categories and normal forms.

The ``role_ruler`` (a span ruler with ``roles.jsonl``) marks title heads
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

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from spacy.tokens import Doc, Span

from pipeline.nlp.components import (
    HONORIFICS,
    ORGANISATIONS_KEY,
    PLACE_ADJECTIVES_KEY,
    PLACES_KEY,
    ROLE_TITLES_KEY,
    TRAILING_DOMAINS_KEY,
)
from pipeline.nlp.compound_titles import DEPUTY_NOUN, LABEL_RULE_PREFIX
from pipeline.nlp.compound_titles import RULE_PREFIX as LEXICON_RULE_PREFIX
from pipeline.rules.cues import LinkCues, StatusCues, load_cues, load_status_cues
from pipeline.rules.lexicon import SHORT_WORD, Lexicon, TitleParse, load_lexicon, shipped_lexicon
from pipeline.rules.patterns import (
    CATEGORY_RULES_FILE,
    PatternError,
    literal_names,
    load_it_provider_patterns,
    pattern_files,
    read_json_file,
)
from pipeline.taxonomy import CATEGORIES, is_digital

MUNICIPAL_ORGANISATION_HEADS = re.compile(
    r"^(stadt|gemeinde|markt|landeshauptstadt|hansestadt|wissenschaftsstadt|universitätsstadt|kreisstadt|"
    r"stadtverwaltung|gemeindeverwaltung|kreisverwaltung|marktgemeinde|samtgemeinde|verbandsgemeinde|"
    r"verwaltungsgemeinschaft|vg|kreis|landkreis|landratsamt)$",
    re.IGNORECASE,
)
UNIT_NOUN = re.compile(
    r"(amt|abteilung|stabsstelle|fachbereich|fachdienst|referat|dezernat|bereich|büro|zentrum|systemhaus|"
    r"rechenzentrum|zweckverband|programm|projekt|team|office|arbeitskreis|gremium)(e?s)?$",
    re.IGNORECASE,
)
# Heads whose complement may follow without an article (``Fachbereichsleiter Digitalisierung``).
BARE_COMPLEMENT_HEADS = re.compile(r"(leiter|leiterin|koordinator|koordinatorin|referent|referentin)$", re.IGNORECASE)
GENITIVE_ARTICLES = frozenset({"der", "des"})
TRAILING_PREPOSITIONS = GENITIVE_ARTICLES | {"im", "beim", "in", "für", "von", "aus", "rund", "um", "zum", "zur"}
MAX_TRAILING_TOKENS = 8
CONJUNCTIONS = frozenset({"und", "sowie", "&"})
MAX_LIST_ITEMS = 8
_CAPITALISED = re.compile(r"^([A-ZÄÖÜ][\w.\-/]*|[eE]-[A-ZÄÖÜ][\w\-]*)$")
_LOWER_ADJECTIVE = re.compile(r"^[a-zäöü]+(e|en|er|es|em)$")
_COORDINATED_PART = re.compile(r"^[A-ZÄÖÜ][\w\-]*-$")  # ``Organisations-`` in ``Organisations- und ...``
# ``Fraktionschef der Grünen``: a party completes a council title.
PARTIES = re.compile(r"^(Grünen|SPD|CDU|CSU|FDP|Linken|AfD|Piraten|UWG|ÖDP|BSW|Freien|Volt)$")
LEADERSHIP_WORDS = re.compile(r"^(leit(e|et|ete|eten|en)|leitung)$", re.IGNORECASE)
ANAPHORIC_ADJECTIVES = frozenset(
    {"neue", "neuen", "neuer", "neues", "genannte", "genannten", "gegründete", "gegründeten"}
)
LEADERSHIP_OBJECT_WINDOW = 6
PREDICATIVE_WINDOW = 12  # tokens before ``zuständig`` in which its ``für ...`` may stand
# ``Digitallotsinnen``, ``den Stadträten``, ``den Bürgermeistern``: only plurals end so.
PLURAL_ENDINGS = ("innen", "lotsen", "scouts", "räte", "räten", "ern", "toren", "listen", "ungen")
# ``die beiden Geschäftsführer A und B``: a masculine form after these is plural.
PLURAL_DETERMINERS = frozenset({"beiden", "zwei", "drei", "vier", "alle", "neuen", "unsere"})


@dataclass(frozen=True)
class RoleMention:
    """A role title in a text.

    ``head`` is the span the pattern matched, ``title`` the head with the
    complement that belongs to the title; ``organisation`` the organisation
    the complement names, if any; ``unit`` the earlier named unit that an
    anaphoric complement (``das neue Amt``) or a leadership phrase refers to.
    """

    head: Span
    title: Span
    category: str  # the pattern's label, before refinement
    rule: str
    organisation: Span | None = None
    unit: Span | None = None  # the unit a leadership phrase or ``das neue Amt`` refers to
    # The phrase after the title that may name its domain without being part of the title:
    # ``Leiter der Digitalisierung der ...``, ``Mitarbeiter im EDV-Service``.
    context: Span | None = None

    @cached_property
    def leads(self) -> bool:
        """Whether the title is a leadership phrase (``leitet das Amt``, ``die Leitung des Amts``)."""
        return bool(LEADERSHIP_WORDS.match(self.head.text))

    @cached_property
    def last_word(self) -> str:
        return self.head[-1].text

    @cached_property
    def deputy_of_title(self) -> bool:
        """Whether the title is a deputy of another (``Stellvertreter des Verbandsvorstehers X``)."""
        return len(self.head) > 2 and bool(DEPUTY_NOUN.match(self.head[0].text))

    @property
    def head_noun(self) -> str:
        """The head as a title noun: ``Leiter`` for leadership phrases."""
        return "Leiter" if self.leads else self.head.text

    @cached_property
    def plural(self) -> bool:
        """Whether the title names several holders: a plural form, or ``die beiden Geschäftsführer``."""
        last = self.head[-1].lower_
        if last.endswith(PLURAL_ENDINGS) or self.head.text.endswith(("en", "er")) and " und " in self.head.text:
            return True
        doc, position = self.title.doc, self.title.start - 1
        while position > 0 and doc[position].text.islower() and doc[position].text.endswith("en"):
            position -= 1  # ``die gewählten Oberbürgermeister``
        before = doc[position].lower_ if position >= 0 else ""
        return before in PLURAL_DETERMINERS or (before == "die" and self.gender == "m")

    @cached_property
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
    trailing_domains = {span.start: span.end for span in doc.spans.get(TRAILING_DOMAINS_KEY, [])}
    for head in sorted(doc.spans.get(ROLE_TITLES_KEY, []), key=lambda span: span.start):
        if LEADERSHIP_WORDS.match(head.text) and head.text[0].islower():
            mention = _leadership_verb(doc, head, organisations)
            if mention is not None:
                yield mention
            continue
        if head.id_.startswith(LABEL_RULE_PREFIX):
            yield _function_label(doc, head, organisations)
            continue
        end, organisation = _complement(doc, head, organisations, place_adjectives, person_starts, title_starts)
        end = max(end, trailing_domains.get(head.end, end))  # ``Projektleiterin Smart City``
        title = doc[_predicative_start(doc, head, title_starts) if end == head.end else head.start : end]
        context = doc[end : _trailing_phrase_end(doc, end, organisations, person_starts)]
        yield RoleMention(
            head, title, head.label_, head.id_, organisation, _referent_unit(doc, title, organisations), context
        )


def _function_label(doc: Doc, label: Span, organisations: dict[int, Span]) -> RoleMention:
    """A function label with the body or place named right after it: ``IT VG Halden``, ``EDV Lichtenau``."""
    organisation = organisations.get(label.end)
    place = next((span for span in doc.spans.get(PLACES_KEY, []) if span.start == label.end), None)
    context = doc[label.end : place.end if place is not None and organisation is None else label.end]
    return RoleMention(label, label, label.label_, label.id_, organisation, context=context)


def _predicative_start(doc: Doc, head: Span, title_starts: set[int]) -> int:
    """Where a predicative title starts whose complement precedes it: ``für die IT zuständig``.

    Not past another title: in ``als Dezernent für das Amt zuständig`` the complement is the Dezernent's.
    """
    if not head.text.islower() or not head.id_.startswith(LEXICON_RULE_PREFIX):
        return head.start
    sentence = head.sent
    for position in range(head.start - 1, max(sentence.start, head.start - PREDICATIVE_WINDOW) - 1, -1):
        if doc[position].is_punct or position in title_starts:
            break
        if doc[position].lower_ == "für":
            return position if position - 1 not in title_starts else head.start
    return head.start


def _leadership_verb(doc: Doc, verb: Span, organisations: dict[int, Span]) -> RoleMention | None:
    """``das neue Amt leitet`` / ``leite die Stabsstelle Digitalisierung``: the unit led is the title."""
    sentence = verb.sent
    if _other_object_after(doc, verb.end, organisations):
        return None  # ``leitet die Sitzung``: what is led is no unit
    candidates = [
        span
        for span in organisations.values()
        if span.sent == sentence
        and not MUNICIPAL_ORGANISATION_HEADS.match(span[0].text)  # one leads a unit, not ``die Stadt Ulm``
        and (
            0 <= verb.start - span.end <= LEADERSHIP_OBJECT_WINDOW
            or 0 <= span.start - verb.end <= LEADERSHIP_OBJECT_WINDOW
        )
    ]
    anaphor = _anaphor_before(doc, verb.start, sentence) or _anaphor_after(doc, verb.end, sentence)
    if candidates:
        unit = min(candidates, key=lambda span: min(abs(verb.start - span.end), abs(span.start - verb.end)))
        title = doc[min(unit.start, verb.start) : max(unit.end, verb.end)]
        return RoleMention(verb, title, verb.label_, verb.id_, None, unit)
    if anaphor is not None:
        unit = _earlier_unit(doc, anaphor[-1], organisations)
        if unit is not None:
            title = doc[min(anaphor.start, verb.start) : max(anaphor.end, verb.end)]
            return RoleMention(verb, title, verb.label_, verb.id_, None, unit)
    return None


def _other_object_after(doc: Doc, position: int, organisations: dict[int, Span]) -> bool:
    """Whether an object other than a unit follows the verb: an article and a noun that names none."""
    if position + 1 >= len(doc) or doc[position].lower_ not in {"die", "das", "den", "eine", "einen"}:
        return False
    noun = position + 1
    while noun < len(doc) - 1 and _LOWER_ADJECTIVE.match(doc[noun].text):
        noun += 1
    return noun not in organisations and not UNIT_NOUN.search(doc[noun].text) and doc[noun].text[:1].isupper()


def _anaphor_before(doc: Doc, position: int, sentence: Span) -> Span | None:
    for start in reversed(range(max(sentence.start, position - LEADERSHIP_OBJECT_WINDOW), position)):
        if doc[start].lower_ in {"das", "die", "den", "dem", "des", "der"} and UNIT_NOUN.search(doc[position - 1].text):
            return doc[start:position]
    return None


def _anaphor_after(doc: Doc, position: int, sentence: Span) -> Span | None:
    if position < sentence.end and doc[position].lower_ in {"das", "die", "den", "dem", "des", "der"}:
        end = position + 1
        while end < sentence.end and doc[end].lower_ in ANAPHORIC_ADJECTIVES:
            end += 1
        if end < sentence.end and UNIT_NOUN.search(doc[end].text):
            return doc[position : end + 1]
    return None


def _referent_unit(doc: Doc, title: Span, organisations: dict[int, Span]) -> Span | None:
    """The unit an anaphoric complement names: ``für das neue Amt`` -> the ``Amt für ...`` named before."""
    for token in title[1:]:
        if UNIT_NOUN.search(token.text) and doc[token.i - 1].lower_ in ANAPHORIC_ADJECTIVES:
            return _earlier_unit(doc, token, organisations)
    return None


def _earlier_unit(doc: Doc, noun, organisations: dict[int, Span]) -> Span | None:
    """The organisation before ``noun`` with the same head noun (``Amts`` ~ ``Amt für ...``).

    ``das neue Amt`` prefers a unit the text introduced as new; otherwise the
    most recent one wins.
    """
    stem = re.sub(r"(es|s)$", "", noun.lower_)
    earlier = [
        span for span in organisations.values() if span.end <= noun.i and re.sub(r"(es|s)$", "", span[0].lower_) == stem
    ]
    if not earlier:
        return None
    wants_new = doc[noun.i - 1].lower_.startswith("neu")
    return max(earlier, key=lambda span: (wants_new and _introduced_as_new(doc, span), span.start))


def _introduced_as_new(doc: Doc, span: Span) -> bool:
    return any(token.lower_.startswith("neu") for token in doc[max(0, span.start - 2) : span.start])


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
        position = end + 1 + (end + 1 < len(doc) and doc[end + 1].lower_ in {"das", "die", "den", "dem"})
        if position in organisations:
            return end, organisations[position]  # ``Referentin für das krz``
        list_end = _noun_list_end(doc, end + 1, organisations, person_starts)
        return (list_end if list_end > end + 1 else end), None
    if word in GENITIVE_ARTICLES:
        position = end + 1
        while position < len(doc) and _LOWER_ADJECTIVE.match(doc[position].text):
            position += 1
        organisation = organisations.get(position)
        if organisation is not None:
            if MUNICIPAL_ORGANISATION_HEADS.match(organisation[0].text):
                return end, organisation
            return organisation.end, organisation
        if position < len(doc) and PARTIES.match(doc[position].text):
            return position + 1 + (doc[position].text == "Freien"), None
        if position in place_adjectives:
            position += 1
        if position < len(doc) and UNIT_NOUN.search(doc[position].text):
            return _unit_end(doc, position + 1, organisations, person_starts), None
        if position in title_starts:
            title = next(span for span in doc.spans[ROLE_TITLES_KEY] if span.start == position)
            return title.end, None
        return end, None
    if word in {"bei", "beim", "im", "in"}:
        if end + 2 < len(doc) and doc[end + 1].lower_ in {"einem", "einer"}:
            return _noun_list_end(doc, end + 2, organisations, person_starts), None  # ``bei einem Vorfall``
        position = end + 1 + (doc[end + 1].lower_ in GENITIVE_ARTICLES if end + 1 < len(doc) else 0)
        return end, organisations.get(position)
    if end in organisations:
        return end, organisations[end]
    if BARE_COMPLEMENT_HEADS.search(head[-1].text) and end not in person_starts:
        bare_end = _noun_list_end(doc, end, organisations, person_starts)
        return bare_end, organisations.get(bare_end)
    return end, None


def _trailing_phrase_end(doc: Doc, position: int, organisations: dict[int, Span], person_starts: set[int]) -> int:
    """End of the noun phrase right after a title that may name its domain.

    ``der Digitalisierung der städtischen Dienstleistungen``, ``im Bundesministerium
    für Digitales``, ``des Innovation Lab / Digital Office``: capitalised
    words, articles, adjectives and linking words, up to a punctuation mark, a
    person or another word.
    """
    if position >= len(doc) or doc[position].lower_ not in TRAILING_PREPOSITIONS:
        return position
    end = position + 1
    while end < len(doc) and end - position <= MAX_TRAILING_TOKENS and end not in person_starts:
        token = doc[end]
        if not (
            token.text[:1].isupper()
            or token.text in {"/", "-", "&"}
            or token.lower_ in TRAILING_PREPOSITIONS | CONJUNCTIONS | {"die", "das", "den", "dem", "von", "vom"}
            or _LOWER_ADJECTIVE.match(token.text)
        ):
            break
        end += 1
    return end


def _unit_end(doc: Doc, position: int, organisations: dict[int, Span], person_starts: set[int]) -> int:
    """End of a unit name after its noun: ``für`` + list, or capitalised words (``Stabsstelle Digitalisierung``)."""
    if position < len(doc) and doc[position].lower_ == "für":
        return _noun_list_end(doc, position + 1, organisations, person_starts)
    if (
        position < len(doc)
        and doc[position].lower_ == "mit"
        and doc[position + 1 : position + 3].text.lower() == "dem namen"
    ):
        return _noun_list_end(doc, position + 3, organisations, person_starts)
    return _noun_list_end(doc, position, organisations, person_starts)


def _noun_list_end(
    doc: Doc,
    position: int,
    organisations: dict[int, Span],
    person_starts: set[int],
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
    return end


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
    if token.ent_type_ in ("PER", "LOC") or not _CAPITALISED.match(token.text) or token.text in HONORIFICS:
        return None
    end = position + 1
    if end < len(doc) and doc[end].lower_ in CONJUNCTIONS and _COORDINATED_PART.match(token.text):
        return end  # ``Organisations-`` continues with ``und Informationsmanagement``
    return end


# --- categories --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refinement:
    heads: re.Pattern
    when: tuple[str, ...]
    category: str


@dataclass(frozen=True)
class CategoryRules:
    """The rule data of the link stage beyond the patterns: what decides a title's category, and its holder.

    ``keywords``: per domain group, the words of a complement that name it
    (``categories.json``, plus the domain words of the title lexicon and the
    names of the IT providers in ``it_providers.jsonl``); ``lexicon``: the
    title lexicon; ``refinements``: for explicit patterns, a head and a group
    that give another category; ``by_state``: titles whose meaning depends on
    the state; ``cues``: the words and weights that link a title to its holder
    (``link_cues.json``, :mod:`pipeline.link.scoring`); ``status``: what dates a
    role and gives its status (``status_cues.json``, :mod:`pipeline.link.timing`).
    """

    keywords: dict[str, re.Pattern]
    refinements: tuple[Refinement, ...]
    by_state: dict[str, dict[str, str]]  # pattern id -> state code -> category
    lexicon: Lexicon
    cues: LinkCues  # the words and weights that link a title to its holder
    status: StatusCues  # the expressions that date a role and give its status

    def mentions(self, group: str, text: str) -> bool:
        return bool(self.keywords[group].search(text.lower()))

    def outside_municipality(self, mention: RoleMention) -> bool:
        """Whether the mention's title is never held in a municipality (a minister's)."""
        parse = _lexicon_parse(mention, self.lexicon)
        return parse is not None and self.lexicon.classes[parse.head.title_class].outside_municipality

    def organisation_prefix(self, mention: RoleMention) -> str:
        """The organisation a title word starts with: ``Dataport`` in ``Dataport-Vorständin``."""
        parse = _lexicon_parse(mention, self.lexicon)
        return parse.organisation_prefix if parse is not None else ""

    def groups_in(self, text: str) -> set[str]:
        """The domain groups ``text`` names."""
        lower = text.lower()
        return {group for group, expression in self.keywords.items() if expression.search(lower)}


def load_category_rules(user_dirs: Iterable[Path] = ()) -> CategoryRules:
    """Shipped rules, extended by ``categories.json`` and lexicon files in user pattern folders.

    User keywords add to the shipped groups; user refinements are tried before
    the shipped ones, and user state rules replace shipped ones. Every problem
    is a :class:`PatternError` naming the file. The names of the IT providers
    in ``it_providers.jsonl`` join the ``it_provider`` group, so that
    ``KISA-Geschäftsführer`` is the head of one.
    """
    user_dirs = tuple(user_dirs)
    lexicon = load_lexicon(user_dirs) if user_dirs else shipped_lexicon()
    keywords: dict[str, list[str]] = {}
    refinements: list[Refinement] = []
    by_state: dict[str, dict[str, str]] = {}
    paths = pattern_files(CATEGORY_RULES_FILE, user_dirs)
    for path in paths:
        data = _read_rules_file(path)
        for group, words in data.get("keywords", {}).items():
            if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
                raise PatternError(f"{path}: keywords of {group!r} must be a list of regular expressions")
            for word in words:
                _compile(path, word, f"keyword of {group!r}")
            keywords.setdefault(group, []).extend(words)
        refinements[:0] = [_refinement(path, entry, keywords) for entry in data.get("refinements", [])]
        for entry in data.get("by_state", []):
            if not isinstance(entry, dict) or not {"pattern_id", "states", "category"} <= entry.keys():
                raise PatternError(f"{path}: each by_state entry needs pattern_id, states and category")
            _check_category(path, entry["category"])
            for state in entry["states"]:
                by_state.setdefault(entry["pattern_id"], {})[state] = entry["category"]
    for domain in lexicon.domains:
        if domain.group in lexicon.groups:
            # ``breitband`` also names its group in ``Koordinator für den Breitbandausbau``
            word = re.escape(domain.word).replace(r"\-", "[- ]?")
            keywords.setdefault(domain.group, []).append(word if len(domain.word) > SHORT_WORD else word + r"\b")
    provider_names = literal_names(load_it_provider_patterns(user_dirs))
    keywords.setdefault("it_provider", []).extend(re.escape(name) + r"\b" for name in provider_names)
    compiled = {group: re.compile(r"\b(?:" + "|".join(words) + ")") for group, words in keywords.items()}
    return CategoryRules(
        compiled, tuple(refinements), by_state, lexicon, load_cues(user_dirs), load_status_cues(user_dirs)
    )


def _read_rules_file(path: Path) -> dict:
    data = read_json_file(path)
    if not isinstance(data, dict):
        raise PatternError(f"{path}: must be a JSON object with keywords, refinements and by_state")
    return data


def _compile(path: Path, expression: object, what: str) -> re.Pattern:
    try:
        return re.compile(expression)
    except (TypeError, re.error) as error:
        raise PatternError(f"{path}: invalid regular expression for {what}: {error}") from error


def _check_category(path: Path, category: object) -> None:
    if not isinstance(category, str) or category not in CATEGORIES:
        raise PatternError(f"{path}: unknown category {category!r}")


def _refinement(path: Path, entry: object, keywords: dict[str, list[str]]) -> Refinement:
    if not isinstance(entry, dict):
        raise PatternError(f"{path}: each refinement must be an object with heads, when and category")
    _check_category(path, entry.get("category"))
    when = entry.get("when")
    groups = (when,) if isinstance(when, str) else tuple(when) if isinstance(when, list) else (when,)
    unknown = [group for group in groups if group not in keywords]
    if unknown:
        raise PatternError(f"{path}: refinement names unknown keyword group {unknown[0]!r}")
    heads = _compile(path, entry.get("heads"), "refinement heads")
    return Refinement(heads, groups, entry["category"])


def refine_category(
    mention: RoleMention,
    *,
    context: str,
    state_code: str | None,
    rules: CategoryRules,
    provider: bool = False,
) -> str | None:
    """The final category of a role, or None where the title is one only with a domain it does not name.

    ``context`` is the title's complement and organisation text; ``provider``
    whether the organisation is an IT service provider. A title of the
    lexicon takes the category of its head class with its own domain, else
    with the first domain group its context names (``Leiter`` + ``Amt für IT``
    -> ``it_head``; ``Geschäftsführer`` of an IT provider -> ``it_provider_head``).
    An explicit pattern's category is refined by ``categories.json``; a title
    whose meaning depends on the state (``Stadtrat``) takes the state's category.
    """
    parse = _lexicon_parse(mention, rules.lexicon)
    if parse is not None:
        return _lexicon_category(mention, parse, context, rules, provider)
    category = mention.category
    if state_code and state_code in rules.by_state.get(mention.rule, {}):
        category = rules.by_state[mention.rule][state_code]
    if is_digital(category):
        return category
    head = mention.head_noun.lower()
    groups = rules.groups_in(context)
    for refinement in rules.refinements:
        if refinement.heads.search(head) and groups.intersection(refinement.when):
            return refinement.category
    return category


def _lexicon_parse(mention: RoleMention, lexicon: Lexicon) -> TitleParse | None:
    if mention.leads:
        return lexicon.parse("Leiter")
    if mention.rule.startswith(LEXICON_RULE_PREFIX):
        return lexicon.parse(mention.last_word)
    return None


def _lexicon_category(
    mention: RoleMention, parse: TitleParse, context: str, rules: CategoryRules, provider: bool
) -> str | None:
    definition = rules.lexicon.classes[parse.head.title_class]
    own = parse.domain or mention.rule.partition("+")[2]  # ``+smart_city``: a domain written apart
    groups = {own} if own in definition.by_domain else rules.groups_in(f"{context} {parse.organisation_prefix}")
    if provider:
        groups.add("it_provider")
    named = [group for group in definition.by_domain if group in groups]
    if named:
        return definition.by_domain[named[0]]
    return None if parse.head.requires_domain else definition.default
