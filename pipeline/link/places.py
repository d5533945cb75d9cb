"""Where a role is held: its organisation and municipality, and the municipality of a text.

A municipal organisation names its place (``Stadt Essen`` -> ``Essen``,
``Kreisverwaltung Lippe`` -> ``Kreis Lippe``); a place adjective does too
(``Essener Systemhaus`` -> ``Essen``); a unit of an administration belongs to
the text's municipality; companies, associations and ministries are outside
any municipality.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from pipeline.link.roles import MUNICIPAL_ORGANISATION_HEADS
from pipeline.nlp.components import ORGANISATIONS_KEY, PLACE_ADJECTIVES_KEY, PLACES_KEY, TOWN_POPULATION
from pipeline.nlp.gazetteer import STATE_CODES, districts, districts_by_name, german_places, places_by_demonym

# States that are not also a city (Berlin, Hamburg and Bremen are both).
TERRITORIAL_STATES = frozenset(STATE_CODES.values()) - {"Berlin", "Hamburg", "Bremen"}
# Categories of roles held outside a municipal administration.
NON_MUNICIPAL_CATEGORIES = frozenset({"external", "it_provider_head"})


@dataclass(frozen=True)
class Municipality:
    """The municipality of a text, its state (GeoNames admin1 code) and how the text names its administration."""

    name: str
    state_code: str | None
    organisation: str


def place_of_organisation(text: str) -> str:
    """``Stadt Essen`` -> ``Essen``; districts keep their ``Kreis``: ``Kreisverwaltung Lippe`` -> ``Kreis Lippe``."""
    district = districts().get(text) or districts().get(_district_form(text))
    if district is not None:
        return district.name
    head, _, rest = text.partition(" ")
    lower = head.lower()
    if not rest or not MUNICIPAL_ORGANISATION_HEADS.match(head):
        return ""
    if lower in {"kreis", "landkreis"}:
        return f"{head} {rest}"
    if lower == "kreisverwaltung":
        return f"Kreis {rest}"
    if lower == "landratsamt":
        return rest if rest.lower().endswith("kreis") else f"Landkreis {rest}"
    return rest


# A town is named without an article: a capitalised word after one of these is a common noun.
ARTICLES_AND_CONTRACTIONS = frozenset(
    {"der", "die", "das", "den", "dem", "des", "im", "am", "zum", "zur", "vom", "beim", "ins", "ans"}
)

# Weights of the evidence for a text's municipality.
MUNICIPAL_ORGANISATION_WEIGHT = 2  # ``Stadt Essen``
PLACE_WEIGHT = 1  # ``Essen``, ``Essener``
TITLE_BONUS = 3  # named in the first line


def place_of_genitive(word: str) -> str:
    """The place a genitive names before a title: ``Hamburgs`` (Chief Digital Officer) -> ``Hamburg``; else ``""``.

    >>> place_of_genitive("Essens"), place_of_genitive("Amtes")
    ('Essen', '')
    """
    stem = word.removesuffix("s")
    place = german_places().get(stem) if stem != word and stem[:1].isupper() else None
    # a town large enough that the genitive is its name, not a word (``Bundes``) or a state (``Sachsens``)
    if place is None or place.population < TOWN_POPULATION or stem in TERRITORIAL_STATES:
        return ""
    return stem


def document_municipality(doc: Doc) -> Municipality | None:
    """The municipality a text is about, by a weighted vote of its mentions.

    Municipal organisations count most, then places and place adjectives; a
    mention in the first line counts extra. Mentions of a district in its
    several forms (``Kreis X``, ``Landkreis X``, ``Kreisverwaltung X``) count
    together and the fullest form names it.
    """
    title_end = next(
        (token.idx for token in doc if token.is_space and "\n" in token.text),
        doc[-1].idx + len(doc[-1].text) if len(doc) else 0,
    )
    votes: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    forms: dict[str, list[str]] = {}
    demonyms = places_by_demonym()

    def vote(key: str, span: Span, weight: int) -> None:
        votes[key] += weight + (TITLE_BONUS if span.start_char < title_end else 0)
        first_seen[key] = min(first_seen.get(key, span.start_char), span.start_char)

    known_districts = districts_by_name()
    for span in doc.spans.get(ORGANISATIONS_KEY, []):
        place = place_of_organisation(span.text)
        if place:
            key = place if place in known_districts else place.split(" ", 1)[-1] if _is_district(place) else place
            forms.setdefault(key, []).append(span.text)
            vote(key, span, MUNICIPAL_ORGANISATION_WEIGHT)
    in_names = {index for ent in doc.ents if ent.label_ == "PER" for index in range(ent.start, ent.end)}
    for span in doc.spans.get(PLACES_KEY, []):
        # ``Horst`` in ``Horst Kaminski`` and ``im Regen`` are no places
        before = doc[span.start - 1].lower_ if span.start else ""
        if span.start not in in_names and before not in ARTICLES_AND_CONTRACTIONS:
            vote(span.text, span, PLACE_WEIGHT)
    for span in doc.spans.get(PLACE_ADJECTIVES_KEY, []):
        if span.start not in in_names:  # ``Kieler`` in ``Eva Kieler``
            vote(demonyms[span.text], span, PLACE_WEIGHT)
    if not votes:
        return None
    key = max(votes, key=lambda name: (votes[name], -first_seen[name]))
    names = forms.get(key, [])
    district_names = [place_of_organisation(form) for form in names if _is_district(place_of_organisation(form))]
    place = german_places().get(key)
    state = known_districts[key].state_code if key in known_districts else place.state_code if place else None
    return Municipality(
        name=max(district_names, key=len) if district_names else key,
        state_code=state,
        organisation=Counter(names).most_common(1)[0][0] if names else "",
    )


def _is_district(place: str) -> bool:
    return place.lower().startswith(("kreis ", "landkreis ")) or place in districts_by_name()


def _district_form(text: str) -> str:
    """``Landratsamt des Ostalbkreises`` -> ``Ostalbkreises``: the district part of a name."""
    head, _, rest = text.partition(" ")
    if head.lower() in {"landratsamt", "kreisverwaltung", "kreishaus"}:
        return rest.removeprefix("des ").removeprefix("der ")
    return text


# A body of a state or of the federation: its roles are outside any municipality.
STATE_BODY = re.compile(
    r"\b(land|landes(?!hauptstadt)\w*|bundes\w*|freistaat(es)?|\w*ministerium\w*|staatskanzlei)\b",
    re.IGNORECASE,
)


def where_held(
    organisation: Span | None,
    category: str,
    municipality: Municipality | None,
    *,
    context: str = "",
    outside: bool = False,
    named_place: str = "",
) -> tuple[str, str]:
    """Organisation and municipality of a row.

    A municipal organisation names its place; a unit of an administration
    (``Amt für IT``) belongs to the text's municipality; any other
    organisation (a company, an association) is outside a municipality
    unless its name carries a place adjective (``Essener Systemhaus``). A
    title whose ``context`` names a state or federal body (``Staatssekretär
    im Bundesministerium``, ``CIO der Landesregierung``) is outside any municipality,
    and so is a title that never is one's (``outside``: a minister). Without an
    organisation, a place the title names (``Bürgermeister von X``) is its municipality.
    """
    if (outside or STATE_BODY.search(context)) and (
        organisation is None or not place_of_organisation(organisation.text)
    ):
        return (_nominative(organisation.text) if organisation is not None else ""), ""
    if organisation is not None:
        text = _nominative(organisation.text)
        place = place_of_organisation(text)
        if place:
            return text, place
        demonyms = places_by_demonym()
        demonym = next((demonyms[token.text] for token in organisation if token.text in demonyms), "")
        if demonym:
            return text, demonym
        if municipality and category not in NON_MUNICIPAL_CATEGORIES and PUBLIC_BODY.search(text):
            return text, municipality.name
        return text, ""
    if category in NON_MUNICIPAL_CATEGORIES:
        return "", ""
    if named_place:
        return "", named_place
    if municipality is None:
        return "", ""
    return municipality.organisation, municipality.name


PUBLIC_BODY = re.compile(
    r"^(\w+-)?(amt|fachbereich|fachdienst|stabsstelle|referat|dezernat|abteilung|büro)(e?s)?\b|verwaltung|ministerium",
    re.IGNORECASE,
)


def is_public_body(organisation: str) -> bool:
    return bool(place_of_organisation(organisation) or PUBLIC_BODY.search(organisation))


def _nominative(text: str) -> str:
    """``Essener Systemhauses`` -> ``Essener Systemhaus``: organisations named in the genitive."""
    return re.sub(r"(haus|amt|zentrum|referat|dezernat|verband)(es|s)\b", r"\1", text, flags=re.IGNORECASE)
