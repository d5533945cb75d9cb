"""The link stage: which named person holds which role, where and when.

:func:`role_holders` is the extractor: for each role mention it yields the
persons the text gives that role, with the construction that links them
(the ``rule`` of the row). :func:`link_roles` turns those into
:class:`~pipeline.records.RoleRow` records with organisation, municipality,
dates and status.

Constructions, each a small function over tokens of one sentence:

* ``title-before-name``  ``Oberbürgermeister Till Marquardt``
* ``apposition``         ``Pia Roloff, Chief Digital Officer der Stadt Talheim``
* ``name-after-title``   ``der bisherige Leiter der IT-Abteilung, Jens Olbrich``
* ``name-before-title``  ``ist Udo Berndt Leiter des Amts für IT``
* ``als``                ``Lea Kurz, Paul Engel als neue Digitallotsen``;
  ``Lukas Zeller, der seit Dezember als Digitalisierungsbeauftragter ...``
* ``copula``             ``Mia Sander (vorn) ist die neue Koordinatorin ...``
* ``appointed-to``       ``bestellte Frau Sabine Berger ... zur Informationssicherheitsbeauftragten``
* ``title-as-subject``   ``Stellvertreter des Verbandsvorstehers sind Landrat A und B``

Then succession: ``predecessor`` (``Sie folgt auf Y``, ``in der Nachfolge von Y``)
and ``successor`` (``Sein Nachfolger ist Z``) of a linked holder's role.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from spacy.attrs import LOWER, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from pipeline.link.places import STATE_BODY, Municipality, is_public_body, place_of_genitive, where_held
from pipeline.link.roles import (
    MUNICIPAL_ORGANISATION_HEADS,
    UNIT_NOUN,
    CategoryRules,
    RoleMention,
    refine_category,
    role_mentions,
)
from pipeline.link.scoring import best_holders, closing_parenthesis, pronoun_positions, stands_in
from pipeline.link.spans import keep_text, span_text
from pipeline.link.timing import Linking, event_start, role_dates, role_status, speaks_of_the_post
from pipeline.link.titles import canonical_title, normal_title
from pipeline.nlp.components import (
    HONORIFICS,
    IT_PROVIDER_LABEL,
    MONTHS,
    ORGANISATIONS_KEY,
    PLACES_KEY,
    ROLE_TITLES_KEY,
)
from pipeline.nlp.compound_titles import LABEL_RULE_PREFIX
from pipeline.nlp.gazetteer import gender_of_name
from pipeline.records import CleanDocument, RoleRow
from pipeline.rules.cues import LinkCues, StatusCues, shipped_cues
from pipeline.taxonomy import is_digital

MAX_EVIDENCE_CHARS = 200
# A genitive name before a title: ``Essens Oberbürgermeister``.
GENITIVE_NAME = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+s$")
# Formal address and first person in an interview (case matters: ``Sie``, not ``sie``).
PRONOUNS_OF_SPEAKER = frozenset({"ich", "mir", "mich", "Sie", "Ihnen"})
LIST_SEPARATORS = frozenset({",", ";", "und", "sowie"})
MAX_EXPANSION = 8  # tokens of an organisation's name spelled out in parentheses
MAX_PARENTHETICAL = 4  # tokens inside ``(SPD)``, ``(Wendstedt)``, ``(v.l.)``
NAME_TO_ORGANISATION = 2  # tokens between a name and ``der Stadt Y`` that still make Y its organisation
OBJECT_WINDOW = 6  # tokens after a verb in which its object's name may start (``den bisherigen Amtsinhaber Y``)
SUCCESSOR = re.compile(r"^nachfolger(in)?$", re.IGNORECASE)
FOLLOWS = re.compile(r"^folg(t|te|en)$", re.IGNORECASE)
PARTY = re.compile(r"\s*\((?:[A-ZÄÖÜ][\w/ .,-]*)\)$")
# Constructions that put a name right beside its title (``Oberbürgermeister X``, ``X, Leiterin ...``).
ADJACENT_CONSTRUCTIONS = frozenset({"title-before-name", "apposition", "name-after-title", "name-before-title"})
SUCCESSION_CONSTRUCTIONS = frozenset({"predecessor", "successor", "deputy"})
# Cue groups of the words that state a succession (``_succession_links``).
SUCCESSION_CUE_GROUPS = ("succession_nouns", "deputy_nouns", "follow_verbs", "replace_verbs", "replace_verbs_with_ab")
# Constructions that say a person takes up or holds a role (not a title worn beside the name): a
# predecessor named with them was that role's holder before.
PREDICATE_CONSTRUCTIONS = frozenset({"copula", "als", "appointed-to", "title-as-subject", "leads", "name-before-title"})
# ``deren Leiterin``, ``dessen Geschäftsführer``: a title of the organisation named just before.
ORGANISATION_POSSESSIVES = frozenset({"deren", "dessen"})
LEAD_HEADS = re.compile(r"(leiter|leiterin|chef|chefin)$", re.IGNORECASE)
PROVIDER_HEADS = re.compile(
    r"geschäftsführer|geschäftsleiter|betriebsleiter|vorst(and|ändin)|verbandsvorsteher", re.IGNORECASE
)


@dataclass(frozen=True)
class Holder:
    """A person the text gives a role, and how it says so."""

    person: Span
    mention: RoleMention
    construction: str
    evidence_start: int  # token indices into the doc
    evidence_end: int


def role_holders(
    doc: Doc, mentions: list[RoleMention] | None = None, *, cues: LinkCues | None = None
) -> Iterator[Holder]:
    """Yield every (person, role) the text states.

    A title that a named construction links takes the persons it gives; any
    other title takes its best-scored candidates (:mod:`pipeline.link.scoring`),
    where a person already named right beside another title counts against.

    >>> [(h.person.text, h.mention.title.text) for h in role_holders(nlp("Oberbürgermeister Max Muster sagt"))]
    [('Max Muster', 'Oberbürgermeister')]
    """
    context = _context(doc, cues or shipped_cues())
    yield from _holders(doc, mentions if mentions is not None else role_mentions(doc), context)


def _holders(doc: Doc, mentions: Iterable[RoleMention], context: _Context) -> Iterator[Holder]:
    unlinked: list[RoleMention] = []
    adjacent_holders: set[int] = set()
    named_by_deputy: set[int] = set()  # heads of titles inside ``Stellvertreterin der Verbandsvorsteherin``
    given: list[Holder] = []
    for mention in mentions:
        if mention.deputy_of_title:
            named_by_deputy.add(mention.head.end)
        found = _construction_holders(doc, mention, context)
        if not found:
            unlinked.append(mention)
        for holder in found:
            if holder.construction in ADJACENT_CONSTRUCTIONS:
                adjacent_holders.add(holder.person.start)
        given.extend(found)
    pronouns = pronoun_positions(doc, context.cues) if unlinked else []
    for mention in unlinked:
        if mention.leads or mention.rule.startswith(LABEL_RULE_PREFIX) or mention.head.end in named_by_deputy:
            continue  # leadership phrases, function labels, deputy phrases and their titles: only by construction
        found = best_holders(
            doc,
            mention,
            persons=context.persons,
            adjacent_holders=adjacent_holders,
            cues=context.cues,
            pronouns=pronouns,
            titles=context.titles,
        )
        for candidate in found:
            anchor, title = candidate.anchor, mention.title
            construction = "pronoun" if anchor is not candidate.person else "scored"
            given.append(
                Holder(
                    candidate.person, mention, construction, min(anchor.start, title.start), max(anchor.end, title.end)
                )
            )
    yield from given
    yield from _succession(doc, given, context)


# --- succession ---------------------------------------------------------------------------------


def _succession(doc: Doc, given: list[Holder], context: _Context) -> Iterator[Holder]:
    """Who held a role before or after a holder, as the holder's sentence or the next one says.

    ``X ist neue CDO, in der Nachfolge von Y`` / ``Sie folgt auf Y`` / ``X löst Y ab``: Y held it before
    (``predecessor``); ``X war IT-Leiter. Sein Nachfolger ist Z`` / ``Ihre Nachfolgerin wird Z``: Z holds
    it next (``successor``); ``X und sein Stellvertreter Y``: Y is the deputy (``deputy``). Each title gets
    one of each at most.
    """
    main_titles = _main_titles(given)
    cue_words = cue_positions(doc, context.cues, SUCCESSION_CUE_GROUPS) if main_titles else []
    if not cue_words:
        return  # most texts name no succession: nothing to look at sentence by sentence
    holding = {(holder.person.start, holder.mention.head.start) for holder in given}
    done: set[tuple[int, str]] = set()
    for holder in main_titles:
        for sentence in _sentences_about(doc, holder, context):
            for kind, person, end in _succession_links(doc, sentence, holder, context, cue_words):
                if kind == "predecessor" and holder.construction not in PREDICATE_CONSTRUCTIONS:
                    continue  # ``X, Beigeordnete, wurde in den Aufsichtsrat gewählt. Sie folgt auf Y``: not as Beigeordnete
                key = (holder.mention.head.start, kind)
                if key in done or (person.start, holder.mention.head.start) in holding:
                    continue
                done.add(key)
                yield Holder(person, holder.mention, kind, min(person.start, holder.person.start), end)


def _main_titles(given: list[Holder]) -> list[Holder]:
    """Per person, the title a succession can be about: of ``Neuer Verbandsvorsteher ist Landrat X``
    the Verbandsvorsteher, not the title standing before the name; none where that is not clear."""
    by_person: dict[int, list[Holder]] = {}
    for holder in given:
        if holder.construction not in SUCCESSION_CONSTRUCTIONS:
            by_person.setdefault(holder.person.start, []).append(holder)
    chosen = []
    for holders in by_person.values():
        predicates = [holder for holder in holders if holder.construction != "title-before-name"]
        candidates = predicates if len(holders) > 1 else holders
        if len(candidates) == 1:
            chosen.append(candidates[0])
    return chosen


def _sentences_about(doc: Doc, holder: Holder, context: _Context) -> Iterator[Span]:
    """The holder's sentence, and the next one where it goes on about the holder (a pronoun, a possessive)."""
    sentence = holder.mention.head.sent
    yield sentence
    if sentence.end < len(doc):
        following = doc[sentence.end].sent
        first = next((token for token in following if not token.is_space), None)
        if first is not None and (
            ("pronouns", first.lower_) in context.cues or _possessive_gender(first, context) is not None
        ):
            yield following


