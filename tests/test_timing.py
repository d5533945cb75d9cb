"""When a role is held: start, end and status from the text (sentences written for these tests)."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.link.spans import keep_text, span_text

PUBLISHED = date(2024, 3, 15)


@pytest.mark.parametrize(
    ("text", "person", "status"),
    [
        ("Der bisherige Leiter der IT-Abteilung, Jonas Kern, geht.", "Jonas Kern", "former"),
        ("Die ehemalige Digitalisierungsbeauftragte Anna Roth berichtete.", "Anna Roth", "former"),
        ("Der frühere CDO Peter Lenz war zu Gast.", "Peter Lenz", "former"),
        ("Zuvor war Tim Ober Leiter des Amts für IT der Stadt Lindau.", "Tim Ober", "former"),
        ("Jan Brück war bis 2022 Digitalisierungsbeauftragter der Stadt Lindau.", "Jan Brück", "former"),
        ("Digitalisierungsbeauftragter Jonas Ertl scheidet zum Jahresende aus.", "Jonas Ertl", "former"),
        ("IT-Leiter Karl Hein geht Ende März in den Ruhestand.", "Karl Hein", "former"),
        ("Die Digitalisierungsbeauftragte Eva Lorenz wechselt zur Stadt Regensburg.", "Eva Lorenz", "former"),
        ("Ilona Bender wird Nachfolgerin von Dieter Rohr als CDO.", "Dieter Rohr", "former"),
        ("Miriam Albers folgt auf Klaus Brandt als IT-Leiterin.", "Klaus Brandt", "former"),
        ("Die künftige Digitalisierungsbeauftragte Nora Pieper stellte sich vor.", "Nora Pieper", "future"),
        ("Der designierte CDO Paul Seidel sprach.", "Paul Seidel", "future"),
        ("Ab dem 1. Juli 2024 ist Lea Hahn Digitalisierungsbeauftragte der Stadt Lindau.", "Lea Hahn", "future"),
        (
            "Jan Pohl wurde zum Beigeordneten für Digitalisierung gewählt. Seine Amtszeit beginnt am 1. Juli 2024.",
            "Jan Pohl",
            "future",
        ),
        ("Zum 1. Mai 2024 wird Max Busch als CDO die Aufgabe übernehmen.", "Max Busch", "future"),
        ("Seit dem 1. März 2024 ist Lea Hahn Digitalisierungsbeauftragte der Stadt Lindau.", "Lea Hahn", "current"),
        ("Die neue Digitallotsin Heike Berg wurde begrüßt.", "Heike Berg", "current"),
        ("Ilona Bender wird Nachfolgerin von Dieter Rohr als CDO.", "Ilona Bender", "current"),
    ],
)
def test_status_cues(extract_roles, text, person, status):
    rows = {row.person: row for row in extract_roles(text, published=PUBLISHED)}
    assert rows[person].status == status, [(row.person, row.role, row.status) for row in rows.values()]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Seit dem 1. Dezember 2023 ist Lea Hahn Digitalisierungsbeauftragte der Stadt Lindau.", "2023-12-01", ""),
        ("Lukas Zeller, der seit Dezember als Digitalisierungsbeauftragter tätig ist, sprach.", "2023-12", ""),
        ("Rolf Baier, seit 2002 Verbandsgeschäftsführer des IT-Zweckverbands Südheide, sprach.", "2002", ""),
        (
            "Im Mai 2017 hatte der Rat Frau Sabine Berger zur Informationssicherheitsbeauftragten bestellt.",
            "2017-05",
            "",
        ),
        ("Jan Brück war von 2015 bis 2022 Digitalisierungsbeauftragter der Stadt Lindau.", "2015", "2022"),
        ("Seit Anfang September ist Detlef Deiter Leiter des Amts für IT der Stadt Lindau.", "2023-09", ""),
        ("Die Digitalisierungsbeauftragte Eva Lorenz (seit Mitte Oktober im Amt) stellte sich vor.", "2023-10", ""),
    ],
)
def test_role_dates(extract_roles, text, start, end):
    rows = [row for row in extract_roles(text, published=PUBLISHED) if row.digital]
    assert (rows[0].start, rows[0].end) == (start, end)


def test_event_date_of_a_title_named_without_holders(extract_roles):
    text = (
        "Am 21.11.2023 war es soweit: Die Urkunden wurden an die nun zertifizierten Digitallotsinnen überreicht.\n\n"
        "(v.l.n.r.) Anna Berg und Ute Brand als neue Digitallotsinnen der Stadtverwaltung Lindau"
    )
    rows = extract_roles(text, published=date(2023, 12, 15))
    assert {(row.person, row.start) for row in rows} == {("Anna Berg", "2023-11-21"), ("Ute Brand", "2023-11-21")}


def test_as_of_is_the_publication_date_and_empty_without_one(extract_roles):
    text = "Oberbürgermeisterin Jana Kurz eröffnete die Sitzung."
    assert extract_roles(text, published=PUBLISHED)[0].as_of == PUBLISHED
    assert extract_roles(text)[0].as_of is None


def test_without_a_publication_date_relative_dates_stay_empty(extract_roles):
    (row,) = extract_roles("Lukas Zeller, der seit Dezember als Digitalisierungsbeauftragter tätig ist, sprach.")
    assert row.start == ""


def test_span_text_slices_the_kept_text_as_spacy_builds_it(nlp):
    text = "Frau Dr. Rita Hahn (CDO)  leitet\nseit 2021 das Amt.\n\nv.l.n.r.: Ute Kern, Ali Yilmaz "
    doc = nlp(text)
    assert span_text(doc[0:4]) == "Frau Dr. Rita Hahn"  # nothing kept: spaCy's own text
    keep_text(doc, text)
    for start in range(len(doc) + 1):
        for end in range(start, len(doc) + 1):
            assert span_text(doc[start:end]) == doc[start:end].text
