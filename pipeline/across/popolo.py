"""Export tenures as Popolo JSON (persons, organizations, areas, memberships).

Each tenure is a membership of its person in the organisation that holds the
role (the municipality itself where the texts name no other body), with the
role title, ``label`` the role category, ``start_date``/``end_date`` in the
precision of the texts and the municipality as its ``area``. Its ``sources``
are the documents it rests on, in date order: the URL the manifest gives, else
``urn:municipal-roles:document:<doc_id>``, and the ``doc_id`` as the note.

>>> document = popolo_document(tenures, urls={"wiesenfurt_2019_cdo": "https://example.org/cdo"})
>>> sorted(document)
['areas', 'memberships', 'organizations', 'persons']
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

from pipeline.across.persons import fold, place_anchor
from pipeline.output.files import temporary_beside
from pipeline.records import TenureRow

DOCUMENT_URN = "urn:municipal-roles:document:"
ID_DIGITS = 10
# Organisation names that stand for a municipality's own administration.
MUNICIPAL_PREFIXES = (
    "stadt ",
    "stadtverwaltung",
    "gemeinde",
    "markt ",
    "samtgemeinde",
    "verbandsgemeinde",
    "amt ",
    "landeshauptstadt",
    "hansestadt",
    "universitaetsstadt",
)
DISTRICT_PREFIXES = ("kreis", "landkreis", "regionalverband", "region ")


class PopoloError(ValueError):
    """A source list that cannot be read; the message names the file and line."""


def popolo_document(tenures: Sequence[TenureRow], urls: Mapping[str, str] | None = None) -> dict[str, list[dict]]:
    """The tenures as a Popolo document: ``persons``, ``organizations``, ``areas`` and ``memberships``."""
    urls = urls or {}
    persons: dict[str, dict] = {}
    organizations: dict[str, dict] = {}
    areas: dict[str, dict] = {}
    memberships = []
    for tenure in tenures:
        persons.setdefault(tenure.person_id, {"id": tenure.person_id, "name": tenure.person})
        membership: dict = {
            "id": _id(
                "membership",
                tenure.person_id,
                tenure.role_category,
                place_anchor(tenure.municipality, tenure.organisation),
            ),
            "person_id": tenure.person_id,
            "role": tenure.role,
            "label": tenure.role_category,
        }
        area = _area(tenure.municipality)
        if area is not None:
            areas.setdefault(area["id"], area)
            membership["area_id"] = area["id"]
            membership["area"] = area
        organisation_name = tenure.organisation or tenure.municipality
        if organisation_name:
            organization = organizations.setdefault(
                _id("organization", fold(organisation_name)),
                {
                    "id": _id("organization", fold(organisation_name)),
                    "name": organisation_name,
                    "classification": organisation_classification(tenure),
                },
            )
            if area is not None:
                organization.setdefault("area_id", area["id"])
            membership["organization_id"] = organization["id"]
        if tenure.start:
            membership["start_date"] = tenure.start
        if tenure.end:
            membership["end_date"] = tenure.end
        membership["sources"] = [
            {"url": urls.get(doc_id) or DOCUMENT_URN + quote(doc_id, safe=""), "note": doc_id}
            for doc_id in tenure.doc_ids.split(";")
            if doc_id
        ]
        memberships.append(membership)
    return {
        "persons": sorted(persons.values(), key=lambda item: item["id"]),
        "organizations": sorted(organizations.values(), key=lambda item: item["id"]),
        "areas": sorted(areas.values(), key=lambda item: item["id"]),
        "memberships": memberships,
    }


def organisation_classification(tenure: TenureRow) -> str:
    """``municipality``, ``district``, ``it_provider`` or ``other``, for the body that holds a tenure's role.

    ``Kreisverwaltung Lindau`` is a district; ``Stadt Lindau``, or the municipality
    itself where no organisation is named, a municipality; the body of an
    ``it_provider_head`` an IT provider.
    """
    name = fold(tenure.organisation or tenure.municipality)
    municipality = fold(tenure.municipality)
    if name.startswith(DISTRICT_PREFIXES):
        return "district"
    if name == municipality or name.startswith(MUNICIPAL_PREFIXES):
        return "district" if municipality.startswith(DISTRICT_PREFIXES) else "municipality"
    if tenure.role_category == "it_provider_head":
        return "it_provider"
    return "other"


def read_source_urls(path: Path) -> dict[str, str]:
    """Document URLs by doc_id from a manifest CSV: its ``url`` column, or ``source`` where that is a web address.

    The manifest of ``extract --manifest`` serves: ``doc_id,published,url``.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = set(reader.fieldnames or ())
            if "doc_id" not in columns:
                raise PopoloError(f"{path}:1: missing column doc_id")
            column = "url" if "url" in columns else "source" if "source" in columns else None
            if column is None:
                raise PopoloError(f"{path}:1: no url or source column")
            urls = {}
            for row in reader:
                value = (row.get(column) or "").strip()
                if value.startswith(("http://", "https://")):
                    urls[row["doc_id"]] = value
            return urls
    except OSError as error:
        raise PopoloError(f"{path}: cannot read manifest: {error}") from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise PopoloError(f"{path}: not a UTF-8 CSV file: {error}") from error


def write_json(path: Path, data: object) -> None:
    """Write JSON atomically: a temporary file beside ``path``, renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_beside(path)
    try:
        with temporary.open("w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _area(municipality: str) -> dict | None:
    if not municipality:
        return None
    classification = "district" if fold(municipality).startswith(DISTRICT_PREFIXES) else "municipality"
    return {"id": _id("area", fold(municipality)), "name": municipality, "classification": classification}


def _id(kind: str, *parts: str) -> str:
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:ID_DIGITS]
    return f"{kind}-{digest}"
