"""The link stage: constructions that say who holds which role (texts written for these tests)."""

from __future__ import annotations

from datetime import date

from conftest import pairs


def test_title_before_name(extract_roles):
    rows = extract_roles("Oberbürgermeisterin Jana Beispiel eröffnete am Montag die Sitzung der Stadt Lindenau.")
    assert pairs(rows) == {("Jana Beispiel", "mayor")}
    assert rows[0].role == "Oberbürgermeisterin"
    assert rows[0].municipality == "Lindenau" or rows[0].organisation == "Stadt Lindenau"


def test_abbreviated_title_and_surname_only(extract_roles):
    rows = extract_roles("Die Stadt Hagen stellt ihren Haushalt vor. OB Sorré lobte die Verwaltung.")
    assert pairs(rows) == {("Sorré", "mayor")}


def test_academic_title_is_not_part_of_the_name(extract_roles):
    rows = extract_roles("Landrat Dr. Axel Lehmann übergab die Urkunden im Kreishaus.")
    assert pairs(rows) == {("Axel Lehmann", "mayor")}


def test_apposition_with_organisation(extract_roles):
    rows = extract_roles(
        "Mit dabei war Peter Adelmann, Chief Digital Officer der Stadt Essen, der das Projekt vorstellte."
    )
    (row,) = rows
    assert (row.person, row.role, row.role_category) == ("Peter Adelmann", "Chief Digital Officer", "cdo")
    assert (row.organisation, row.municipality) == ("Stadt Essen", "Essen")
    assert row.digital is True


def test_name_after_title_with_comma(extract_roles):
    text = "Die Leitung übernimmt die bisherige Leiterin der IT-Abteilung, Katrin Ober."
    rows = extract_roles(text)
    assert ("Katrin Ober", "it_head") in pairs(rows)
    former = [row for row in rows if row.role == "Leiterin der IT-Abteilung"]
    assert former and former[0].status == "former"


def test_relative_clause_with_als_and_start_date(extract_roles):
    text = (
        "Das Konzept stellte Lukas Zeller vor, der seit Dezember als Digitalisierungsbeauftragter "
        "bei der Stadt Gladbeck tätig ist."
    )
    (row,) = extract_roles(text, published=date(2022, 1, 26))
    assert (row.person, row.role, row.role_category) == (
        "Lukas Zeller",
        "Digitalisierungsbeauftragter",
        "digital_officer",
    )
    assert row.start == "2021-12"
    assert row.municipality == "Gladbeck"
    assert row.as_of == date(2022, 1, 26)


def test_copula(extract_roles):
    rows = extract_roles("Marcel Weber ist neuer CDO der Gemeinde Bergheide.")
    assert pairs(rows) == {("Marcel Weber", "cdo")}


def test_caption_with_coordinated_names_and_gender(extract_roles):
    text = (
        "(v.l.n.r.:) Reinhold Pape, Heike Pich als neue Digitallotsen, Tobias Fink, krz, "
        "Carla Dietz als neue Digitallotsin und Simon Weil als neuer Digital- und Changemanager "
        "der Stadtverwaltung Porta Westfalica (Foto: Stadt Porta Westfalica)"
    )
    rows = {row.person: row for row in extract_roles(text)}
    assert set(rows) == {"Reinhold Pape", "Heike Pich", "Carla Dietz", "Simon Weil"}
    assert rows["Reinhold Pape"].role == "Digitallotse"
    assert rows["Heike Pich"].role == "Digitallotsin"
    assert rows["Simon Weil"].role_category == "digital_manager"
    assert "Tobias Fink" not in rows  # named with an organisation only


def test_affiliation_in_parentheses_is_not_a_role(extract_roles):
    rows = extract_roles("Auf gute Zusammenarbeit: Hendrik Mattern (Stadt Talheim) und Bürgermeister Norbert Moll.")
    assert pairs(rows) == {("Norbert Moll", "mayor")}