def _succession_links(
    doc: Doc, sentence: Span, holder: Holder, context: _Context, cue_words: list[int]
) -> Iterator[tuple[str, Span, int]]:
    """``("predecessor" | "successor" | "deputy", person, evidence end)`` that ``sentence`` states for ``holder``.

    ``cue_words`` are the positions of the document's succession cue words (:func:`cue_positions`).
    """
    for index in cue_words:
        if not sentence.start <= index < sentence.end:
            continue
        token = doc[index]
        lower = token.lower_
        if ("succession_nouns", lower) in context.cues:
            after = token.i + 1
            if after < len(doc) and doc[after].lower_ in ("von", "vom"):
                person = context.by_start.get(_skip_honorifics(doc, after + 1))
                if person is not None and person.sent == sentence and person.start != holder.person.start:
                    yield "predecessor", person, person.end  # ``in der Nachfolge von Y``, ``Nachfolgerin von Y``
            elif lower != "nachfolge" and _possessive_of(doc, token, holder, context):
                person = _successor_named(doc, token, sentence, holder, context)
                if person is not None:
                    yield "successor", person, max(person.end, token.i + 1)
        elif ("deputy_nouns", lower) in context.cues and holder.mention.category != "mayor":
            # ``IT-Leiter X und sein Stellvertreter Y``; a mayor's deputy holds an office of its own
            if _possessive_of(doc, token, holder, context):
                person = context.by_start.get(_skip_honorifics(doc, token.i + 1)) or _successor_named(
                    doc, token, sentence, holder, context
                )
                if person is not None and person.start != holder.person.start:
                    yield "deputy", person, max(person.end, token.i + 1)
        elif ("follow_verbs", lower) in context.cues:
            for position in range(token.i + 1, min(sentence.end - 1, token.i + 6)):
                if doc[position].lower_ == "auf":
                    person = context.by_start.get(_skip_honorifics(doc, position + 1))
                    if person is not None and person.start != holder.person.start:
                        yield "predecessor", person, person.end  # ``X folgt auf Y``
                    break
        elif ("replace_verbs", lower) in context.cues or ("replace_verbs_with_ab", lower) in context.cues:
            person = _object_after(token.i + 1, holder, sentence, context)
            separable = ("replace_verbs_with_ab", lower) in context.cues
            if person is not None and (not separable or any(t.lower_ == "ab" for t in doc[person.end : sentence.end])):
                yield "predecessor", person, person.end  # ``X löst Y ab``, ``X beerbt den Amtsinhaber Y``


