"""Role titles by composition: a head noun, the modifiers before it and the domain they name.

A German role title is built, not listed: ``Digitalisierungs|beauftragte``,
``IT-|Leiterin``, ``Smart City |Managerin``, ``KISA-|Geschäftsführer``,
``Kreis|digital|lotsen``. Three data files in the pattern folders describe the
parts, and every form is generated from them:

* ``title_heads.jsonl``: head nouns (``leiter``, ``beauftragter``, ``lotse``)
  with their inflection and head class;
* ``title_domains.jsonl``: domain words (``digitalisierung``, ``it``,
  ``smart-city``) with their group (``digital``, ``it``, ``smart_city`` ...),
  and neutral modifiers (``kreis``, ``amt``);
* ``title_classes.jsonl``: per head class, the category of the head without a
  domain and with each domain group.

:meth:`Lexicon.parse` splits one word; :meth:`Lexicon.category` gives the
category of a head class with the domain groups a text names.

>>> lexicon = load_lexicon()
>>> parse = lexicon.parse("Digitalisierungsbeauftragte")
>>> parse.head.head, parse.domain, parse.category
('beauftragter', 'digital', 'digital_officer')
>>> lexicon.parse("KISA-Geschäftsführer").organisation_prefix
'KISA'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.config import SHIPPED_PATTERNS_DIR
from pipeline.rules.patterns import LEXICON_FILES, PatternError, jsonl_entries, pattern_files
from pipeline.rules.patterns import TITLE_CLASSES_FILE as CLASSES_FILE
from pipeline.rules.patterns import TITLE_DOMAINS_FILE as DOMAINS_FILE
from pipeline.rules.patterns import TITLE_HEADS_FILE as HEADS_FILE
from pipeline.taxonomy import CATEGORIES

NEUTRAL = "neutral"
INFLECTIONS = {
    # head -> (stem, endings)
    "noun": lambda head: (head, ("", "s", "es", "n", "en", "e", "in", "innen")),
    "weak": lambda head: (head[:-1], ("e", "en", "in", "innen")),
    "adjective": lambda head: (re.sub(r"e[rn]?$", "", head), ("e", "er", "en", "em", "es")),
    "fixed": lambda head: (head, ("", "s")),
}
# ``Leiter:innen``, ``Beauftragte*r``, ``Leiter/-in``: one spelling for every gender-inclusive form.
_GENDER_SEPARATOR = re.compile(r"[:*_/]-?(?=(?:in|innen|r|n|e)$)")
SHORT_WORD = 3  # domain words this short count only at the start of a word or after a hyphen


@dataclass(frozen=True)
class TitleClass:
    name: str
    default: str | None  # the category without a domain; None: not a title without one
    by_domain: dict[str, str]  # domain group -> category, in order of precedence
    source: str
    outside_municipality: bool = False  # a title of a state or the federation (``Minister``)


@dataclass(frozen=True)
class Head:
    head: str
    forms: tuple[str, ...]
    title_class: str
    requires_domain: bool
    source: str
    predicative: bool = False  # an adjective in lower case, only as a word of its own (``zuständig für IT``)


@dataclass(frozen=True)
class Domain:
    word: str
    group: str
    source: str
    label: bool = False  # may stand alone as a function label after a name: ``Jana Ott, IT Halden``


@dataclass(frozen=True)
class TitleParse:
    """One title word, split: ``Kreis|digitalisierungs|beauftragte``."""

    head: Head
    domain: str | None  # the group of the domain word in the title itself
    organisation_prefix: str  # ``KISA`` in ``KISA-Geschäftsführer``; empty if none
    category: str | None  # None: a title only with a domain named in its complement


@dataclass
class Lexicon:
    """Head classes, heads and domain words, and the title parser built from them."""

    classes: dict[str, TitleClass]
    heads: list[Head]
    domains: list[Domain]
    _forms: dict[str, Head] = field(init=False, repr=False)
    _labels: dict[str, Domain] = field(init=False, repr=False)
    _modifiers: re.Pattern = field(init=False, repr=False)
    _leading_domain: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._forms = {form: head for head in self.heads for form in head.forms}
        self._labels = {domain.word: domain for domain in self.domains if domain.label}
        self._modifiers = re.compile(_modifier_expression(self.domains))
        self._leading_domain = re.compile(_leading_domain_expression(self.domains))
        self.parse = lru_cache(maxsize=100_000)(self._parse)

    @property
    def groups(self) -> list[str]:
        """The domain groups that decide a category, in order of first definition."""
        return list(dict.fromkeys(domain.group for domain in self.domains if domain.group != NEUTRAL))

    def domain_of(self, words: str) -> str | None:
        """The group of a modifier phrase standing apart from its head (``Smart City``, ``IT``)."""
        match = self._modifiers.fullmatch(words.lower().replace(" ", "-").rstrip("-"))
        return _matched_group(match) if match else None

    def label_group(self, word: str) -> str | None:
        """The group of a domain word that may stand alone as a function label (``IT``, ``Datenschutz``)."""
        domain = self._labels.get(word.lower())
        return domain.group if domain is not None else None

    def category(self, title_class: str, groups: Iterable[str]) -> str | None:
        """The category of a head of ``title_class`` whose title names ``groups`` (the first that counts)."""
        definition = self.classes[title_class]
        named = set(groups)
        for group, category in definition.by_domain.items():
            if group in named:
                return category
        return definition.default

    def _parse(self, word: str) -> TitleParse | None:
        if not (word[:1].isupper() or word[:2].lower() == "e-"):
            head = self._forms.get(word)
            return TitleParse(head, None, "", None) if head is not None and head.predicative else None
        lower = _GENDER_SEPARATOR.sub("", word.lower())
        for start in range(len(lower)):
            head = self._forms.get(lower[start:])
            if head is not None:
                return self._with_prefix(head, word[:start])
        return None

    def _with_prefix(self, head: Head, prefix: str) -> TitleParse:
        domain, organisation = None, ""
        modifiers = prefix.lower().rstrip("-")
        if modifiers:
            match = self._modifiers.fullmatch(modifiers)
            if match is None and prefix.endswith("-") and prefix[:1].isupper():
                organisation = prefix.rstrip("-")  # ``Dataport-``, ``Glasfaserausbau-``: decided by the context
            match = match or self._leading_domain.match(modifiers)
            if match:
                domain = _matched_group(match)
        title_class = self.classes[head.title_class]
        if domain is not None and domain in title_class.by_domain:
            category = title_class.by_domain[domain]
        elif head.requires_domain:
            category = None
        else:
            category = title_class.default
        return TitleParse(head, domain, organisation, category)


def _alternatives(words: Iterable[str]) -> str:
    """Longest first; a hyphen also stands for a space or nothing."""
    return "|".join(re.escape(word).replace(r"\-", "[- ]?") for word in sorted(set(words), key=len, reverse=True))


def _group_expression(domains: Sequence[Domain], *, leading: bool) -> str:
    """One named group per domain group; short words only after a hyphen or at the start."""
    parts = []
    for group in dict.fromkeys(domain.group for domain in domains if domain.group != NEUTRAL):
        words = [domain.word for domain in domains if domain.group == group]
        long_words = [word for word in words if len(word) > SHORT_WORD]
        short_words = [word for word in words if len(word) <= SHORT_WORD]
        options = []
        if long_words:
            options.append(f"(?:{_alternatives(long_words)})")
        if short_words:
            # ``ki-`` / ``it-`` must be a word of their own; ``Kita`` and ``Kirchen`` are not.
            ending = "-" if leading else "(?:-|$)"
            options.append(f"(?<![^-])(?:{_alternatives(short_words)})(?={ending})")
        parts.append(f"(?P<{group}>{'|'.join(options)})")
    return "|".join(parts)


def _modifier_expression(domains: Sequence[Domain]) -> str:
    """Neutral modifiers around at most one domain word, each with an optional linking ``s`` and hyphen."""
    neutral = _alternatives(domain.word for domain in domains if domain.group == NEUTRAL)
    neutral_part = f"(?:(?:{neutral})s?-?)*" if neutral else ""
    return f"{neutral_part}(?:(?:{_group_expression(domains, leading=False)})s?-?)?{neutral_part}"


def _leading_domain_expression(domains: Sequence[Domain]) -> str:
    """A compound that starts with a domain word (``Glasfaserausbau``, ``Digitalisierungsprojekt``)."""
    return f"(?:{_group_expression(domains, leading=True)})"


def _matched_group(match: re.Match) -> str | None:
    return next((group for group, text in match.groupdict().items() if text), None)


# --- loading -------------------------------------------------------------------------------------


def load_lexicon(user_dirs: Iterable[Path] = ()) -> Lexicon:
    """The shipped lexicon, extended by the lexicon files in user pattern folders.

    A user line with the key of a shipped one (a class name, a head, a domain
    word) replaces it. Every problem is a :class:`PatternError` naming file and line.
    """
    user_dirs = tuple(user_dirs)
    return _load({name: pattern_files(name, user_dirs) for name in LEXICON_FILES})


def read_lexicon(folder: Path) -> Lexicon:
    """The lexicon of exactly the files in ``folder`` (as :func:`write_lexicon` saves it)."""
    return _load({name: [folder / name] for name in LEXICON_FILES})


def write_lexicon(lexicon: Lexicon, folder: Path) -> None:
    """Save ``lexicon`` as the three lexicon files in ``folder``."""
    entries = {
        CLASSES_FILE: [
            {
                "class": c.name,
                "default": c.default,
                "by_domain": c.by_domain,
                "outside_municipality": c.outside_municipality,
            }
            for c in lexicon.classes.values()
        ],
        HEADS_FILE: [
            {
                "head": h.head,
                "forms": list(h.forms),
                "class": h.title_class,
                "requires_domain": h.requires_domain,
                "predicative": h.predicative,
            }
            for h in lexicon.heads
        ],
        DOMAINS_FILE: [{"word": d.word, "group": d.group, "label": d.label} for d in lexicon.domains],
    }
    for name, lines in entries.items():
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        (folder / name).write_text(text, encoding="utf-8")


def _load(files: dict[str, list[Path]]) -> Lexicon:
    problems: list[str] = []
    classes: dict[str, TitleClass] = {}
    for path in files[CLASSES_FILE]:
        for where, entry in _entries(path, problems):
            definition = _title_class(entry, where, problems)
            if definition is not None:
                classes[definition.name] = definition
    heads: dict[str, Head] = {}
    for path in files[HEADS_FILE]:
        for where, entry in _entries(path, problems):
            head = _head(entry, where, classes, problems)
            if head is not None:
                heads[head.head] = head
    domains: dict[str, Domain] = {}
    groups = {group for definition in classes.values() for group in definition.by_domain} | {NEUTRAL}
    for path in files[DOMAINS_FILE]:
        for where, entry in _entries(path, problems):
            domain = _domain(entry, where, groups, problems)
            if domain is not None:
                domains[domain.word] = domain
    if problems:
        raise PatternError("\n".join(problems))
    return Lexicon(classes, list(heads.values()), list(domains.values()))


@lru_cache(maxsize=8)
def shipped_lexicon() -> Lexicon:
    return load_lexicon()


def _entries(path: Path, problems: list[str]) -> Iterator[tuple[str, dict]]:
    """``(file:line, object)`` for each entry of a lexicon file."""
    for number, entry in jsonl_entries(path, problems):
        if isinstance(entry, dict):
            yield f"{path}:{number}", entry
        else:
            problems.append(f"{path}:{number}: an entry must be a JSON object")


def _unknown_keys(entry: dict, allowed: set[str], where: str, problems: list[str]) -> bool:
    unknown = entry.keys() - allowed
    if unknown:
        problems.append(
            f"{where}: unknown key(s): {', '.join(sorted(unknown))}; expected: {', '.join(sorted(allowed))}"
        )
    return bool(unknown)


def _category_problem(value: object) -> str:
    return f"unknown category {value!r}; expected one of: {', '.join(sorted(CATEGORIES))}"


def _title_class(entry: dict, where: str, problems: list[str]) -> TitleClass | None:
    if _unknown_keys(entry, {"class", "default", "by_domain", "outside_municipality"}, where, problems):
        return None
    outside = entry.get("outside_municipality", False)
    if not isinstance(outside, bool):
        problems.append(f"{where}: 'outside_municipality' must be true or false")
        return None
    name, default, by_domain = entry.get("class"), entry.get("default"), entry.get("by_domain", {})
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: 'class' must be a non-empty string")
        return None
    if default is not None and default not in CATEGORIES:
        problems.append(f"{where}: default: {_category_problem(default)}")
        return None
    if not isinstance(by_domain, dict):
        problems.append(f"{where}: 'by_domain' must be an object of domain group -> category")
        return None
    bad = [category for category in by_domain.values() if category not in CATEGORIES]
    if bad:
        problems.append(f"{where}: by_domain: {_category_problem(bad[0])}")
        return None
    return TitleClass(name, default, dict(by_domain), where, outside)


def _head(entry: dict, where: str, classes: dict[str, TitleClass], problems: list[str]) -> Head | None:
    if _unknown_keys(
        entry, {"head", "inflection", "forms", "class", "requires_domain", "predicative"}, where, problems
    ):
        return None
    head, title_class = entry.get("head"), entry.get("class")
    if not isinstance(head, str) or not re.fullmatch(r"[a-zäöüß][a-zäöüß\-]+", head or ""):
        problems.append(f"{where}: 'head' must be a word in lower case, got {head!r}")
        return None
    if title_class not in classes:
        problems.append(f"{where}: unknown class {title_class!r}; expected one of: {', '.join(sorted(classes))}")
        return None
    if ("inflection" in entry) == ("forms" in entry):
        problems.append(f"{where}: give either 'inflection' ({', '.join(INFLECTIONS)}) or 'forms' (a list)")
        return None
    if "forms" in entry:
        forms = entry["forms"]
        if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.islower() for f in forms):
            problems.append(f"{where}: 'forms' must be a non-empty list of lower-case words")
            return None
    else:
        inflection = entry["inflection"]
        if inflection not in INFLECTIONS:
            problems.append(f"{where}: unknown inflection {inflection!r}; expected one of: {', '.join(INFLECTIONS)}")
            return None
        stem, endings = INFLECTIONS[inflection](head)
        forms = [stem + ending for ending in endings]
        if inflection == "noun" and head.endswith("erer"):
            forms += [head[:-2] + "in", head[:-2] + "innen"]  # ``Kümmerer`` -> ``Kümmerin``
    requires_domain, predicative = entry.get("requires_domain", False), entry.get("predicative", False)
    if not isinstance(requires_domain, bool) or not isinstance(predicative, bool):
        problems.append(f"{where}: 'requires_domain' and 'predicative' must be true or false")
        return None
    if predicative and not requires_domain:
        problems.append(
            f'{where}: a predicative head ({head!r}) is a title only with a domain: add "requires_domain": true'
        )
        return None
    return Head(head, tuple(dict.fromkeys([head, *forms])), title_class, requires_domain, where, predicative)


def _domain(entry: dict, where: str, groups: set[str], problems: list[str]) -> Domain | None:
    if _unknown_keys(entry, {"word", "group", "label"}, where, problems):
        return None
    word, group, label = entry.get("word"), entry.get("group"), entry.get("label", False)
    if not isinstance(word, str) or not re.fullmatch(r"[a-zäöüß0-9][a-zäöüß0-9\-]*", word or ""):
        problems.append(f"{where}: 'word' must be a word in lower case, got {word!r}")
        return None
    if group not in groups:
        problems.append(f"{where}: unknown group {group!r}; expected one of: {', '.join(sorted(groups))}")
        return None
    if not isinstance(label, bool):
        problems.append(f"{where}: 'label' must be true or false, got {label!r}")
        return None
    return Domain(word, group, where, label)


def check_lexicon_file(path: Path) -> int:
    """Validate one lexicon file against the shipped lexicon; the number of its entries.

    A heads file may name the shipped classes, a domains file their groups.
    Every problem is a :class:`PatternError` naming file and line.
    """
    if path.name not in LEXICON_FILES:
        raise PatternError(f"{path}: not a lexicon file; expected one of: {', '.join(LEXICON_FILES)}")
    files = {name: [SHIPPED_PATTERNS_DIR / name] for name in LEXICON_FILES}
    if path.resolve() != (SHIPPED_PATTERNS_DIR / path.name).resolve():
        files[path.name].append(path)
    _load(files)
    problems: list[str] = []
    count = sum(1 for _ in _entries(path, problems))
    if problems:
        raise PatternError("\n".join(problems))
    return count