def test_person_with_two_roles_gets_two_rows(extract_roles):
    text = (
        "Die Landeshauptstadt Kiel gründet ein Amt für Digitalisierung und Zentrale Services. "
        '"Wir packen das an", sagt Stadtrat Christian Zander, der als Dezernent für das neue Amt zuständig ist.'
    )
    rows = extract_roles(text)
    assert pairs(rows) == {("Christian Zander", "executive"), ("Christian Zander", "digital_executive")}
    dezernent = next(row for row in rows if row.role_category == "digital_executive")
    assert dezernent.role == "Dezernent für das Amt für Digitalisierung und Zentrale Services"


def test_stadtrat_outside_hessen_and_schleswig_holstein_is_a_council_seat(extract_roles):
    rows = extract_roles("Stadtrat Bernd Kloos (CDU) stellte in der Stadt Gladbeck den Antrag vor.")
    assert pairs(rows) == {("Bernd Kloos", "council")}


def test_relative_clause_that_leads_a_unit_named_before(extract_roles):
    text = (
        "Die Stadt Kiel gründet das Amt für Innovation und Zentrale Services. "
        "Der Leitende Städtische Verwaltungsdirektor Chris Reinhardt, der seit dem 1. Dezember 2023 "
        "das neue Amt leitet, freut sich."
    )
    rows = {row.role_category: row for row in extract_roles(text, published=date(2023, 12, 13))}
    assert rows["it_head"].person == "Chris Reinhardt"
    assert rows["it_head"].role == "Leiter des Amts für Innovation und Zentrale Services"
    assert rows["it_head"].start == "2023-12-01"
    assert rows["staff"].role == "Leitender Städtischer Verwaltungsdirektor"


def test_successor_and_predecessor(extract_roles):
    text = "Die Stadt Kaiserslautern ordnet die Aufgaben neu: Ilona Bender wird Nachfolgerin von Dieter Rohr als CDO."
    rows = {row.person: row for row in extract_roles(text)}
    assert rows["Ilona Bender"].role_category == "cdo"
    assert rows["Dieter Rohr"].role_category == "cdo"
    assert rows["Dieter Rohr"].status == "former"


def test_interview_pronouns_resolve_to_the_interviewee(extract_roles):
    text = (
        "Sabine Dorn\n"
        "Frau Dorn, woran arbeiten Sie gerade? Wir führen die E-Akte ein. "
        "Für welche Aufgaben sind Sie im Landkreis Harburg als CDO zuständig? "
        "Ich leite die Stabsstelle Digitalisierung mit vier Kolleginnen."
    )
    rows = extract_roles(text)
    assert pairs(rows) == {("Sabine Dorn", "cdo"), ("Sabine Dorn", "it_head")}
    it_head = next(row for row in rows if row.role_category == "it_head")
    assert it_head.role == "Leiterin der Stabsstelle Digitalisierung"


def test_appointment_to_a_role(extract_roles):
    text = "Im Mai 2019 hatte der Gemeinderat Frau Sabine Berger zur Informationssicherheitsbeauftragten bestellt."
    rows = extract_roles(text, published=date(2021, 1, 29))
    assert pairs(rows) == {("Sabine Berger", "security_privacy")}
    assert rows[0].start == "2019-05"
    assert rows[0].role == "Informationssicherheitsbeauftragte"


def test_inflected_title_is_normalised(extract_roles):
    rows = extract_roles("Der Rat wählte gestern Herrn Dr. Tim Ahrens, den Persönlichen Referenten des Landrates.")
    assert pairs(rows) == {("Tim Ahrens", "staff")}
    assert rows[0].role == "Persönlicher Referent des Landrates"


def test_photographer_gets_no_role(extract_roles):
    rows = extract_roles("Bürgermeisterin Anna Koch (rechts) nimmt den Bescheid entgegen. Foto: Thomas Ziegel")
    assert pairs(rows) == {("Anna Koch", "mayor")}


