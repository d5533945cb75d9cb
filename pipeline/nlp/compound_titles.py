"""The ``compound_titles`` component: role titles recognised by composition from the title lexicon.

Runs after the role ruler. Every word that :meth:`~pipeline.rules.lexicon.Lexicon.parse`
splits into modifiers and a head noun becomes a span in the role-title group,
unless an explicit pattern already covers it (those win: a user's pattern is
the more specific statement). Two forms span more than one token:

* a domain written apart from a bare head: ``Smart City Managerin``, ``IT Leiter``;
* a coordinated domain: ``Informations- und Datenschutzbeauftragte``,
  ``Digital- und Changemanagerin``.

A domain word marked as a label (``IT``, ``Datenschutz``) is a title on its
own where it stands as a function label in a list of names: after ``Name,``
or after another title and a slash, and before the end of the list item or a
place (``Jana Ott, IT Halden``; ``Hauptamtsleiter/EDV``). Its category comes
from the class ``label``; its span id is ``domain-label+it``.

The deputy of a title (``Stellvertreterin der Verbandsvorsteherin``) gets a
span of its own over both, with the title's category and rule; the title
inside stays for the person it names.

The span's label is the category the title has by itself (a head that needs a
domain gets its class's default or ``staff``); the link stage refines it with
the complement. The span id names the head, and the domain group where the
title has one: ``lexicon:beauftragter+digital``.

>>> nlp = spacy.blank("de"); nlp.add_pipe("compound_titles")
>>> [(span.text, span.label_) for span in nlp("Sie ist Smart City Managerin.").spans["role_titles"]]
[('Smart City Managerin', 'smart_city')]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path
from spacy.vocab import Vocab

from pipeline.nlp.components import ORGANISATIONS_KEY, PLACES_KEY, ROLE_TITLES_KEY, TRAILING_DOMAINS_KEY
from pipeline.nlp.strings import StringAnswers
from pipeline.rules.lexicon import Lexicon, TitleParse, read_lexicon, shipped_lexicon, write_lexicon

RULE_PREFIX = "lexicon:"
LABEL_RULE_PREFIX = "domain-label+"
LABEL_CLASS = "label"
# Before a function label: the comma after a name, or the slash after another title (``Hauptamtsleiter/IT``).
LABEL_INTRODUCERS = frozenset({",", "/"})
# After a function label: the end of the list item, or the place or body the person works for.
LABEL_ITEM_ENDS = frozenset({",", ";", ")", ".", "\n"})
COORDINATORS = frozenset({"und", "oder", "bzw.", "sowie", "&"})
DEPUTY = re.compile(r"^(stellvertretende[rnms]?|stellv\.)$", re.IGNORECASE)
# ``Stellvertreterin der Verbandsvorsteherin``: a deputy holds the title's role (ANNOTATION.md).
DEPUTY_NOUN = re.compile(r"^(stell)?vertreter(in|innen|s|n)?$", re.IGNORECASE)
GENITIVE_ARTICLES = frozenset({"des", "der"})
SETTINGS_FILE = "compound_titles.json"


@dataclass(frozen=True)
class _WordKinds:
    title: bool
    label: bool
    deputy: bool


@Language.factory("compound_titles", default_config={"spans_key": ROLE_TITLES_KEY})
def make_compound_titles(nlp: Language, name: str, spans_key: str) -> CompoundTitles:
    return CompoundTitles(nlp.vocab, name, spans_key=spans_key)


class CompoundTitles:
    """Add the titles the lexicon recognises to ``doc.spans[spans_key]``.

    Built with the shipped lexicon; :meth:`set_lexicon` puts one with user
    files in its place.
    """

    def __init__(self, vocab: Vocab, name: str = "compound_titles", *, spans_key: str = ROLE_TITLES_KEY) -> None:
        self.name = name
        self.spans_key = spans_key
        self.lexicon = shipped_lexicon()
        # What a word can be, found once per word of the vocabulary: a title, a function label, a deputy noun.
        self._words: StringAnswers[_WordKinds] = StringAnswers(vocab, self._kinds)

    def set_lexicon(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._words.change(self._kinds)

    def _kinds(self, text: str) -> _WordKinds | None:
        kinds = _WordKinds(
            title=self.lexicon.parse(text) is not None,
            label=text[:1].isupper() and self.lexicon.label_group(text) is not None,
            deputy=DEPUTY_NOUN.match(text) is not None,
        )
        return kinds if kinds.title or kinds.label or kinds.deputy else None

    def __call__(self, doc: Doc) -> Doc:
        existing = list(doc.spans.get(self.spans_key, []))
        taken = {index for span in existing for index in range(span.start, span.end)}
        found = []
        hits = self._words.hits(doc)
        trailing_domains: list[Span] = []
        for index in [index for index, kinds in hits if kinds.title]:
            if index in taken:
                continue
            parse = self.lexicon.parse(doc[index].text)
            start, domain = self._modifiers_before(doc, index, parse)
            if start < index and any(position in taken for position in range(start, index)):
                start, domain = index, parse.domain
            if start > 0 and DEPUTY.match(doc[start - 1].text) and start - 1 not in taken:
                start -= 1  # ``stellvertretender Leiter``, ``stellv. Verbandsvorsteherin``: a deputy's title
            category = self._category(parse, domain)
            rule = f"{RULE_PREFIX}{parse.head.head}" + (f"+{domain}" if domain else "")
            found.append(Span(doc, start, index + 1, label=category, span_id=rule))
            trailing = self._domain_after(doc, index) if domain is None else None
            if trailing is not None:
                trailing_domains.append(trailing)
        labels = [index for index, kinds in hits if kinds.label]
        if labels:
            found.extend(self._function_labels(doc, labels, [*existing, *found]))
        if any(kinds.deputy for _, kinds in hits):
            found.extend(self._deputies_of(doc, [*existing, *found]))
        if found:
            doc.spans[self.spans_key] = sorted([*existing, *found], key=lambda span: (span.start, -span.end))
        if trailing_domains:
            doc.spans[TRAILING_DOMAINS_KEY] = trailing_domains
        return doc

    def _domain_after(self, doc: Doc, index: int) -> Span | None:
        """A domain of capitalised words written after the head: ``Projektleiterin Smart City``."""
        for width in (2, 1):
            words = doc[index + 1 : index + 1 + width]
            if (
                len(words) == width
                and all(token.text[:1].isupper() and not token.is_punct for token in words)
                and self.lexicon.domain_of(words.text) is not None
            ):
                return words
        return None

    def _deputies_of(self, doc: Doc, titles: list[Span]) -> Iterator[Span]:
        """``Stellvertreter des Verbandsvorstehers``: the deputy's title, with the category of the title named."""
        for title in titles:
            start = title.start
            if start >= 2 and doc[start - 1].lower_ in GENITIVE_ARTICLES and DEPUTY_NOUN.match(doc[start - 2].text):
                yield Span(doc, start - 2, title.end, label=title.label_, span_id=title.id_)

    def _function_labels(self, doc: Doc, candidates: list[int], titles: list[Span]) -> Iterator[Span]:
        """Domain words standing alone as a person's function in a list (``Jana Ott, IT Halden``)."""
        candidates = [index for index in candidates if index >= 2 and doc[index - 1].text in LABEL_INTRODUCERS]
        if not candidates or LABEL_CLASS not in self.lexicon.classes:
            return
        title_ends = {span.end for span in titles}
        taken = {index for span in titles for index in range(span.start, span.end)}
        places = {span.start for key in (PLACES_KEY, ORGANISATIONS_KEY) for span in doc.spans.get(key, [])} | {
            ent.start for ent in doc.ents if ent.label_ in ("LOC", "ORG", "GPE")
        }
        for index in candidates:
            if index in taken:
                continue
            before = doc[index - 2]
            if doc[index - 1].text == "/" and index - 1 not in title_ends:
                continue
            if doc[index - 1].text == "," and not (before.text[:1].isupper() or before.text == ")"):
                continue
            following = doc[index + 1] if index + 1 < len(doc) else None
            if following is not None and not (
                following.text in LABEL_ITEM_ENDS or following.is_space or index + 1 in places
            ):
                continue
            group = self.lexicon.label_group(doc[index].text)
            category = self.lexicon.category(LABEL_CLASS, [group])
            if category is not None:
                yield Span(doc, index, index + 1, label=category, span_id=f"{LABEL_RULE_PREFIX}{group}")

    def _modifiers_before(self, doc: Doc, index: int, parse: TitleParse) -> tuple[int, str | None]:
        """Where the title starts and its domain group, with a domain written apart from the head."""
        if index >= 2 and doc[index - 1].lower_ in COORDINATORS and doc[index - 2].text.endswith("-"):
            return index - 2, parse.domain or self.lexicon.domain_of(doc[index - 2].text)
        if parse.domain is None and doc[index].lower_.strip("-") in parse.head.forms:
            for width in (2, 1):
                if index - width < 0:
                    continue
                words = doc[index - width : index]
                if all(token.text[:1].isupper() and not token.is_punct for token in words):
                    domain = self.lexicon.domain_of(words.text)
                    if domain is not None:
                        return index - width, domain
        return index, parse.domain

    def _category(self, parse: TitleParse, domain: str | None) -> str:
        if domain is not None:
            category = self.lexicon.category(parse.head.title_class, [domain])
            if category is not None:
                return category
        return parse.category or self.lexicon.classes[parse.head.title_class].default or "staff"

    def to_disk(self, path, *, exclude=()) -> None:
        """Save the lexicon in use as the three lexicon files, and the settings."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_lexicon(self.lexicon, path)
        (path / SETTINGS_FILE).write_text(json.dumps({"spans_key": self.spans_key}), encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> CompoundTitles:
        """Load the lexicon files saved by :meth:`to_disk` (validated as on any load)."""
        path = ensure_path(path)
        self.spans_key = json.loads((path / SETTINGS_FILE).read_text(encoding="utf-8"))["spans_key"]
        self.set_lexicon(read_lexicon(path))
        return self
