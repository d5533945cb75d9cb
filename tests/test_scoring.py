"""Linking by scoring, IT providers and where a role is held (sentences written for these tests).

Names and places are invented or occur in no corpus text. Each class of
construction has several sentences: the scheme must give the answer where no
named construction applies, and must not link what the text does not link.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import pairs, roles_of, rules_only_pipeline

from pipeline.link.roles import load_category_rules
from pipeline.rules.cues import FEATURES, load_cues, shipped_cues
from pipeline.rules.patterns import PatternError

# --- the three sentences of the generalisation issue --------------------------------------------


def test_copula_without_article_it_head(extract_roles):
    (row,) = extract_roles(
        "Seit dem 1. März ist Karin Voss neue IT-Leiterin der Stadt Lemgo.", published=date(2024, 4, 2)
    )
    assert (row.person, row.role_category, row.organisation, row.start) == (
        "Karin Voss",
        "it_head",
        "Stadt Lemgo",
        "2024-03-01",
    )
    assert row.municipality == "Lemgo" and row.status == "current"


def test_copula_security_officer_of_a_district(extract_roles):
    text = "Seit Mitte September ist Sven Dückers neuer Informationssicherheitsbeauftragter der Kreisverwaltung Lippe."
    (row,) = extract_roles(text, published=date(2024, 10, 2))
    assert (row.person, row.role_category, row.organisation, row.start) == (
        "Sven Dückers",
        "security_privacy",
        "Kreisverwaltung Lippe",
        "2024-09",
    )
    assert row.municipality == "Kreis Lippe"


KI_TEXT = (
    "Die Stadt Ulm hat erstmals eine KI-Beauftragte: Sandra Vogt koordiniert seit dem 1. September "
    "den Einsatz künstlicher Intelligenz."
)


def test_colon_introduces_the_holder(extract_roles):
    (row,) = extract_roles(KI_TEXT, published=date(2024, 10, 2))
    assert (row.person, row.role_category, row.organisation, row.start) == (
        "Sandra Vogt",
        "other_digital",
        "Stadt Ulm",
        "2024-09-01",
    )


def test_colon_with_a_user_pattern(tmp_path):
    pattern = {"label": "digital_officer", "pattern": [{"LOWER": {"REGEX": "^ki-beauftragte[rn]?$"}}], "id": "ki"}
    (tmp_path / "roles.jsonl").write_text(json.dumps(pattern) + "\n", encoding="utf-8")
    nlp = rules_only_pipeline((tmp_path,))
    (row,) = roles_of(KI_TEXT, nlp, load_category_rules([tmp_path]), published=date(2024, 10, 2))
    assert (row.person, row.role_category, row.organisation, row.start) == (
        "Sandra Vogt",
        "digital_officer",
        "Stadt Ulm",
        "2024-09-01",
    )
    assert row.rule == "scored+ki"


# --- evidence the scheme weighs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # copula or filler between name and title, no article
        (
            "Ab sofort ist Ole Brandt kommissarischer Digitallotse im Rathaus Wendstedt.",
            ("Ole Brandt", "digital_pilot"),
        ),
        (
            "Zum Jahreswechsel wurde Mia Sander neue OZG-Koordinatorin der Gemeinde Hollfeld.",
            ("Mia Sander", "other_digital"),
        ),
        # parenthesis after the name
        ("Zur Runde gehörten Pia Adler (Smart-City-Managerin) und weitere Gäste.", ("Pia Adler", "smart_city")),
        ("Dr. Tomas Bielke (Leiter des Amts für Digitalisierung) erklärte das Vorhaben.", ("Tomas Bielke", "it_head")),
        # title, comma, name (apposition the other way round)
        ("Der neue Webadministrator, Jens Olbrich, stellte die Seiten vor.", ("Jens Olbrich", "other_digital")),
        ("Die bayerische Staatsministerin für Digitales, Dr. Uta Kern sprach.", ("Uta Kern", "digital_executive")),
        # apposition with a noun phrase in between
        (
            "Timo Lasse, MdL und Staatssekretär für Digitalisierung, kam nach Fendorf.",
            ("Timo Lasse", "digital_executive"),
        ),
        # relative clause
        (
            "Das sagte Eva Born, die seit 2021 Digitalisierungskoordinatorin der Stadt Wendstedt ist.",
            ("Eva Born", "digital_officer"),
        ),
        # predicative adjective with a domain complement
        (
            "Zum Team gehört Rainer Moll, zuständig für E-Government und Onlinedienste.",
            ("Rainer Moll", "other_digital"),
        ),
    ],
)
def test_holder_where_no_named_construction_applies(extract_roles, text, expected):
    assert expected in pairs(extract_roles(text))


def test_caption_lists_the_holders_of_a_plural_title(extract_roles):
    text = (
        'Sie unterstützen als ausgebildete "Digitallotsen" die Verwaltung (v.l.n.r.: Lea Kurz; Paul Engel; Nina Rose).'
    )
    assert pairs(extract_roles(text)) == {
        ("Lea Kurz", "digital_pilot"),
        ("Paul Engel", "digital_pilot"),
        ("Nina Rose", "digital_pilot"),
    }
    assert {row.role for row in extract_roles(text)} == {"Digitallotsin", "Digitallotse"}


def test_plural_title_takes_names_with_parties_in_between(extract_roles):
    text = "Es kamen die Stadträte Jan Ebert (SPD), Ute Morr (CDU) und Kai Wend (Grüne)."
    assert pairs(extract_roles(text)) == {("Jan Ebert", "council"), ("Ute Morr", "council"), ("Kai Wend", "council")}


def test_two_managing_directors_named_after_the_title(extract_roles):
    text = "Die beiden Geschäftsführer Lutz Anger und Britta Sohl stellten das Rechenzentrum Nordheide vor."
    assert {person for person, _ in pairs(extract_roles(text))} == {"Lutz Anger", "Britta Sohl"}


def test_pronoun_stands_for_the_last_person_of_its_gender(extract_roles):
    text = "Jakob Wenning arbeitet seit 2015 im Rathaus. Im Jahr 2019 wurde er zum Datenschutzbeauftragten ernannt."
    (row,) = extract_roles(text, published=date(2024, 5, 1))
    assert (row.person, row.role_category, row.start) == ("Jakob Wenning", "security_privacy", "2019")
    assert row.rule.startswith("pronoun+")
    assert row.evidence == "er zum Datenschutzbeauftragten"


def test_pronoun_of_the_other_gender_is_not_linked(extract_roles):
    text = "Jakob Wenning arbeitet seit 2015 im Rathaus. Im Jahr 2019 wurde sie zur Datenschutzbeauftragten ernannt."
    assert extract_roles(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # the title is the object of a preposition: the named person is replaced, not the holder
        "Künftig wird Udo Kranz durch den neuen Breitbandkoordinator unterstützt.",
        # another predicate between name and title
        "Anna Pohl dankte der Digitalisierungsbeauftragten für ihre Arbeit.",
        # a verb and a comma between them: a different clause
        "Mara Lenz sagte, die Digitallotsen seien eine große Hilfe.",
        # a title right before an address names another actor
        "Im Mai hatte der Gemeinderat Frau Ina Borg zur Schriftführerin bestellt.",
        # the board as a body thanks someone
        "Der Dataport-Vorstand dankt Ralf Gehrke für die Zusammenarbeit.",
    ],
)
def test_no_link_where_the_text_makes_none(extract_roles, text):
    digital = {pair for pair in pairs(extract_roles(text)) if pair[1] not in ("council", "staff", "mayor")}
    assert digital == set(), text


def test_person_beside_another_title_is_not_its_holder_too(extract_roles):
    text = "Oberbürgermeisterin Rita Hahnfeld begrüßte die Digitalisierungsbeauftragte zum Jahresempfang."
    assert pairs(extract_roles(text)) == {("Rita Hahnfeld", "mayor")}


# --- IT service providers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "person", "organisation"),
    [
        (
            "Auf dem Podium saß GF Dr. Timo Kranich (Geschäftsführer Emsland-IT) neben der Bürgermeisterin.",
            "Timo Kranich",
            "Emsland-IT",
        ),
        ("Der Dataport-Geschäftsführer Olaf Brinck stellte die Zahlen vor.", "Olaf Brinck", "Dataport"),
        ("Der KDO-Vorstand Birte Lassen sprach in Oldenburg.", "Birte Lassen", "KDO"),
        (
            "Das Wort hatte Lisa Thiel, stellv. Verbandsvorsteherin beim Kommunalen Rechenzentrum Oberweser.",
            "Lisa Thiel",
            "Kommunalen Rechenzentrum Oberweser",
        ),
        ("Die Geschäftsführerin der Nordsee-IT, Petra Olm, begrüßte die Gäste.", "Petra Olm", "Nordsee-IT"),
        ("Neue Vorständin der AKDB ist Hanna Vieth.", "Hanna Vieth", "AKDB"),
    ],
)
def test_heads_of_it_providers_however_attached(extract_roles, text, person, organisation):
    rows = [row for row in extract_roles(text) if row.person == person and row.role_category == "it_provider_head"]
    assert rows, extract_roles(text)
    assert rows[0].organisation == organisation
    assert rows[0].municipality == ""


def test_chair_of_an_it_association_who_is_also_a_mayor(extract_roles):
    text = (
        "Die Verbandsversammlung des Zweckverbands Kommunale Informationsverarbeitung Nordheide tagte. "
        "Gewählt wurde Jens Ahlmann (Verbandsvorsteher, Bürgermeister von Wietzendorf)."
    )
    rows = {row.role_category: row for row in extract_roles(text)}
    assert rows["it_provider_head"].person == "Jens Ahlmann"
    assert rows["mayor"].person == "Jens Ahlmann"
    assert rows["mayor"].municipality == "Wietzendorf"


def test_managing_director_of_a_company_that_is_no_it_provider(extract_roles):
    (row,) = extract_roles("Frank Ebel, Geschäftsführer der Stadtwerke Talheim, begrüßte die Gäste.")
    assert row.role_category == "external"


def test_managing_director_of_an_administration_is_staff(extract_roles):
    (row,) = extract_roles("Der Geschäftsleiter der Gemeinde Hollfeld, Bernd Gast, leitet die Sitzung.")
    assert (row.person, row.role_category) == ("Bernd Gast", "staff")


# --- where ---------------------------------------------------------------------------------------


def test_state_and_federal_roles_have_no_municipality(extract_roles):
    text = (
        "In Wendstedt sprachen Bürgermeister Kai Ehlers und Digitalminister Jonas Reim. "
        "Auch Lena Haas, Staatssekretärin im Bundesministerium für Digitales, war in Wendstedt."
    )
    rows = {row.person: row for row in extract_roles(text)}
    assert rows["Jonas Reim"].role_category == "digital_executive"
    assert rows["Jonas Reim"].municipality == ""
    assert (rows["Lena Haas"].role_category, rows["Lena Haas"].municipality) == ("digital_executive", "")


def test_district_named_in_any_form_gets_its_official_name(extract_roles):
    rows = extract_roles("Lukas Imhof ist neuer Digitalisierungsbeauftragter im Landratsamt Dachau.")
    assert [(row.person, row.municipality) for row in rows] == [("Lukas Imhof", "Landkreis Dachau")]
    rows = extract_roles("Digitalisierungsbeauftragte des Rhein-Kreises Neuss ist seit Mai Hannah Oltrop.")
    assert [(row.person, row.municipality) for row in rows] == [("Hannah Oltrop", "Rhein-Kreis Neuss")]


def test_first_name_that_is_a_place_does_not_make_the_municipality(extract_roles):
    text = "Die Gemeinde Wendstedt hat einen Smart-City-Manager: Horst Kaminski beginnt im Mai."
    (row,) = extract_roles(text)
    assert (row.person, row.municipality) == ("Horst Kaminski", "Wendstedt")


# --- cue data ------------------------------------------------------------------------------------


def test_shipped_cues_weigh_every_feature():
    assert set(shipped_cues().weights) == set(FEATURES)


def test_user_cues_add_words_and_replace_weights(tmp_path):
    (tmp_path / "link_cues.json").write_text(
        json.dumps({"words": {"linking_verbs": ["amtiert"]}, "weights": {"distance": -1.0}}), encoding="utf-8"
    )
    cues = load_cues([tmp_path])
    assert "amtiert" in cues.words["linking_verbs"] and "ist" in cues.words["linking_verbs"]
    assert cues.weights["distance"] == -1.0
    assert cues.weights["colon"] == shipped_cues().weights["colon"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"words": {"verbs": ["ist"]}}', "unknown word group"),
        ('{"weights": {"closeness": 1.0}}', "unknown: closeness"),
        ('{"weights": {"distance": "far"}}', "must be a number"),
        ('{"words": {"fillers": "neue"}}', "must be a list"),
        ('{"words": ', "not valid JSON"),
    ],
)
def test_bad_cue_files_are_reported_with_the_file(tmp_path, content, message):
    path = tmp_path / "link_cues.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PatternError) as error:
        load_cues([tmp_path])
    assert str(path) in str(error.value) and message in str(error.value)


# --- a mixed set of short reports, each checked whole -----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Die Gemeinde Oberau hat mit Felix Wendt einen neuen IT-Administrator eingestellt.",
            {("Felix Wendt", "other_digital", "Oberau", "", "current")},
        ),
        (
            "Mit Lars Uhlig hat der Landkreis Rottal-Inn erstmals einen Informationssicherheitsbeauftragten.",
            {("Lars Uhlig", "security_privacy", "Landkreis Rottal-Inn", "", "current")},
        ),
        (
            "Frau Dr. Heike Brandt ist ab sofort Ansprechpartnerin für alle Fragen rund um die Digitalisierung.",
            {("Heike Brandt", "other_digital", "", "", "current")},
        ),
        (
            "Lea Stein (32) und Tim Roth (45) sind die neuen Digitallotsen der Verbandsgemeinde Kirn-Land.",
            {
                ("Lea Stein", "digital_pilot", "Kirn-Land", "", "current"),
                ("Tim Roth", "digital_pilot", "Kirn-Land", "", "current"),
            },
        ),
        (
            "Ab 1. Juli übernimmt Tobias Frei in Talstadt die Leitung des Fachbereichs IT und Digitalisierung.",
            {("Tobias Frei", "it_head", "", "2025-07-01", "future")},
        ),
        (
            "Die Stadt Auenwald hat ihren bisherigen IT-Leiter Peter Frank verabschiedet.",
            {("Peter Frank", "it_head", "Auenwald", "", "former")},
        ),
        (
            "Im Interview: Nora Kessler, Datenschutzbeauftragte des Landkreises Tuttlingen.",
            {("Nora Kessler", "security_privacy", "Landkreis Tuttlingen", "", "current")},
        ),
        (
            "Der Kreistag wählte Anke Holm zur neuen Dezernentin für Digitalisierung und Bildung.",
            {("Anke Holm", "digital_executive", "", "", "current")},
        ),
    ],
)
def test_short_reports(extract_roles, text, expected):
    rows = extract_roles(text, published=date(2024, 10, 2))
    assert {(r.person, r.role_category, r.municipality, r.start, r.status) for r in rows} == expected


def test_deputy_keeps_its_adjective_and_a_bare_lead_takes_the_unit_of_its_sentence(extract_roles):
    text = (
        "Die Stabsstelle Digitalisierung der Stadt Wendstedt hat einen neuen Leiter: Ole Kamp hat die Aufgabe "
        "übernommen. Zuvor war Kamp stellvertretender Leiter des Amts für Informationstechnik."
    )
    rows = {(row.role, row.role_category) for row in extract_roles(text) if row.person == "Ole Kamp"}
    assert ("Leiter", "it_head") in rows
    assert ("stellvertretender Leiter des Amts für Informationstechnik", "it_head") in rows


def test_user_status_cues_add_to_the_shipped_ones(tmp_path):
    from pipeline.rules.cues import load_status_cues

    (tmp_path / "status_cues.json").write_text(json.dumps({"former": ["vormalige[rnms]?"]}), encoding="utf-8")
    cues = load_status_cues([tmp_path])
    assert cues.former.search("der vormalige Digitallotse")
    assert cues.former.search("der bisherige Digitallotse")
    (tmp_path / "status_cues.json").write_text(json.dumps({"past": ["einst"]}), encoding="utf-8")
    with pytest.raises(PatternError, match="status_cues.json: must be a JSON object with the groups"):
        load_status_cues([tmp_path])
    (tmp_path / "status_cues.json").write_text(json.dumps({"former": ["(einst"]}), encoding="utf-8")
    with pytest.raises(PatternError, match="invalid regular expression in 'former'"):
        load_status_cues([tmp_path])


def test_possessive_title_belongs_to_the_unit_named_just_before(extract_roles):
    text = (
        "Der Digitalisierungsbeauftragte arbeitet eng mit der IT-Abteilung der Stadt Wendstedt zusammen. "
        "Deren Leiterin Mara Feldt wies auf den Personalbedarf hin."
    )
    (row,) = extract_roles(text)
    assert (row.person, row.role_category, row.organisation, row.municipality) == (
        "Mara Feldt",
        "it_head",
        "IT-Abteilung",
        "Wendstedt",
    )


def test_a_later_sentence_about_the_post_gives_its_start(extract_roles):
    text = (
        "Bürgermeister Uwe Hain schlägt dem Rat Dr. Ida Sommer als neue Leiterin des Amts für Digitalisierung vor. "
        "Der Rat entscheidet im September. Die Stelle soll ab dem 1. Oktober 2025 besetzt werden."
    )
    rows = {row.person: row for row in extract_roles(text, published=date(2025, 7, 1))}
    assert (rows["Ida Sommer"].role_category, rows["Ida Sommer"].start) == ("it_head", "2025-10-01")
    assert rows["Ida Sommer"].status == "future"


def test_a_name_marked_as_standing_in_does_not_share_the_plural_title(extract_roles):
    text = "Es kamen die Bürgermeister (v.l.) Udo Pahl (Wendstedt), Lena Hirt (Talheim, Vertreterin) und Jan Ries (Oberau)."
    assert {person for person, _ in pairs(extract_roles(text))} == {"Udo Pahl", "Jan Ries"}


def test_stadtrat_is_an_executive_title_in_lower_saxony(extract_roles):
    (row,) = extract_roles("In Celle stellte Stadträtin Jana Kolb den Haushalt vor.")
    assert (row.person, row.role_category, row.municipality) == ("Jana Kolb", "executive", "Celle")


def test_a_place_is_found_by_the_short_name_texts_use():
    from pipeline.nlp.gazetteer import german_places

    places = german_places()
    assert places["Hanau"].name == "Hanau am Main"
    assert places["Halle"].name == "Halle (Saale)"  # the more populous of the two that texts call Halle
    assert places["Frankfurt"].state_code == "05"


# --- persons, places and dates around a title -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Zum Team gehört Sara Ortega Ruiz (Leiterin des Amts für IT) seit Mai.", "Sara Ortega Ruiz"),
        ("Jan P. Wendler, Leiter des Amts für Informationstechnik, sprach.", "Jan P. Wendler"),
        ("Oberbürgermeister Frank Jung eröffnete die Sitzung.", "Frank Jung"),
        ("Amtsleiter Finanzen Tobias Hering erklärte den Haushalt.", "Tobias Hering"),
    ],
)
def test_names_that_used_to_be_cut_or_overrun(extract_roles, text, person):
    assert person in {row.person for row in extract_roles(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Es sprachen die Landesbeauftragte Niedersachsens und der Bürgermeister.",
        "Es sprachen Geschäftsleiter Mindelheim und Bürgermeister Ole Jansen.",
        "Es sprachen Abteilungsleiter Organisation und Digitalisierung sowie Bürgermeister Ole Jansen.",
    ],
)
def test_a_lone_word_after_a_title_that_is_a_place_or_a_noun_is_no_name(extract_roles, text):
    assert {row.person for row in extract_roles(text)} <= {"Ole Jansen"}


def test_names_coordinated_past_their_towns(extract_roles):
    text = "Es kamen die neuen Bürgermeister Ida Ross aus Mindelheim und Paul Brand aus Buchloe."
    assert pairs(extract_roles(text)) == {("Ida Ross", "mayor"), ("Paul Brand", "mayor")}


def test_a_clause_pointing_back_to_a_date_takes_it(extract_roles):
    text = (
        "Zum 1.3.2024 hat die Gemeinde Oberau eine neue Stelle geschaffen: Nils Borg ist seit diesem Datum "
        "für die IT im Rathaus zuständig."
    )
    (row,) = extract_roles(text, published=date(2024, 5, 1))
    assert (row.person, row.role_category, row.start) == ("Nils Borg", "it_head", "2024-03-01")


def test_the_next_sentence_naming_the_person_gives_the_start(extract_roles):
    text = (
        "Der Rat der Stadt Talheim hat Vera Lutz zur neuen Digitalisierungsbeauftragten gewählt. "
        "Vera Lutz wird das Amt zum 1. Januar 2025 antreten."
    )
    (row,) = extract_roles(text, published=date(2024, 10, 2))
    assert (row.person, row.role_category, row.start, row.status) == (
        "Vera Lutz",
        "digital_officer",
        "2025-01-01",
        "future",
    )


def test_a_company_whose_expansion_names_it_is_an_it_provider(extract_roles):
    text = (
        "In Talheim hat die Nordkom GmbH (Gesellschaft für Informationstechnik der Gemeinden) einen "
        "Geschäftsführer: Rolf Baum leitet sie seit 2020."
    )
    rows = {row.person: row for row in extract_roles(text)}
    assert rows["Rolf Baum"].role_category == "it_provider_head"
    assert rows["Rolf Baum"].organisation == "Nordkom GmbH"


def test_a_staff_title_in_a_ministry_is_external(extract_roles):
    (row,) = extract_roles("In Wendstedt sprach Max Ebner, Abteilungsleiter im Innenministerium.")
    assert (row.person, row.role_category, row.municipality) == ("Max Ebner", "external", "")


@pytest.mark.parametrize("name", ["Marta López García", "Ayşe Çelik", "Łukasz Nowak", "Ivana Šimić"])
def test_names_with_letters_of_other_languages(extract_roles, name):
    rows = extract_roles(f"Digitalisierungsbeauftragte ist seit Mai {name}, wie die Stadt Talheim mitteilt.")
    assert name in {row.person for row in rows}