def test_deputy_bürgermeister_where_the_text_names_an_oberbürgermeister(extract_roles):
    text = (
        "Um Oberbürgermeister Christian Gerber gruppieren sich die Dezernenten der Stadt Kassel. "
        "Neu ist Bürgermeisterin Ilona Fried (SPD/Soziales)."
    )
    rows = {row.person: row for row in extract_roles(text)}
    assert rows["Christian Gerber"].role_category == "mayor"
    assert rows["Ilona Fried"].role_category == "executive"


def test_it_provider_head_from_the_organisation_in_the_text(extract_roles):
    text = (
        "Die Kommunale Datenverarbeitung Oldenburg (KDO) feiert Jubiläum. "
        "Im Interview blickt Rolf Baier, seit 2002 Verbandsgeschäftsführer, zurück."
    )
    (row,) = extract_roles(text, published=date(2021, 12, 8))
    assert (row.person, row.role_category, row.start) == ("Rolf Baier", "it_provider_head", "2002")
    assert row.municipality == ""


def test_evidence_offsets_point_into_the_text(extract_roles):
    text = "Im Rathaus sprach Bürgermeisterin Bettina Weiß über die Digitalisierung der Stadt Gladbeck."
    (row,) = extract_roles(text)
    assert text[row.start_char : row.end_char] == row.evidence
    assert "Bettina Weiß" in row.evidence and "Bürgermeisterin" in row.evidence
    assert row.rule.startswith("title-before-name+")


def test_group_without_names_is_not_a_row(extract_roles):
    rows = extract_roles(
        "Am ersten Tag trafen sich 30 IT-Steuerungsexpertinnen und -experten. Der neue IT-Leiter fehlte."
    )
    assert rows == []


def test_follows_on_makes_the_predecessor_former(extract_roles):
    text = "In der Stadt Bielefeld folgt Miriam Albrecht-Wendel auf Klaus Brandt als Leiterin des Amts für IT."
    rows = {row.person: row for row in extract_roles(text)}
    assert rows["Miriam Albrecht-Wendel"].role_category == "it_head"
    assert rows["Miriam Albrecht-Wendel"].status == "current"
    assert rows["Klaus Brandt"].status == "former"


def test_leaving_for_another_town_makes_the_role_former(extract_roles):
    text = "Der bisherige Digitalisierungsbeauftragte der Stadt Landshut, Jonas Ertl, wechselt zur Stadt Regensburg."
    (row,) = extract_roles(text)
    assert (row.person, row.role_category, row.status) == ("Jonas Ertl", "digital_officer", "former")


def test_elected_to_a_portfolio(extract_roles):
    text = "Der Rat der Stadt Wiesental hat Dr. Jan Pohl zum Beigeordneten für Digitalisierung und IT gewählt."
    (row,) = extract_roles(text)
    assert (row.person, row.role, row.role_category) == (
        "Jan Pohl",
        "Beigeordneter für Digitalisierung und IT",
        "digital_executive",
    )


def test_surname_mention_resolves_to_the_full_name(extract_roles):
    text = (
        "Die Stadt Saarlouis startet ihr Serviceportal. Jürgen Sorell stellte es vor. "
        '"Wir sind stolz", so Oberbürgermeister Sorell.'
    )
    assert pairs(extract_roles(text)) == {("Jürgen Sorell", "mayor")}


def test_party_and_titles_are_not_part_of_the_person(extract_roles):
    rows = extract_roles("Fraktionsvorsitzende Prof. Dr. Petra Linde (FDP) kritisierte die Stadt Hameln.")
    assert pairs(rows) == {("Petra Linde", "council")}