def _object_after(position: int, holder: Holder, sentence: Span, context: _Context) -> Span | None:
    """The first person other than the holder within a few words after ``position``: the verb's object
    (``löst X den bisherigen Amtsinhaber Y ab``)."""
    if position == holder.person.start:
        position = holder.person.end
    return next(
        (
            person
            for person in context.persons
            if person.sent == sentence and position <= person.start < position + OBJECT_WINDOW
        ),
        None,
    )


def _possessive_gender(token: Token, context: _Context) -> str | None:
    if ("possessives_masculine", token.lower_) in context.cues:
        return "m"
    if ("possessives_feminine", token.lower_) in context.cues:
        return "f"
    return None


def _possessive_of(doc: Doc, noun: Token, holder: Holder, context: _Context) -> bool:
    """Whether ``sein`` / ``ihre`` before ``noun`` can stand for the holder (by the gender of the name)."""
    if noun.i == 0:
        return False
    gender = _possessive_gender(doc[noun.i - 1], context)
    if gender is None:
        return False
    known = gender_of_name(holder.person.text)
    return known in ("", gender)


def _successor_named(doc: Doc, noun: Token, sentence: Span, holder: Holder, context: _Context) -> Span | None:
    """``Sein Nachfolger ist/wird Z``, ``… wird Z sein Nachfolger``: the person the copula names."""
    verb = doc[noun.i + 1] if noun.i + 1 < sentence.end else None
    if verb is not None and (("copulas", verb.lower_) in context.cues or verb.lower_ == "soll"):
        # ``Sein Nachfolger ist Z``, ``… wird im Herbst der bisherige Stellvertreter Z``, ``… soll Z werden``
        following = [person for person in context.persons if person.sent == sentence and person.start > verb.i]
        person = following[0] if following else None
    else:
        person = _subject_before(doc, noun.i - 1, sentence, context)  # ``Z wird sein Nachfolger``
    if person is None or person.start == holder.person.start:
        return None
    return person


def _construction_holders(doc: Doc, mention: RoleMention, context: _Context) -> list[Holder]:
    sentence = mention.head.sent
    for construction in (_leads,) if mention.leads else _CONSTRUCTIONS:
        found = list(construction(doc, mention, sentence, context))
        if found:
            return found
    return []


@dataclass(frozen=True)
class _Context:
    """What the link stage looks up in one document, gathered once.

    The rule components' span groups are copied into lists: iterating a
    ``SpanGroup`` makes a new ``Span`` object for each span every time, and the
    constructions and rows look up titles and organisations for every title.
    """

    persons: list[Span]
    by_start: dict[int, Span]
    by_end: dict[int, Span]
    interviewee: Span | None
    cues: LinkCues
    titles: list[Span]  # the role titles, in the order of their span group
    title_at: dict[int, Span]  # the first title starting at a token
    titles_ending_at: dict[int, list[Span]]
    organisations: list[Span]
    places: list[Span]

    def filler(self, token: Token) -> bool:
        """An adjective, article or genitive name that may stand before a title (``der bisherige``)."""
        lower = token.lower_
        return (
            ("fillers", lower) in self.cues or ("articles", lower) in self.cues or bool(GENITIVE_NAME.match(token.text))
        )


