"""Role titles as German writes them: five or more variants per category, end to end.

Each case is a sentence written for this test; the row must carry the
category and the title in the nominative singular of the holder's gender.
"""

from __future__ import annotations

import pytest

CASES = {
    "cdo": [
        ("Jana Kurz, Chief Digital Officer der Stadt Lindau, sprach.", "Chief Digital Officer"),
        ("Chief Information Officer Tom Berg stellte den Plan vor.", "Chief Information Officer"),
        ("Marcel Weber ist neuer CDO der Stadt Lindau.", "CDO"),
        ("Die Stadt Lindau hat mit Eva Roth eine CIO: Eva Roth, CIO der Stadt, lobte das Team.", "CIO"),
        ("Chief Data Officer Lea Hahn erklärte die Datenstrategie der Stadt Lindau.", "Chief Data Officer"),
    ],
    "digital_officer": [
        (
            "Lukas Zeller, der seit Mai als Digitalisierungsbeauftragter tätig ist, sprach.",
            "Digitalisierungsbeauftragter",
        ),
        ("Die Digitalisierungsbeauftragte Anna Sommer stellte das Portal vor.", "Digitalisierungsbeauftragte"),
        (
            "Der Rat wählte Jens Kolb zum neuen Digitalisierungsbeauftragten der Stadt Lindau.",
            "Digitalisierungsbeauftragter",
        ),
        ("Pia Lenz ist die neue Digitalisierungskoordinatorin der drei Gemeinden.", "Digitalisierungskoordinatorin"),
        ("Digitalisierungs-Beauftragte Maria Vogt lud zum Workshop ein.", "Digitalisierungs-Beauftragte"),
        ("Karl Fink, Beauftragter für E-Government der Stadt Lindau, sprach.", "Beauftragter für E-Government"),
    ],
    "digital_pilot": [
        ("Heike Berg als neue Digitallotsin der Stadtverwaltung wurde begrüßt.", "Digitallotsin"),
        ("Reiner Pahl, Heike Brück als neue Digitallotsen erhielten Urkunden.", "Digitallotse"),
        ("Digitallotse Simon Graf erklärte das Onlinezugangsgesetz.", "Digitallotse"),
        ("Die Digitallots:innen Jana Keller und Ute Brand berichteten.", "Digitallotsin"),
        ("Die DigitallotsInnen Jana Keller und Ute Brand berichteten.", "Digitallotsin"),
        ("Digitalbotschafterin Nina Hofer besuchte die Schule.", "Digitalbotschafterin"),
    ],
    "digital_manager": [
        (
            "Simon Weil als neuer Digital- und Changemanager der Stadtverwaltung wurde vorgestellt.",
            "Digital- und Changemanager",
        ),
        ("Digitalmanagerin Lisa Ernst eröffnete die Tagung.", "Digitalmanagerin"),
        ("Innovationsmanager Paul Seidel zeigte die App.", "Innovationsmanager"),
        ("Transformationsmanagerin Vera Schulz erläuterte den Fahrplan.", "Transformationsmanagerin"),
        ("Ole Frank, Chief Innovation Officer der Stadt Lindau, sprach.", "Chief Innovation Officer"),
    ],
    "smart_city": [
        ("Smart-City-Managerin Julia Horn präsentierte die Sensoren.", "Smart-City-Managerin"),
        ("Smart City Manager Felix Brandt erklärte das Projekt.", "Smart City Manager"),
        ("Tim Ott, Smart-City-Koordinator der Stadt Lindau, sprach.", "Smart-City-Koordinator"),
        ("Die Smart-City-Beauftragte Eva Lorenz stellte die Plattform vor.", "Smart-City-Beauftragte"),
        ("Smart-City-Manager*in Kim Bauer war ebenfalls dabei.", "Smart-City-Manager*in"),
    ],
    "it_head": [
        ("IT-Leiterin Sandra Kuhn verwies auf die Personallage.", "IT-Leiterin"),
        ("Christopher Schöller, der neue Leiter der IT-Abteilung, sprach.", "Leiter der IT-Abteilung"),
        ("Katrin Ober, Leiterin der Stabsstelle Digitalisierung, sprach.", "Leiterin der Stabsstelle Digitalisierung"),
        ("Seit Anfang September ist Detlef Deiter Leiter des Amts für IT der Stadt Lindau.", "Leiter des Amts für IT"),
        (
            "Fachbereichsleiter Digitalisierung und Geoinformation Max Hübner sprach.",
            "Fachbereichsleiter Digitalisierung und Geoinformation",
        ),
        (
            "Anna Roth, Leiterin des Amts für Digitalisierung und IT, sprach.",
            "Leiterin des Amts für Digitalisierung und IT",
        ),
    ],
    "digital_executive": [
        ("Digitaldezernent Holger Klotz freut sich.", "Digitaldezernent"),
        (
            "Carsten Schlepp, städtischer Beigeordneter für Digitalisierung, IT und Personal, sprach.",
            "Beigeordneter für Digitalisierung, IT und Personal",
        ),
        ("Die Beigeordnete für Digitalisierung Maria Hesse eröffnete die Sitzung.", "Beigeordnete für Digitalisierung"),
        (
            "Dezernentin für Innovation und Organisation Ute Kraus sprach.",
            "Dezernentin für Innovation und Organisation",
        ),
        (
            "Der Rat wählte Jan Pohl zum Beigeordneten für E-Government und Bürgerservice.",
            "Beigeordneter für E-Government und Bürgerservice",
        ),
    ],
    "it_provider_head": [
        (
            "Siegfried Grube, Betriebsleiter des Essener Systemhauses, sprach.",
            "Betriebsleiter des Essener Systemhauses",
        ),
        (
            "Maren Siebert, Geschäftsführerin des Kommunalen Rechenzentrums Nordheide, sprach.",
            "Geschäftsführerin des Kommunalen Rechenzentrums Nordheide",
        ),
        (
            "Die Kommunale Datenverarbeitung Oldenburg (KDO) wächst. Rolf Baier, seit 2002 Verbandsgeschäftsführer, blickt zurück.",
            "Verbandsgeschäftsführer",
        ),
        ("Geschäftsführer Tim Kranz leitet den IT-Zweckverband Südheide.", "Geschäftsführer"),
        ("Ilona Benke, Geschäftsführerin der KL.digital GmbH, übernimmt.", "Geschäftsführerin der KL.digital GmbH"),
    ],
    "security_privacy": [
        ("Informationssicherheitsbeauftragter Florian Ngo warnte vor Phishing.", "Informationssicherheitsbeauftragter"),
        ("Die Datenschutzbeauftragte Lea Marten sprach.", "Datenschutzbeauftragte"),
        (
            "Der Rat bestellte Frau Sabine Berger zur Informationssicherheitsbeauftragten.",
            "Informationssicherheitsbeauftragte",
        ),
        (
            "Jonas Weller, Informations- und Datenschutzbeauftragter der Stadt, sprach.",
            "Informations- und Datenschutzbeauftragter",
        ),
        ("CISO Daniel Fuchs stellte die Lage vor.", "CISO"),
    ],
    "other_digital": [
        ("Breitbandkoordinatorin Aylin Demir erklärte den Ausbau.", "Breitbandkoordinatorin"),
        ("OZG-Koordinator Max Busch nannte Zahlen.", "OZG-Koordinator"),
        (
            "Marco Gerber, Programmbereichsleiter Organisations- und Informationsmanagement KGSt, sprach.",
            "Programmbereichsleiter Organisations- und Informationsmanagement",
        ),
        ("Referentin für Digitalisierung Nora Pieper stellte die Umfrage vor.", "Referentin für Digitalisierung"),
        ("Projektleiter Digitalisierung Ben Auer erklärte die E-Akte.", "Projektleiter Digitalisierung"),
    ],
    "mayor": [
        ("Oberbürgermeister Thomas Kufner begrüßte die Gäste.", "Oberbürgermeister"),
        ("Auf Einladung von Bürgermeisterin Bettina Weiß tagte der Ausschuss.", "Bürgermeisterin"),
        ("OB Sorell lobte die Verwaltung.", "OB"),
        ("Landrat Dr. Axel Lehner übergab den Bescheid.", "Landrat"),
        ("Landrätin Ulrike Brenner sprach.", "Landrätin"),
        ("Ortsbürgermeister Karl Ries eröffnete das Fest.", "Ortsbürgermeister"),
    ],
    "executive": [
        ("Stadtkämmerer Rüdiger Falke legte den Haushalt vor.", "Stadtkämmerer"),
        ("Beigeordneter für Soziales Peter Lang sprach.", "Beigeordneter für Soziales"),
        ("Stadtbaurat Christof Nold erläuterte den Plan.", "Stadtbaurat"),
        ("Kreisdirektor Stefan Möller vertrat den Landrat.", "Kreisdirektor"),
        ("Erster Beigeordneter Martin Weiß sprach.", "Erster Beigeordneter"),
    ],
    "council": [
        ("Fraktionsvorsitzende Petra Linde (SPD) kritisierte das.", "Fraktionsvorsitzende"),
        ("Uwe Flach, Fraktionschef der Grünen, sprach.", "Fraktionschef der Grünen"),
        ("Ratsmitglied Jonas Erd fragte nach.", "Ratsmitglied"),
        ("Ausschussvorsitzender Reinhard Ohl leitete die Sitzung.", "Ausschussvorsitzender"),
        ("Stadtverordnete Maria Kehl stellte den Antrag.", "Stadtverordnete"),
    ],
    "staff": [
        ("Pressesprecherin Jana Busch bestätigte das.", "Pressesprecherin"),
        ("Marcus Dierich, den Persönlichen Referenten des Landrates, lobte er.", "Persönlicher Referent des Landrates"),
        ("Amtsleiter Paul Reuter erklärte das Verfahren.", "Amtsleiter"),
        (
            "Der Leitende Städtische Verwaltungsdirektor Chris Reimann sprach.",
            "Leitender Städtischer Verwaltungsdirektor",
        ),
        ("Sachbearbeiterin Ida Lang half weiter.", "Sachbearbeiterin"),
    ],
    "external": [
        ("NRW-Wirtschaftsminister Garrelt Dunn übergab den Bescheid.", "NRW-Wirtschaftsminister"),
        ("Staatssekretär Thomas Wunsch bedankte sich.", "Staatssekretär"),
        ("Anika Krell, Referentin KGSt, sprach.", "Referentin"),
        ("Geschäftsführerin Sabine Klee leitet die Stadtwerke.", "Geschäftsführerin"),
        ("Präsident Uwe Brandt eröffnete die Messe.", "Präsident"),
    ],
}