def test_function_labels_in_a_caption_list(extract_roles):
    rows = extract_roles(
        "Hinten von links: Jana Ostrowski, IT Niederwiesa, Tilo Berghaus, EDV Lichtenau, "
        "Frauke Imholz, Datenschutz, und Bürgermeister Enno Kastrup, Lichtenau."
    )
    found = {(row.person, row.role, row.role_category, row.municipality) for row in rows}
    assert ("Jana Ostrowski", "IT", "other_digital", "Niederwiesa") in found
    assert ("Tilo Berghaus", "EDV", "other_digital", "Lichtenau") in found
    assert ("Frauke Imholz", "security_privacy") in pairs(rows)
    assert ("Enno Kastrup", "mayor") in pairs(rows)
    assert all(row.rule.endswith("domain-label+it") for row in rows if row.role in ("IT", "EDV"))


def test_function_label_after_a_slash_is_a_second_title(extract_roles):
    rows = extract_roles(
        "Vorne von links: Projektleiter Udo Marquardt, Hauptamtsleiter/IT VG Talheim, "
        "und Kerstin Albers, stellv. Geschäftsleiterin/EDV Beilstein."
    )
    assert {("Udo Marquardt", "other_digital"), ("Kerstin Albers", "other_digital")} <= pairs(rows)
    (albers,) = [row for row in rows if row.person == "Kerstin Albers" and row.digital]
    assert albers.municipality == "Beilstein"


def test_domain_words_in_running_text_are_no_labels(extract_roles):
    rows = extract_roles(
        "Bürgermeister Rainer Fell sprach über Schulen, IT und Straßen. "
        "Laut Anke Voss, IT Ausstattung der Schulen, fehlt Geld. "
        "Themen waren laut Holger Brandt Schulen, Digitalisierung und Verkehr."
    )
    assert pairs(rows) == {("Rainer Fell", "mayor")}


def test_deputies_of_a_title_named_after_a_copula(extract_roles):
    rows = extract_roles(
        "Der Zweckverband Kommunale Informationstechnik Oberwalden hat gewählt. Stellvertreter der "
        "Verbandsvorsteherin Petra Lindqvist sind Landrat Ole Brandstätter und Mirko Halvorsen."
    )
    assert pairs(rows) == {
        ("Petra Lindqvist", "it_provider_head"),
        ("Ole Brandstätter", "it_provider_head"),
        ("Ole Brandstätter", "mayor"),
        ("Mirko Halvorsen", "it_provider_head"),
    }
    (deputy,) = [row for row in rows if row.person == "Mirko Halvorsen"]
    assert deputy.role == "Stellvertreter der Verbandsvorsteherin"


def test_title_opening_a_passive_appointment_takes_the_subject_after_it(extract_roles):
    rows = extract_roles(
        "Die Verbandsversammlung des IT-Zweckverbands Südheide tagte am Montag. Zur Stellvertreterin des "
        "Verbandsvorstehers wurde in der Nachfolge von Gerd Pohlmann die Bürgermeisterin Carla Wendt gewählt."
    )
    assert ("Carla Wendt", "it_provider_head") in pairs(rows)
    assert not any(row.person == "Gerd Pohlmann" and row.role_category != "it_provider_head" for row in rows)


def test_title_as_subject_of_a_singular_copula(extract_roles):
    rows = extract_roles("Neue Digitallotsin der Gemeinde Hohenbrück ist Frau Melanie Sturz.")
    assert pairs(rows) == {("Melanie Sturz", "digital_pilot")}


def test_leader_named_after_the_verb_when_something_else_comes_first(extract_roles):
    rows = extract_roles("Seit 2019 leitet Jörg Tannhäuser das Amt für Informationstechnik der Stadt Brakenfeld.")
    (row,) = rows
    assert (row.person, row.role_category, row.start) == ("Jörg Tannhäuser", "it_head", "2019")
    assert row.role == "Leiter des Amts für Informationstechnik"
    before = extract_roles("Anke Sievers leitet seit März die Stabsstelle Digitalisierung der Gemeinde Holtrup.")
    assert ("Anke Sievers", "it_head") in pairs(before)