def _context(doc: Doc, cues: LinkCues) -> _Context:
    persons = [ent for ent in doc.ents if ent.label_ == "PER"]
    titles = list(doc.spans.get(ROLE_TITLES_KEY, []))
    title_at: dict[int, Span] = {}
    titles_ending_at: dict[int, list[Span]] = {}
    for title in titles:
        title_at.setdefault(title.start, title)
        titles_ending_at.setdefault(title.end, []).append(title)
    return _Context(
        persons=persons,
        by_start={ent.start: ent for ent in persons},
        by_end={ent.end: ent for ent in persons},
        interviewee=interviewee(doc, persons),
        cues=cues,
        titles=titles,
        title_at=title_at,
        titles_ending_at=titles_ending_at,
        organisations=list(doc.spans.get(ORGANISATIONS_KEY, [])),
        places=list(doc.spans.get(PLACES_KEY, [])),
    )


def interviewee(doc: Doc, persons: list[Span]) -> Span | None:
    """The person an interview addresses (``Frau Donner, mit welchen ...?``), if the text is one."""
    for person in persons:
        before = doc[person.start - 1].text if person.start else ""
        if before in ("Frau", "Herr", "Dr.") and person.end < len(doc) and doc[person.end].text == ",":
            if not (doc.to_array(ORTH) == doc.vocab.strings["?"]).any():
                return None  # no question in the text: not an interview
            full = [other for other in persons if len(other) > 1 and other[-1].text == person[-1].text]
            return full[0] if full else person
    return None


def cue_positions(doc: Doc, cues: LinkCues, groups: Iterable[str]) -> list[int]:
    """The indices of the tokens whose lower-case form is a cue word of one of ``groups``, in order.

    One pass over the document's hashes: cheaper than asking the cues about every token of every
    sentence again for each title.
    """
    hashes = {get_string_id(word) for group in groups for word in cues.words[group]}
    return [index for index, key in enumerate(doc.to_array(LOWER).tolist()) if key in hashes]


def _skip_honorifics(doc: Doc, index: int) -> int:
    while index < len(doc) and doc[index].text in HONORIFICS:
        index += 1
    return index


def _title_before_name(doc, mention, sentence, context) -> Iterator[Holder]:
    if (
        mention.category == "council"
        and mention.head.end < len(doc)
        and ("address_words", doc[mention.head.end].lower_) in context.cues
    ):
        return  # ``der Gemeinderat Frau X ... bestellt``: the council is another actor
    if mention.deputy_of_title:
        return  # ``Stellvertreter des Verbandsvorstehers X``: X holds the title named, not the deputy's
    position = _skip_honorifics(doc, _after_coordinated_title(doc, mention.head.end, context))
    person = context.by_start.get(position)
    if person is None and mention.title.end != mention.head.end:
        person = context.by_start.get(_skip_honorifics(doc, mention.title.end))
    if person is not None and person.sent == sentence:
        yield Holder(person, mention, "title-before-name", mention.title.start, person.end)
        if mention.plural:
            yield from (
                Holder(other, mention, "title-before-name", mention.title.start, other.end)
                for other in _coordinated_after(doc, person, context)
            )


def _after_coordinated_title(doc: Doc, position: int, context: _Context) -> int:
    """``Erster Beigeordneter und Personaldezernent Martin X``: skip to after the second title."""
    if position < len(doc) and doc[position].lower_ == "und" and position + 1 in context.title_at:
        return context.title_at[position + 1].end
    return position


def _apposition(doc, mention, sentence, context) -> Iterator[Holder]:
    """``Name, [der neue] Title``, also ``Name, seit 2002 Title`` and ``Name, Title/Title``."""
    position = _before_slashed_title(doc, mention.title.start - 1, context)
    while position > sentence.start and (
        context.filler(doc[position]) or doc[position].like_num or doc[position].lower_ in {"seit", "ab", "von"}
    ):
        position -= 1
    if doc[position].text != "," or position <= sentence.start:
        return
    person = context.by_end.get(position)
    if person is not None:
        yield Holder(person, mention, "apposition", person.start, mention.title.end)


def _before_slashed_title(doc: Doc, position: int, context: _Context) -> int:
    """Before the first of titles joined by a slash: ``Hauptamtsleiter/IT`` holds both."""
    while position > 0 and doc[position].text == "/":
        before = context.titles_ending_at.get(position)
        if not before:
            break
        position = min(span.start for span in before) - 1
    return position


def _name_after_title(doc, mention, sentence, context) -> Iterator[Holder]:
    """``der bisherige Leiter der IT-Abteilung, Jens Olbrich``."""
    position = mention.title.end
    if mention.organisation is not None and mention.organisation.start >= position:
        position = mention.organisation.end
    if position < len(doc) and doc[position].text == ",":
        person = context.by_start.get(_skip_honorifics(doc, position + 1))
        if person is None or person.sent != sentence:
            return
        after = doc[person.end] if person.end < len(doc) else None
        if after is None or after.is_punct or after.lower_ in {"und", "sagt", "erklärt", "so"} or after.is_sent_end:
            if not _starts_with_article_or_filler(doc, mention, context):
                return
            yield Holder(person, mention, "name-after-title", mention.title.start, person.end)


def _starts_with_article_or_filler(doc: Doc, mention: RoleMention, context: _Context) -> bool:
    """A title introduced by an article is a noun phrase that the name can explain."""
    before = doc[mention.title.start - 1] if mention.title.start else None
    while before is not None and ("fillers", before.lower_) in context.cues and before.i > 0:
        before = doc[before.i - 1]
    return before is not None and ("articles", before.lower_) in context.cues


def _name_before_title(doc, mention, sentence, context) -> Iterator[Holder]:
    """``ist Udo Berndt Leiter des Amts für IT``: name and title side by side."""
    person = context.by_end.get(mention.title.start)
    if person is not None and person.sent == sentence:
        yield Holder(person, mention, "name-before-title", person.start, mention.title.end)