@pytest.mark.parametrize(
    ("category", "text", "role"),
    [(category, text, role) for category, cases in CASES.items() for text, role in cases],
)
def test_title_variant(extract_roles, category, text, role):
    rows = extract_roles(text)
    assert (role, category) in {(row.role, row.role_category) for row in rows}, [
        (row.person, row.role, row.role_category) for row in rows
    ]


def test_every_category_has_five_variants():
    from pipeline.taxonomy import CATEGORIES

    assert set(CASES) == CATEGORIES
    assert all(len(cases) >= 5 for cases in CASES.values())


def test_feminine_form_for_a_woman_named_among_a_plural(extract_roles):
    rows = {row.person: row.role for row in extract_roles("Reiner Pahl und Heike Brück als neue Digitallotsen.")}
    assert rows == {"Reiner Pahl": "Digitallotse", "Heike Brück": "Digitallotsin"}


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Der Rat dankte dem Beigeordneten Peter Lang.", "Beigeordneter"),
        ("Der Rat dankte der Beigeordneten Petra Lang.", "Beigeordnete"),
        ("Sie sprach mit dem neuen Digitalisierungsbeauftragten Jens Kolb.", "Digitalisierungsbeauftragter"),
        ("Die Digitalisierungsbeauftragte/-r Kim Bauer fehlte.", "Digitalisierungsbeauftragte/-r"),
        ("IT-Leiter/in Kim Bauer fehlte.", "IT-Leiter/in"),
        ("Die Digitallots/-in Kim Bauer fehlte.", "Digitallots/-in"),
    ],
)
def test_inflected_and_inclusive_forms(extract_roles, text, role):
    assert role in {row.role for row in extract_roles(text)}


@pytest.mark.parametrize(
    "text",
    [
        "30 IT-Steuerungsexpertinnen und -experten tagten.",
        "Die Digitallotsinnen und -lotsen der Verwaltung trafen sich.",
        "Der neue IT-Leiter soll im Mai beginnen.",
    ],
)
def test_groups_and_unnamed_holders_are_not_rows(extract_roles, text):
    assert extract_roles(text) == []


def test_erster_bürgermeister_is_the_head_in_bavaria_and_a_deputy_in_baden_württemberg(extract_roles):
    bavaria = extract_roles("Erster Bürgermeister Hans Moser eröffnete in der Gemeinde Neufahrn die Sitzung.")
    württemberg = extract_roles("Erster Bürgermeister Hans Moser vertrat in der Stadt Freiburg den OB.")
    assert {row.role_category for row in bavaria} == {"mayor"}
    assert {row.role_category for row in württemberg} == {"executive"}