def test_predecessor_named_in_the_next_sentence_held_the_role_before(extract_roles):
    rows = extract_roles(
        "Katja Wendel ist seit dem 1. März neue Digitalisierungsbeauftragte der Gemeinde Hohenfels. "
        "Sie folgt auf Dieter Ambros, der nach Berlin wechselt."
    )
    by_person = {row.person: row for row in rows}
    assert (by_person["Dieter Ambros"].role_category, by_person["Dieter Ambros"].status) == (
        "digital_officer",
        "former",
    )
    assert by_person["Dieter Ambros"].role == "Digitalisierungsbeauftragter"
    assert by_person["Katja Wendel"].status == "current"


def test_successor_named_with_a_possessive_takes_the_role(extract_roles):
    rows = extract_roles(
        "Bürgermeisterin Ines Fuchs verabschiedete IT-Leiter Bernd Wagner in den Ruhestand. "
        "Sein Nachfolger wird im Herbst Jan Petersen."
    )
    assert pairs(rows) == {("Ines Fuchs", "mayor"), ("Bernd Wagner", "it_head"), ("Jan Petersen", "it_head")}
    (successor,) = [row for row in rows if row.person == "Jan Petersen"]
    assert successor.rule.startswith("successor+")


def test_succession_belongs_to_the_role_the_sentence_is_about(extract_roles):
    rows = extract_roles(
        "Neuer Verbandsvorsteher des Zweckverbands Kommunale Informationstechnik Oberwalden ist Landrat Udo Kessel. "
        "Er tritt die Nachfolge von Franz Riedel an. Als Chief Digital Officer löst Mareike Baum den bisherigen "
        "Amtsinhaber Stefan Korte ab."
    )
    assert {("Franz Riedel", "it_provider_head"), ("Mareike Baum", "cdo"), ("Stefan Korte", "cdo")} <= pairs(rows)
    assert ("Franz Riedel", "mayor") not in pairs(rows)  # Kessel's Landrat is not what Riedel held


def test_no_succession_without_its_cue_or_for_a_title_worn_beside_the_name(extract_roles):
    rows = extract_roles(
        "Digitallotsin Sabine Auer berät Senioren. Ihre Kollegin Maria Stein hilft ihr dabei. "
        "Inga Ross, Beigeordnete der Stadt Kallstadt, wurde in den Aufsichtsrat gewählt. Sie folgt auf Uwe Brand. "
        "Wir wollen Probleme lösen, sagt Amtsleiterin Rita Hahn zu Peter Lang."
    )
    assert {row.person for row in rows} == {"Sabine Auer", "Inga Ross", "Rita Hahn"}


def test_title_introduced_before_a_colon_names_the_next_subject(extract_roles):
    rows = extract_roles(
        "Die Kreisverwaltung Mittelrhein-Lahn hat eine neue Chief Information Security Officer: "
        "Dr. Helena Brandauer verantwortet seit Oktober die Informationssicherheit."
    )
    (row,) = rows
    assert (row.person, row.role, row.role_category) == (
        "Helena Brandauer",
        "Chief Information Security Officer",
        "security_privacy",
    )


def test_title_before_an_address_and_a_name(extract_roles):
    rows = extract_roles("Für Rückfragen steht der IT-Sicherheitsbeauftragte Herr Olaf Brüning gerne zur Verfügung.")
    assert pairs(rows) == {("Olaf Brüning", "security_privacy")}
    council = extract_roles(
        "Der Gemeinderat Frau Hilde Roth gratulierte, bevor er die Digitallotsin Eva Kern bestellte."
    )
    assert ("Hilde Roth", "council") not in pairs(council)


def test_als_title_with_the_subject_after_the_verb(extract_roles):
    rows = extract_roles("Nach 25 Jahren als Leiter der IT-Abteilung geht Werner Kunz in den Ruhestand.")
    (row,) = rows
    assert (row.person, row.role_category) == ("Werner Kunz", "it_head")