def _als(doc, mention, sentence, context) -> Iterator[Holder]:
    position = _before_predicate(doc, mention.title.start - 1, sentence, context)
    if doc[position].lower_ != "als":
        return
    listed = _coordinated_before(doc, position, context.by_end)
    predecessor = _predecessor(doc, listed)
    if listed and predecessor is None:
        for person in listed:
            yield Holder(person, mention, "als", listed[0].start, mention.title.end)
        return
    subject = _subject_or_speaker(doc, position, sentence, context)
    if subject is None and not any(sentence.start <= p.start < position for p in context.persons):
        subject = _subject_after(doc, mention.title.end, sentence, context)  # ``Nach 25 Jahren als Leiter geht X``
    if subject is None:
        return
    pair = _respective_pair(doc, mention, subject, context)
    if pair is not None:
        subject = pair
    if predecessor is None:
        yield Holder(subject, mention, "als", subject.start, mention.title.end)
        return
    yield Holder(subject, mention, "successor", subject.start, mention.title.end)
    yield Holder(predecessor, mention, "predecessor", subject.start, mention.title.end)


def _before_predicate(doc: Doc, position: int, sentence: Span, context: _Context) -> int:
    """Step back over fillers, articles and time phrases, and over ``T1 bzw.`` before a second title."""
    while position > sentence.start:
        token = doc[position]
        if context.filler(token) or _is_time_word(token, context.cues):
            position -= 1
        elif ("respectively", token.lower_) in context.cues:
            position = _title_start_before(position, context) - 1
        else:
            break
    return position


def _is_time_word(token: Token, cues: LinkCues) -> bool:
    """Part of a time phrase between verb and title: ``war von 2015 bis 2022 Title``."""
    return token.like_num or token.text in MONTHS or ("time_words", token.lower_) in cues


def _title_start_before(position: int, context: _Context) -> int:
    before = context.titles_ending_at.get(position)
    return before[0].start if before else position


def _predecessor(doc: Doc, listed: list[Span]) -> Span | None:
    """The person a successor follows: ``Nachfolgerin von X als CDO``, ``folgt auf X als CDO``."""
    if len(listed) == 1 and listed[0].start >= 2:
        person = listed[0]
        before = doc[person.start - 1].lower_
        if before == "von" and SUCCESSOR.match(doc[person.start - 2].text):
            return person
        # ``folgt X auf Y`` and ``X folgt auf Y``
        window = doc[max(person.sent.start, person.start - 6) : person.start - 1]
        if before == "auf" and any(FOLLOWS.match(token.text) for token in window):
            return person
    return None


def _respective_pair(doc: Doc, mention: RoleMention, subject: Span, context: _Context) -> Span | None:
    """``A und B als T1 bzw. T2``: A holds T1 (B, the nearer one, holds T2)."""
    following = doc[mention.title.end].text if mention.title.end < len(doc) else ""
    if (
        ("respectively", following.lower()) not in context.cues
        or subject.start < 2
        or doc[subject.start - 1].lower_ != "und"
    ):
        return None
    return context.by_end.get(subject.start - 1)


def _copula(doc, mention, sentence, context) -> Iterator[Holder]:
    """``Name (vorn) ist die neue Title``; ``Name war von 2015 bis 2022 Title``."""
    yield from _subject_of_predicate(doc, mention, sentence, context, "copulas", "copula")


def _appointed_to(doc, mention, sentence, context) -> Iterator[Holder]:
    """``bestellte Frau X zur Informationssicherheitsbeauftragten``."""
    yield from _subject_of_predicate(doc, mention, sentence, context, "appointment_words", "appointed-to")


def _subject_of_predicate(
    doc: Doc, mention: RoleMention, sentence: Span, context: _Context, group: str, construction: str
) -> Iterator[Holder]:
    """The subject of a title introduced by a word of the cue ``group`` (after fillers and time phrases);
    all the names coordinated as the subject of a plural title (``A und B sind die neuen Digitallotsen``).

    A sentence that opens with the title has its subject after it: ``Zur Stellvertreterin wurde X gewählt``.
    """
    position = _before_predicate(doc, mention.title.start - 1, sentence, context)
    if (group, doc[position].lower_) not in context.cues:
        return
    subject = _subject_or_speaker(doc, position, sentence, context)
    if subject is not None:
        listed = _coordinated_before(doc, subject.end, context.by_end) if mention.plural else []
        for person in listed or [subject]:
            yield Holder(person, mention, construction, person.start, mention.title.end)
    elif position == sentence.start:
        subject = _subject_after(doc, mention.title.end, sentence, context)
        if subject is not None:
            yield Holder(subject, mention, construction, mention.title.start, subject.end)


def _title_as_subject(doc, mention, sentence, context) -> Iterator[Holder]:
    """``Stellvertreter des Verbandsvorstehers X sind Landrat A und B``; ``Neue Digitallotsin ist Frau C``."""
    position = mention.title.end
    inner = context.by_start.get(position)
    if inner is not None and mention.deputy_of_title:
        position = _after_parenthetical(doc, inner.end)
    if position >= sentence.end or ("copulas", doc[position].lower_) not in context.cues:
        return
    position = _skip_honorifics(doc, position + 1)
    own_title = context.title_at.get(position)
    person = context.by_start.get(_skip_honorifics(doc, own_title.end if own_title is not None else position))
    if person is None or person.sent != sentence:
        return
    yield Holder(person, mention, "title-as-subject", mention.title.start, person.end)
    for other in _coordinated_after(doc, person, context):
        yield Holder(other, mention, "title-as-subject", mention.title.start, other.end)


