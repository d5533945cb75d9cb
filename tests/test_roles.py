"""The roles stage: title heads, complements and categories (texts written for these tests)."""

from __future__ import annotations

import pytest

from pipeline.link.roles import refine_category, role_mentions


def mentions(nlp, text):
    return list(role_mentions(nlp(text)))


@pytest.mark.parametrize(
    ("text", "title", "category"),
    [
        (
            "Anna Muster, Leiterin des Amts für Digitalisierung und IT, sagte",
            "Leiterin des Amts für Digitalisierung und IT",
            "it_head",
        ),
        ("Peter Muster, Leiter der IT-Abteilung, sagte", "Leiter der IT-Abteilung", "it_head"),
        ("Peter Muster, Leiter der TUIV-Abteilung, sagte", "Leiter der TUIV-Abteilung", "it_head"),
        (
            "die Leiterin der Stabsstelle Digitalisierung, Katrin Ober",
            "Leiterin der Stabsstelle Digitalisierung",
            "it_head",
        ),
        (
            "Fachbereichsleiter Digitalisierung und Geoinformation Max Muster",
            "Fachbereichsleiter Digitalisierung und Geoinformation",
            "it_head",
        ),
        (
            "Carsten Muster, städtischer Beigeordneter für Digitalisierung, IT, Personal, Organisation und Feuerwehr, sagte",
            "Beigeordneter für Digitalisierung, IT, Personal, Organisation und Feuerwehr",
            "digital_executive",
        ),
        (
            "Carsten Muster, Beigeordneter für Soziales und Jugend, sagte",
            "Beigeordneter für Soziales und Jugend",
            "executive",
        ),
        ("Referent für Digitalisierung Max Muster", "Referent für Digitalisierung", "other_digital"),
        ("Max Muster, Referent für Öffentlichkeitsarbeit, sagte", "Referent für Öffentlichkeitsarbeit", "staff"),
        (
            "Marc Muster, Programmbereichsleiter Organisations- und Informationsmanagement KGSt",
            "Programmbereichsleiter Organisations- und Informationsmanagement",
            "other_digital",
        ),
        (
            "als Notfallbeauftragte bei einem Informationssicherheitsvorfall",
            "Notfallbeauftragte bei einem Informationssicherheitsvorfall",
            "security_privacy",
        ),
        ("die Koordinatorin für Digitalisierung", "Koordinatorin für Digitalisierung", "digital_officer"),
    ],
)
def test_complements_decide_the_category(nlp, rules, text, title, category):
    found = [m for m in mentions(nlp, text) if m.title.text == title]
    assert found, [m.title.text for m in mentions(nlp, text)]
    context = found[0].title[len(found[0].head) :].text
    assert refine_category(found[0], context=context, state_code=None, rules=rules) == category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Digitallotse", "digital_pilot"),
        ("Digitallotsin", "digital_pilot"),
        ("Digitallots:innen", "digital_pilot"),
        ("Digitallots*innen", "digital_pilot"),
        ("DigitallotsInnen", "digital_pilot"),
        ("Digitalisierungsbeauftragter", "digital_officer"),
        ("Digitalisierungsbeauftragten", "digital_officer"),
        ("Digitalisierungs-Beauftragte", "digital_officer"),
        ("Digitalisierungskoordinatorin", "digital_officer"),
        ("Chief Digital Officer", "cdo"),
        ("CDO", "cdo"),
        ("CIO", "cdo"),
        ("Smart-City-Managerin", "smart_city"),
        ("Smart City Manager", "smart_city"),
        ("IT-Leiterin", "it_head"),
        ("Digital- und Changemanager", "digital_manager"),
        ("Innovationsmanagerin", "digital_manager"),
        ("Informations- und Datenschutzbeauftragte", "security_privacy"),
        ("Datenschutzbeauftragter", "security_privacy"),
        ("OZG-Koordinatorin", "other_digital"),
        ("Breitbandkoordinator", "other_digital"),
        ("Digitaldezernent", "digital_executive"),
        ("Oberbürgermeisterin", "mayor"),
        ("OB", "mayor"),
        ("Landrätin", "mayor"),
        ("Stadtkämmerer", "executive"),
        ("Fraktionsvorsitzende", "council"),
        ("Pressesprecherin", "staff"),
        ("Geschäftsführerin", "external"),
    ],
)
def test_title_variants(nlp, text, category):
    found = mentions(nlp, f"Die {text} Erika Muster sprach.")
    assert [(m.head.text, m.category) for m in found] == [(text, category)]


def test_municipal_organisation_in_the_complement_is_not_part_of_the_title(nlp):
    (mention,) = mentions(nlp, "Peter Muster, Chief Digital Officer der Stadt Essen")
    assert mention.title.text == "Chief Digital Officer"
    assert mention.organisation.text == "Stadt Essen"


def test_it_provider_organisation_makes_a_manager_an_it_provider_head(nlp, rules):
    (mention,) = mentions(nlp, "Siegfried Muster, Betriebsleiter des Essener Systemhauses")
    assert mention.title.text == "Betriebsleiter des Essener Systemhauses"
    assert (
        refine_category(mention, context="des Essener Systemhauses", state_code=None, rules=rules) == "it_provider_head"
    )
    assert refine_category(mention, context="der Stadtwerke", state_code=None, rules=rules) == "external"


@pytest.mark.parametrize(("state", "category"), [("05", "executive"), ("10", "executive"), ("07", "council")])
def test_stadtrat_depends_on_the_state(nlp, rules, state, category):
    (mention,) = mentions(nlp, "Stadtrat Dirk Muster sprach.")
    assert refine_category(mention, context="", state_code=state, rules=rules) == category


def test_leadership_verb_refers_to_the_unit_named_before(nlp):
    text = "Die Stadt gründet das Amt für Innovation. Jana Muster, die das neue Amt leitet, freut sich."
    (mention,) = [m for m in mentions(nlp, text) if m.leads]
    assert mention.unit.text == "Amt für Innovation"