def test_mit_x_einen_title_past_any_adjective(extract_roles):
    rows = extract_roles(
        "Mit Uwe Berger hat die Verbandsgemeinde Kirnau seit Jahresbeginn einen hauptamtlichen "
        "Digitalisierungskoordinator."
    )
    assert pairs(rows) == {("Uwe Berger", "digital_officer")}


def test_organisation_of_a_later_title_is_not_an_earlier_ones(extract_roles):
    rows = extract_roles(
        "Landrätin Dr. Susanne Wiese und der Leiter der Stabsstelle Digitalisierung, Marc Hoppe, "
        "unterzeichneten den Vertrag."
    )
    by_person = {row.person: row for row in rows}
    assert by_person["Susanne Wiese"].organisation != "Stabsstelle Digitalisierung"
    assert by_person["Marc Hoppe"].organisation == "Stabsstelle Digitalisierung"


def test_domain_written_after_the_title_is_no_name(extract_roles):
    rows = extract_roles("Die Projektleiterin Smart City, Julia Neumann, erklärte die Sensoren.")
    (row,) = rows
    assert (row.person, row.role, row.role_category) == ("Julia Neumann", "Projektleiterin Smart City", "smart_city")


def test_genitive_of_a_town_before_the_title_is_its_municipality(extract_roles):
    rows = extract_roles(
        "Hamburgs Chief Digital Officer Christian Pfromm und Bielefelds IT-Leiterin Ute Sander stellten "
        "die Strategie vor. Des Bundes Digitalbeauftragter Otto Kramer fehlte."
    )
    places = {row.person: row.municipality for row in rows}
    assert places["Christian Pfromm"] == "Hamburg" and places["Ute Sander"] == "Bielefeld"
    assert places.get("Otto Kramer", "") != "Bunde"


def test_title_before_a_particle_and_a_colon_and_where_the_holder_came_from(extract_roles):
    rows = extract_roles(
        "Der Landkreis Vorpommern-Greifswald stellt seine neue IT-Leiterin vor: "
        "Katrin Bauer kommt von der Stadt Greifswald."
    )
    (row,) = rows
    assert (row.person, row.role_category) == ("Katrin Bauer", "it_head")
    assert row.organisation != "Stadt Greifswald"  # where she comes from, not whose IT she leads


def test_possessive_deputy_of_a_holder(extract_roles):
    rows = extract_roles(
        "Der IT-Leiter der Stadt Bielefeld, Jörg Schmitz, und sein Stellvertreter Ali Yilmaz präsentierten "
        "das Konzept. Bürgermeisterin Rita Hahn und ihre Stellvertreterin Ute Kern kamen auch."
    )
    by_person = {row.person: row for row in rows}
    assert (by_person["Ali Yilmaz"].role, by_person["Ali Yilmaz"].role_category) == ("stellv. IT-Leiter", "it_head")
    assert by_person["Ali Yilmaz"].municipality == "Bielefeld"
    assert "Ute Kern" not in by_person  # a mayor's deputy holds an office of its own


def test_titles_joined_by_und_or_a_slash_share_the_name_beside_them(extract_roles):
    coordinated = extract_roles("Erster Beigeordneter und Kämmerer Jost Wendrich eröffnete die Sitzung.")
    assert {(row.person, row.role, row.rule.split("+")[0]) for row in coordinated} == {
        ("Jost Wendrich", "Erster Beigeordneter", "title-before-name"),
        ("Jost Wendrich", "Kämmerer", "title-before-name"),
    }
    slashed = extract_roles("Zur Sitzung kam Jens Harbeck, Kämmerer/Hauptamtsleiter der Gemeinde Quellbrunn.")
    assert {(row.person, row.role, row.rule.split("+")[0]) for row in slashed} == {
        ("Jens Harbeck", "Kämmerer", "apposition"),
        ("Jens Harbeck", "Hauptamtsleiter", "apposition"),
    }