def _subject_after(doc: Doc, position: int, sentence: Span, context: _Context) -> Span | None:
    """The first person after ``position`` in its sentence that can be the subject (not ``von X``)."""
    for person in context.persons:
        if person.start < position or person.sent != sentence:
            continue
        if ("not_subject_before", doc[person.start - 1].lower_) in context.cues:
            continue
        return person
    return None


def _coordinated_before(doc: Doc, position: int, by_end: dict[int, Span]) -> list[Span]:
    """Names coordinated right before ``position``: ``A, B und C als``, ``A (SPD) und B (CDU) als``."""
    listed: list[Span] = []
    end = _before_parenthetical(doc, position)
    while True:
        person = by_end.get(end)
        if person is None:
            break
        listed.insert(0, person)
        separator = person.start - 1
        if separator < 0 or doc[separator].text not in LIST_SEPARATORS:
            break
        end = _before_parenthetical(doc, separator)
    return listed


def _coordinated_after(doc: Doc, person: Span, context: _Context) -> Iterator[Span]:
    """Names coordinated after ``person``: ``Kai Rust (CDU), Ina Berg (SPD) und Jo Lind``.

    A name marked as standing in (``(Vertreterin)``) is listed but holds no title.
    """
    position = _after_parenthetical(doc, person.end)
    while position < len(doc) and doc[position].text in LIST_SEPARATORS:
        following = context.by_start.get(_skip_honorifics(doc, position + 1))
        if following is None:
            return
        if not stands_in(doc, following, context.cues):
            yield following
        position = _after_parenthetical(doc, following.end)


def _after_parenthetical(doc: Doc, position: int) -> int:
    """Past a short parenthesis (a party, a place, an age) or ``aus X`` that follows a name."""
    if (
        position + 1 < len(doc)
        and doc[position].lower_ in {"aus", "von"}
        and doc[position + 1].ent_type_ in ("LOC", "ORG")
    ):
        end = position + 2
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        return end
    closing = closing_parenthesis(doc, position, within=MAX_PARENTHETICAL)
    return closing + 1 if closing is not None else position


def _before_parenthetical(doc: Doc, end: int) -> int:
    """The end of the name before a short parenthesis that ends at ``end``."""
    if end > 0 and doc[end - 1].text == ")":
        for start in range(end - 2, max(-1, end - MAX_PARENTHETICAL - 3), -1):
            if doc[start].text == "(":
                return start
    return end


def _subject_or_speaker(doc: Doc, position: int, sentence: Span, context: _Context) -> Span | None:
    """The subject before ``position``; in an interview, ``ich`` / ``Sie`` is the interviewee."""
    subject = _subject_before(doc, position, sentence, context)
    if (
        subject is None
        and context.interviewee is not None
        and any(token.text in PRONOUNS_OF_SPEAKER or token.lower_ == "ich" for token in sentence)
    ):
        return context.interviewee
    return subject


def _leads(doc, mention, sentence, context) -> Iterator[Holder]:
    """``X, der ... das neue Amt leitet``; ``Ich leite die Stabsstelle``; ``die Leitung übernimmt X``;
    ``Seit 2019 leitet X das Amt`` (the subject after the verb, where something else comes first)."""
    if mention.unit is None and mention.title.end == mention.head.end:
        return  # ``unter der Leitung von X``: the text does not say of what
    if mention.head.text.lower() == "leitung":
        subject = _leader_of_leitung(doc, mention, sentence, context)
    else:
        after_verb = context.by_start.get(_skip_honorifics(doc, mention.head.start + 1))
        subject = after_verb or _subject_or_speaker(doc, mention.head.start, sentence, context)
    if subject is not None:
        yield Holder(
            subject, mention, "leads", min(subject.start, mention.title.start), max(subject.end, mention.title.end)
        )


def _leader_of_leitung(doc: Doc, mention: RoleMention, sentence: Span, context: _Context) -> Span | None:
    """``unter der Leitung von X``, or the person who takes over the ``Leitung`` in its sentence."""
    after = mention.title.end
    if after + 1 < len(doc) and doc[after].lower_ == "von":
        return context.by_start.get(_skip_honorifics(doc, after + 1))
    if mention.title.end == mention.head.end or not any(
        ("take_over_verbs", t.lower_) in context.cues for t in sentence
    ):
        return None
    following = [p for p in context.persons if p.sent == sentence and p.start >= mention.title.end]
    return following[0] if following else _subject_before(doc, mention.head.start, sentence, context)


def _subject_before(doc: Doc, position: int, sentence: Span, context: _Context) -> Span | None:
    """The nearest person before ``position`` in its sentence that can be the subject."""
    for person in reversed(context.persons):
        if person.end > position or person.start < sentence.start:
            continue
        if person.start > 0 and ("not_subject_before", doc[person.start - 1].lower_) in context.cues:
            continue
        return person
    return None


_CONSTRUCTIONS = (
    _title_before_name,
    _apposition,
    _name_after_title,
    _name_before_title,
    _als,
    _copula,
    _appointed_to,
    _title_as_subject,
)


# --- names --------------------------------------------------------------------------------------


def full_names(persons: Iterable[Span]) -> dict[str, str]:
    """Surname-only mentions to the full name used elsewhere in the text (``persons``: its PER entities)."""
    names: dict[str, str] = {}
    for person in persons:
        if len(person) > 1:
            names.setdefault(person[-1].text, clean_person_name(person.text))
    return names


def clean_person_name(text: str) -> str:
    """The name without titles, honorifics or a party in parentheses."""
    text = PARTY.sub("", text)
    words = [word for word in text.split() if word not in HONORIFICS]
    return " ".join(words)


def _organisation_of(doc: Doc, mention: RoleMention, holder: Holder, context: _Context) -> Span | None:
    if mention.organisation is not None:
        return mention.organisation
    organisations = context.organisations
    inside = [span for span in organisations if mention.title.start <= span.start and span.end <= mention.title.end]
    if inside:
        return inside[0]
    if mention.context:
        # ``Leiter des Innovation Lab der Stadt Talheim``
        trailing = [s for s in organisations if mention.context.start <= s.start and s.end <= mention.context.end]
        if trailing:
            return trailing[-1]
    if mention.title.end == mention.head.end and mention.title.start > 0:
        possessive = doc[mention.title.start - 1].lower_
        if possessive in ORGANISATION_POSSESSIVES:
            # ``... mit der IT-Abteilung der Stadt. Deren Leiterin X``: the unit named just before
            earliest = _sentence_before(doc, mention.head.sent).start
            referent = _unit_before(doc, mention.title.start - 1, earliest, organisations)
            if referent is not None:
                return referent
    if mention.title.end == mention.head.end and mention.leads is False and LEAD_HEADS.search(mention.last_word):
        # ``Die Stabsstelle Digitalisierung hat einen neuen Leiter: X``
        units = [
            span
            for span in organisations
            if mention.head.sent.start <= span.start
            and span.end <= mention.head.start
            and UNIT_NOUN.search(span[0].text)
        ]
        if units:
            return units[-1]
    window_end = min(len(doc), max(holder.evidence_end, mention.title.end) + 6)
    other_titles = [span.start for span in context.titles if span.start >= mention.title.end]
    after = [
        span
        for span in organisations
        if mention.title.end <= span.start < window_end
        and span.sent == mention.head.sent
        and doc[span.start - 1].lower_ in {"der", "bei", "im", "des", "von"}
        and not any(start < span.start for start in other_titles)  # ``Landrätin X und der Leiter der Stabsstelle``
        # past a name after the title, only right after it: ``IT-Leiterin X kommt von der Stadt Y`` is where she was
        and (holder.person.start < mention.title.start or span.start <= holder.person.end + NAME_TO_ORGANISATION)
    ]
    return after[0] if after else None


def _unit_before(doc: Doc, position: int, earliest: int, organisations: list[Span]) -> Span | None:
    """The nearest unit of an administration named before ``position``: an organisation or a word like ``IT-Abteilung``."""
    by_start = {span.start: span for span in organisations}
    municipal = None  # ``der IT-Abteilung der Stadt X``: the municipality qualifies the unit before it
    for index in range(position - 1, earliest - 1, -1):
        if index in by_start:
            if not MUNICIPAL_ORGANISATION_HEADS.match(doc[index].text):
                return by_start[index]
            municipal = municipal or by_start[index]
        elif doc[index].text[:1].isupper() and UNIT_NOUN.search(doc[index].text):
            return doc[index : index + 1]
    return municipal


def _sentence_before(doc: Doc, sentence: Span) -> Span:
    return doc[sentence.start - 1].sent if sentence.start > 0 else sentence


def _place_named_with(doc: Doc, mention: RoleMention, places: list[Span]) -> str:
    """A place the title's complement names (``Bürgermeister von Wietzendorf``), or a genitive before it
    (``Hamburgs Chief Digital Officer``)."""
    if mention.title.start > 0:
        genitive = place_of_genitive(doc[mention.title.start - 1].text)
        if genitive:
            return genitive
    end = mention.context.end if mention.context is not None else mention.title.end
    if end == mention.head.end:
        return ""
    named = [span for span in places if mention.head.end <= span.start and span.end <= end]
    return named[0].text if named else ""


def is_it_provider(organisation: Span, rules: CategoryRules) -> bool:
    """Whether an organisation is a public IT service provider: a listed one, or one its name says is.

    The name includes its expansion in parentheses: ``Nordkom GmbH (Kommunale Informationstechnik Nord)``.
    """
    if organisation.label_ == IT_PROVIDER_LABEL or rules.mentions("it_provider", organisation.text):
        return True
    doc, end = organisation.doc, organisation.end
    closing = closing_parenthesis(doc, end, within=MAX_EXPANSION)
    return closing is not None and bool(rules.groups_in(doc[end + 1 : closing].text) & {"it", "it_provider"})


def _provider_organisation(organisations: list[Span], rules: CategoryRules) -> Span | None:
    """The IT service provider a text is about, for heads named without their organisation."""
    providers = [span for span in organisations if is_it_provider(span, rules)]
    if not providers:
        return None
    counts = Counter(span.text for span in providers)
    return max(providers, key=lambda span: (counts[span.text], len(span.text)))


# --- rows ---------------------------------------------------------------------------------------


def link_roles(
    doc: Doc,
    clean: CleanDocument,
    *,
    published: date | None,
    rules: CategoryRules,
    municipality: Municipality | None = None,
    reference: date | None = None,
) -> list[RoleRow]:
    """One row per (person, role) stated in the document.

    Mentions of the same role (``CDO`` and ``Chief Digital Officer``) merge into
    the first row, which takes dates and a ``former`` status from the others.
    ``published`` is the ``as_of`` of the rows; dates without a year are read
    against it or, where the text gives only its month, against ``reference``.
    """
    reference = published or reference
    keep_text(doc, clean.text)
    mentions = list(role_mentions(doc))
    context = _context(doc, rules.cues)
    names = full_names(context.persons)
    holders = list(_holders(doc, mentions, context))
    starts = _event_starts(mentions, holders, reference, rules.status)
    post = speaks_of_the_post(clean.text, rules.status)
    rows: dict[tuple[str, str], RoleRow] = {}
    for holder in holders:
        row = _row(doc, clean, holder, context, names, published, reference, rules, municipality, starts, post)
        if row is None:
            continue
        key = (row.person.casefold(), canonical_title(row.role))
        if key in rows:
            _merge(rows[key], row)
        else:
            rows[key] = row
    return _deputy_mayors(list(rows.values()))


def _event_starts(
    mentions: list[RoleMention], holders: list[Holder], published: date | None, cues: StatusCues
) -> dict[str, str]:
    """Start dates by category from titles named without a holder.

    ``Am 21.11.2023 ... die nun zertifizierten Digitallotsen`` dates the
    Digitallotsen the caption names later.
    """
    linked = {holder.mention.head.start for holder in holders}
    starts: dict[str, str] = {}
    for mention in mentions:
        if mention.head.start not in linked and mention.category not in starts:
            start = event_start(mention.head.sent, mention.title, published=published, cues=cues)
            if start:
                starts[mention.category] = start
    return starts


def _merge(row: RoleRow, other: RoleRow) -> None:
    row.start = row.start or other.start
    row.end = row.end or other.end
    if other.status == "former":
        row.status = "former"


def _deputy_mayors(rows: list[RoleRow]) -> list[RoleRow]:
    """Where a text names an Oberbürgermeister, a Bürgermeister of the same town is a deputy (executive)."""
    heads = {(row.municipality, row.person) for row in rows if row.role.startswith("Oberbürgermeister")}
    for row in rows:
        if (
            row.role_category == "mayor"
            and row.role.startswith("Bürgermeister")
            and any(place == row.municipality and person != row.person for place, person in heads)
        ):
            row.role_category = "executive"
    return rows


def _row(
    doc: Doc,
    clean: CleanDocument,
    holder: Holder,
    context: _Context,
    names: dict[str, str],
    published: date | None,
    reference: date | None,
    rules: CategoryRules,
    municipality: Municipality | None,
    event_starts: dict[str, str],
    post: bool,
) -> RoleRow | None:
    mention = holder.mention
    person = clean_person_name(holder.person.text)
    if " " not in person:
        person = names.get(person, person)
    organisation = _organisation_of(doc, mention, holder, context)
    prefix = rules.organisation_prefix(mention)  # ``Dataport`` in ``Dataport-Vorständin``
    if organisation is None and not prefix and PROVIDER_HEADS.search(mention.head.text):
        organisation = _provider_organisation(context.organisations, rules)
    title_context = " ".join(
        span_text(span)
        for span in (
            doc[mention.title.start : mention.head.start],
            doc[mention.head.end : mention.title.end],
            organisation,
            mention.unit,
            mention.context,
        )
        if span is not None
    )
    state = municipality.state_code if municipality else None
    provider = organisation is not None and is_it_provider(organisation, rules)
    category = refine_category(mention, context=title_context, state_code=state, rules=rules, provider=provider)
    if category is None:
        return None  # ``Managerin`` or ``Verantwortlicher`` with no domain: not a title here
    organisation_text, place = where_held(
        organisation,
        category,
        municipality,
        context=title_context,
        outside=rules.outside_municipality(mention),
        named_place=_place_named_with(doc, mention, context.places),
    )
    organisation_text = organisation_text or prefix
    if organisation is not None and category in ("staff", "external"):
        # a post in a company is external, a Geschäftsführer of an administration is staff
        category = "staff" if is_public_body(organisation_text) else "external"
    if category == "staff" and not place and STATE_BODY.search(title_context):
        category = "external"  # ``Abteilungsleiter im Innenministerium``: outside local government
    evidence_start, evidence_end = _evidence_chars(doc, holder)
    raw_start, raw_end = clean.to_raw(evidence_start, evidence_end)
    linking = Linking(
        mention.head.sent, min(holder.evidence_start, mention.title.start), max(holder.evidence_end, mention.title.end)
    )
    start, end = role_dates(
        doc, linking, published=reference, person=holder.person, cues=rules.status, speaks_of_the_post=post
    )
    if not start and holder.construction not in SUCCESSION_CONSTRUCTIONS:
        start = event_starts.get(mention.category, "")
    return RoleRow(
        doc_id=clean.doc_id,
        person=person,
        role=("stellv. " if holder.construction == "deputy" else "")
        + normal_title(mention, gender_of_name(person) or mention.gender),
        role_category=category,
        digital=is_digital(category),
        organisation=organisation_text,
        municipality=place,
        as_of=published,
        start=start,
        end=end,
        status="former"
        if holder.construction == "predecessor"
        else role_status(
            doc,
            linking,
            title=mention.title,
            person=holder.person,
            published=reference,
            start=start,
            end=end,
            cues=rules.status,
        ),
        evidence=clean.raw_text[raw_start:raw_end],
        start_char=raw_start,
        end_char=raw_end,
        rule=f"{holder.construction}+{mention.rule}",
    )


def _evidence_chars(doc: Doc, holder: Holder) -> tuple[int, int]:
    start = doc[holder.evidence_start].idx
    last = doc[holder.evidence_end - 1]
    end = last.idx + len(last.text)
    if end - start > MAX_EVIDENCE_CHARS:
        title = holder.mention.title
        start = min(title.start_char, holder.person.start_char)
        end = max(title.end_char, holder.person.end_char)
    return start, end
