"""Tests for pipeline.text.dates: publication dates, date mentions and single expressions.

All press-text snippets are written for these tests (Musterhausen and friends).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.records import DateMention, PartialDate
from pipeline.text.dates import (
    MONTHS,
    find_date_mentions,
    find_publication_date,
    find_reference_month,
    parse_date_expression,
)

WED_2022_01_26 = date(2022, 1, 26)
THU_2024_03_14 = date(2024, 3, 14)
WED_2023_11_15 = date(2023, 11, 15)
MONTH_NAMES = {number: name.capitalize() for name, number in reversed(MONTHS.items())}


def single_mention(text: str, reference: date | None) -> DateMention:
    mentions = find_date_mentions(text, reference=reference)
    assert len(mentions) == 1, mentions
    return mentions[0]


# --------------------------------------------------------------------------
# find_date_mentions: one expression per sentence

MENTION_CASES = [
    # full dates
    ("Seit dem 1. Dezember 2023 leitet sie das Amt für Digitalisierung.", date(2024, 1, 10), "2023-12-01", "start"),
    ("Er ist seit 01.12.2023 Digitalisierungsbeauftragter der Stadt.", date(2024, 1, 10), "2023-12-01", "start"),
    ("Die Stelle wurde am 1.12.2023 neu besetzt.", date(2024, 1, 10), "2023-12-01", "point"),
    ("Bis 31.12.2024 bleibt sie kommissarische Leiterin.", THU_2024_03_14, "2024-12-31", "end"),
    ("Der Ratsbeschluss vom 2023-12-13 liegt der Redaktion vor.", THU_2024_03_14, "2023-12-13", "point"),
    ("Zum 1. April 2021 wurde das Amt für Digitalisierung gegründet.", WED_2022_01_26, "2021-04-01", "start"),
    ("Seit 3. Okt. 2022 ist er im Dienst der Kreisverwaltung.", WED_2022_01_26, "2022-10-03", "start"),
    ("Beginn: 1. März 2024, Treffpunkt ist das Foyer des Rathauses.", THU_2024_03_14, "2024-03-01", "start"),
    # day and month, year from the reference
    ("Am 13.01. tagte der Digitalausschuss zum ersten Mal.", WED_2022_01_26, "2022-01-13", "point"),
    ("Seit dem 13.01. ist das Bürgerportal online.", date(2022, 1, 10), "2021-01-13", "start"),
    ("Ab dem 13.01. ist das Bürgerportal online.", date(2022, 1, 10), "2022-01-13", "start"),
    ("Am Dienstag (7.5.) stellte die Stadt ihr neues Portal vor.", date(2024, 5, 8), "2024-05-07", "point"),
    ("Zum 1. April übernimmt er das neue Amt.", THU_2024_03_14, "2024-04-01", "start"),
    ("Er hat sein Amt bereits zum 1. März angetreten.", THU_2024_03_14, "2024-03-01", "start"),
    ("Die Stelle ist bis einschließlich 31. Dezember befristet.", THU_2024_03_14, "2024-12-31", "end"),
    ("Die nächste Sitzung findet am 14. Februar um 16 Uhr statt.", WED_2022_01_26, "2022-02-14", "point"),
    ("Der Ausschuss tagte am 14. Februar um 16 Uhr im Rathaus.", date(2022, 3, 1), "2022-02-14", "point"),
    ("Am Montag, 24. Januar, tagte der Unterausschuss.", WED_2022_01_26, "2022-01-24", "point"),
    # month precision
    ("Der Rat hat im Dezember 2023 die neue Stabsstelle beschlossen.", THU_2024_03_14, "2023-12", "point"),
    ("Die Verwaltung hat im Mai 2017 eine Breitbandkoordinatorin eingestellt.", THU_2024_03_14, "2017-05", "point"),
    ("Lukas Beispiel ist seit Dezember Digitalisierungsbeauftragter.", WED_2022_01_26, "2021-12", "start"),
    ("Ab Juli übernimmt sie die Leitung der IT-Abteilung.", THU_2024_03_14, "2024-07", "start"),
    ("Ab Juli leitet sie die IT-Abteilung.", date(2024, 8, 5), "2024-07", "start"),
    ("Seit Anfang September ist Jana Muster Leiterin des Amts für IT.", WED_2023_11_15, "2023-09", "start"),
    ("Seit Mitte Oktober verstärkt er das Team Digitalisierung.", WED_2023_11_15, "2023-10", "start"),
    ("Seit Ende Februar ist das Terminportal freigeschaltet.", date(2023, 1, 10), "2022-02", "start"),
    ("Im Februar soll der Digitalausschuss erneut tagen.", WED_2022_01_26, "2022-02", "point"),
    ("Im Oktober hatte der Rat die Stelle beschlossen.", WED_2022_01_26, "2021-10", "point"),
    ("Im Dezember vergangenen Jahres wurde sie gewählt.", WED_2022_01_26, "2021-12", "point"),
    ("Im vergangenen Monat wurde die Stelle besetzt.", WED_2022_01_26, "2021-12", "point"),
    ("Vor drei Monaten trat sie die Stelle an.", WED_2022_01_26, "2021-10", "point"),
    # year precision
    ("Seit 2019 ist sie Chief Digital Officer der Stadt.", THU_2024_03_14, "2019", "start"),
    ("Im Jahr 2017 berief die Stadt erstmals einen CDO.", THU_2024_03_14, "2017", "point"),
    ("Der Kreis hat bereits seit 2011 einen IT-Sicherheitsbeauftragten.", THU_2024_03_14, "2011", "start"),
    ("Sie ist im Amt seit 2015.", THU_2024_03_14, "2015", "start"),
    ("Die neue Software soll Anfang 2024 eingeführt werden.", WED_2023_11_15, "2024", "point"),
    ("Ende 2022 wurde die Digitalstrategie beschlossen.", WED_2023_11_15, "2022", "point"),
    ("Sie bleibt bis Ende 2022 im Amt.", WED_2022_01_26, "2022", "end"),
    ("Im vergangenen Jahr wurde die Stabsstelle eingerichtet.", WED_2022_01_26, "2021", "point"),
    ("Letztes Jahr hat der Kreis drei Digitallotsen ausgebildet.", WED_2022_01_26, "2021", "point"),
    ("Vor zwei Jahren startete das Projekt Smart City.", WED_2022_01_26, "2020", "point"),
    ("Das Netzwerk besteht seit etwa zwei Jahren.", WED_2022_01_26, "2020", "start"),
    ("Im kommenden Jahr sollen alle Anträge online möglich sein.", WED_2022_01_26, "2023", "point"),
    ("Nächstes Jahr wird das Rechenzentrum erweitert.", WED_2022_01_26, "2023", "point"),
    ("Anfang des kommenden Jahres wird die Stelle ausgeschrieben.", WED_2022_01_26, "2023", "point"),
    ("Ende letzten Jahres startete das Pilotprojekt.", WED_2022_01_26, "2021", "point"),
    ("Bis zum Jahresende soll die Strategie stehen.", WED_2022_01_26, "2022", "end"),
    # weekdays, within the week of the reference
    ("Am Montag wurde der neue IT-Leiter vorgestellt.", WED_2022_01_26, "2022-01-24", "point"),
    ("Am Mittwoch unterzeichnete die Bürgermeisterin den Vertrag.", WED_2022_01_26, "2022-01-26", "point"),
    ("Am Freitag übergab der Minister den Förderbescheid.", WED_2022_01_26, "2022-01-21", "point"),
    ("Am vergangenen Freitag wurde das Portal freigeschaltet.", date(2022, 1, 28), "2022-01-21", "point"),
    ("Am kommenden Montag beginnt die Schulung.", date(2022, 1, 24), "2022-01-31", "point"),
    # ending verbs turn a transition date into an end
    ("Mit Wirkung zum 31. März 2022 beendeten beide Seiten die Zusammenarbeit.", WED_2022_01_26, "2022-03-31", "end"),
    ("Mit Wirkung zum 1. Februar 2021 übernimmt sie den Datenschutz.", WED_2022_01_26, "2021-02-01", "start"),
    ("Er scheidet zum 30. Juni aus dem Amt.", THU_2024_03_14, "2024-06-30", "end"),
    ("Zum 31. Juli geht der Amtsleiter in den Ruhestand.", THU_2024_03_14, "2024-07-31", "end"),
    ("Zum 1. April 2021 wurde die IT aus dem Amt für Interne Dienste gelöst.", THU_2024_03_14, "2021-04-01", "start"),
    # leap years
    ("Ab dem 29. Februar arbeitet das Team im neuen Rathaus.", date(2023, 5, 1), "2024-02-29", "start"),
    ("Seit dem 29.02. ist der Dienst verfügbar.", date(2023, 5, 1), "2020-02-29", "start"),
]


@pytest.mark.parametrize(("text", "reference", "expected_iso", "expected_kind"), MENTION_CASES)
def test_date_mention_value_and_kind(text: str, reference: date, expected_iso: str, expected_kind: str) -> None:
    mention = single_mention(text, reference)
    assert mention.value.iso() == expected_iso
    assert mention.kind == expected_kind
    assert text[mention.start_char : mention.end_char] == mention.text


def test_mention_offsets_cover_the_expression_without_its_cue() -> None:
    text = "Sie ist seit dem 1. Dezember 2023 Leiterin."
    mention = single_mention(text, None)
    assert (mention.start_char, mention.end_char, mention.text) == (17, 33, "1. Dezember 2023")


def test_overlapping_candidates_keep_the_longest() -> None:
    mention = single_mention("Seit Anfang Dezember 2023 ist er im Amt.", THU_2024_03_14)
    assert mention.text == "Anfang Dezember 2023"
    assert mention.value == PartialDate(2023, 12)


def test_mentions_are_sorted_and_ranges_give_start_and_end() -> None:
    text = "Von 2015 bis 2019 war er Leiter, seit 2020 ist er Dezernent."
    mentions = find_date_mentions(text, reference=THU_2024_03_14)
    assert [(m.text, m.value.iso(), m.kind) for m in mentions] == [
        ("2015", "2015", "start"),
        ("2019", "2019", "end"),
        ("2020", "2020", "start"),
    ]


def test_day_range_start_borrows_month_from_its_end() -> None:
    text = "Der Innovationszirkel findet vom 6. bis zum 7. Februar in Musterhausen statt."
    mentions = find_date_mentions(text, reference=date(2020, 2, 6))
    assert [(m.text, m.value.iso(), m.kind) for m in mentions] == [
        ("6.", "2020-02-06", "start"),
        ("7. Februar", "2020-02-07", "end"),
    ]


def test_range_start_without_year_borrows_the_year_of_its_end() -> None:
    text = "Er war vom 1. März bis zum 30. Juni 2023 kommissarischer Leiter."
    mentions = find_date_mentions(text, reference=date(2025, 1, 1))
    assert [(m.value.iso(), m.kind) for m in mentions] == [("2023-03-01", "start"), ("2023-06-30", "end")]


def test_several_mentions_in_one_sentence() -> None:
    text = "Seit 2011 arbeitet er für die Stadt, im Mai 2018 wurde er CDO und bis Ende 2025 bleibt er es."
    mentions = find_date_mentions(text, reference=THU_2024_03_14)
    assert [(m.value.iso(), m.kind) for m in mentions] == [("2011", "start"), ("2018-05", "point"), ("2025", "end")]


# --------------------------------------------------------------------------
# Traps


def test_time_after_a_date_is_not_a_year() -> None:
    mention = single_mention("Die Sitzung beginnt am 14. Februar um 16 Uhr im Ratssaal.", date(2023, 3, 1))
    assert mention.value == PartialDate(2023, 2, 14)
    assert mention.value.year != 2016
    assert parse_date_expression("14. Februar um 16 Uhr", reference=date(2023, 3, 1)) == PartialDate(2023, 2, 14)


def test_day_and_month_with_closing_dot_is_a_date_not_a_time() -> None:
    assert single_mention("Die Sitzung am 13.01. war gut besucht.", WED_2022_01_26).value == PartialDate(2022, 1, 13)
    assert find_date_mentions("Die Sitzung beginnt um 13.01 Uhr.", reference=WED_2022_01_26) == []


@pytest.mark.parametrize("word", ["Die", "Mit", "Di", "Mi", "Do", "Fr", "So"])
def test_articles_and_weekday_abbreviations_are_not_weekdays(word: str) -> None:
    assert parse_date_expression(word, reference=WED_2022_01_26) is None
    sentence = f"{word} Stadt teilt mit, dass das Portal am Start ist."
    assert find_date_mentions(sentence, reference=WED_2022_01_26) == []


NOT_DATES = [
    "Die Verwaltung 2.0 kommt.",
    "Das Land fördert die Stelle mit 150.000 Euro.",
    "Sie erreichen das Bürgerbüro unter Telefon 05241 82-2345 oder 0521 / 51 23 45.",
    "Der Arbeitskreis trifft sich vier Mal jährlich.",
    "Die 22-Jährige arbeitet im Amt für IT.",
    "Gerade hat für ihn das 33. Jahr in der Stadtverwaltung begonnen.",
    "Er ist Digitalisierungsbeauftragter der 232.000-Einwohnerstadt.",
    "In der Verwaltung arbeiten rund 2000 Beschäftigte.",
    "Gefördert werden Projekte ab 2000 Euro.",
    "Die Stadt hat 2019 Anträge digital bearbeitet.",
    "Das Bürgerbüro ist von Montag bis Freitag geöffnet.",
    "Die Software in Version 2.1. läuft stabil.",
    "Oberbürgermeister Thomas Muster begrüßte die Gäste zum 13. Innovationszirkel.",
    "In den letzten Jahren hat die Stadt viel erreicht.",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_numbers_that_are_not_dates(text: str) -> None:
    assert find_date_mentions(text, reference=WED_2022_01_26) == []


@pytest.mark.parametrize(
    "text",
    [
        "Er ist seit Dezember im Amt.",
        "Am Montag wurde der Vertrag unterzeichnet.",
        "Im vergangenen Jahr wurde die Stelle geschaffen.",
        "Vor zwei Jahren begann das Projekt.",
        "Die Sitzung am 13.01. war gut besucht.",
        "Ab Juli übernimmt sie die Leitung.",
    ],
)
def test_without_reference_relative_expressions_are_skipped(text: str) -> None:
    assert find_date_mentions(text, reference=None) == []


def test_without_reference_absolute_expressions_are_kept() -> None:
    text = "Seit 2019 ist sie im Amt, am 1. Dezember 2023 wurde sie Amtsleiterin."
    mentions = find_date_mentions(text, reference=None)
    assert [m.value.iso() for m in mentions] == ["2019", "2023-12-01"]


def test_precision_is_never_invented() -> None:
    assert single_mention("Im Dezember 2023 wurde er gewählt.", None).value.precision == "month"
    assert single_mention("Die Software kommt Anfang 2024.", None).value.precision == "year"
    assert single_mention("Seit Anfang September ist sie im Amt.", WED_2023_11_15).value.precision == "month"


def test_impossible_dates_are_not_mentions() -> None:
    assert find_date_mentions("Der Termin am 31.04.2024 entfällt.", reference=None) == []
    assert find_date_mentions("Seit dem 29.02.2023 gilt die Regel.", reference=None) == []


# --------------------------------------------------------------------------
# parse_date_expression

EXPRESSIONS = [
    ("Dezember", WED_2022_01_26, "past", "2021-12"),
    ("Oktober", WED_2022_01_26, "future", "2022-10"),
    ("Dezember", WED_2022_01_26, "future", "2021-12"),  # just passed: "ab Dezember" in late January
    ("Februar", WED_2022_01_26, "around", "2022-02"),  # next month: an announcement
    ("Oktober", WED_2022_01_26, "around", "2021-10"),
    ("Januar", WED_2022_01_26, "past", "2022-01"),
    ("Januar", WED_2022_01_26, "future", "2022-01"),
    ("1. April 2021", None, "past", "2021-04-01"),
    ("1. April", THU_2024_03_14, "future", "2024-04-01"),
    ("1. April", THU_2024_03_14, "past", "2023-04-01"),
    ("Anfang 2024", None, "past", "2024"),
    ("Ende Februar 2024", None, "past", "2024-02"),
    ("vor zwei Jahren", WED_2022_01_26, "past", "2020"),
    ("im Jahr 2017", None, "past", "2017"),
    ("seit 2019", None, "past", "2019"),
    ("am Dienstag (7.5.)", date(2024, 5, 8), "past", "2024-05-07"),
    ("Montag", THU_2024_03_14, "past", "2024-03-11"),
    ("Montag", THU_2024_03_14, "future", "2024-03-18"),
    ("29. Februar 2024", None, "past", "2024-02-29"),
    ("29.02.", date(2023, 5, 1), "past", "2020-02-29"),
    ("2023-12-13", None, "past", "2023-12-13"),
    ("21. März 2018, 18:52 Uhr", None, "past", "2018-03-21"),
    # outside the rules, handled by dateparser
    ("3. Okt 2023", None, "past", "2023-10-03"),
    ("12/2023", None, "past", "2023-12"),
]


@pytest.mark.parametrize(("text", "reference", "direction", "expected_iso"), EXPRESSIONS)
def test_parse_date_expression(text: str, reference: date | None, direction: str, expected_iso: str) -> None:
    value = parse_date_expression(text, reference=reference, direction=direction)
    assert value is not None
    assert value.iso() == expected_iso


@pytest.mark.parametrize(
    "text",
    ["kein Datum", "1.12.23", "150.000 Euro", "2.0", "31.02.2023", "Dezember", "vor zwei Jahren", "Montag"],
)
def test_parse_date_expression_gives_none(text: str) -> None:
    assert parse_date_expression(text, reference=None) is None


def test_parse_date_expression_rejects_unknown_direction() -> None:
    with pytest.raises(ValueError, match="direction"):
        parse_date_expression("Dezember", reference=WED_2022_01_26, direction="sideways")


def test_month_ends_of_parsed_months() -> None:
    assert parse_date_expression("Februar 2024", reference=None).last_day() == date(2024, 2, 29)
    assert parse_date_expression("Februar 2023", reference=None).last_day() == date(2023, 2, 28)
    assert parse_date_expression("Dezember 2023", reference=None).last_day() == date(2023, 12, 31)


DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31))


@settings(max_examples=200, deadline=None)
@given(DATES)
def test_written_full_dates_round_trip(value: date) -> None:
    for text in (
        f"{value.day}. {MONTH_NAMES[value.month]} {value.year}",
        f"{value.day:02d}.{value.month:02d}.{value.year}",
        value.isoformat(),
    ):
        assert parse_date_expression(text, reference=None) == PartialDate.from_date(value)


@settings(max_examples=200, deadline=None)
@given(DATES, DATES)
def test_day_and_month_resolve_to_the_nearest_year_on_the_right_side(value: date, reference: date) -> None:
    text = f"{value.day}.{value.month}."
    past = parse_date_expression(text, reference=reference, direction="past")
    assert past is not None
    assert (past.month, past.day) == (value.month, value.day)
    assert past.first_day() <= reference
    if (value.month, value.day) != (2, 29):
        assert reference - past.first_day() < timedelta(days=366)


# --------------------------------------------------------------------------
# find_publication_date

PUBLICATION_CASES = [
    pytest.param(
        "Musterhausen eröffnet Digitalwerkstatt\n\n06.03.2023\n\nAm Montag (6.3.) eröffnete die Stadt ...",
        "2023-03-06",
        "header",
        "06.03.2023",
        id="date-alone-on-a-line",
    ),
    pytest.param(
        "Digitale Verwaltung\n\n[13.12.2023] Die Stadt Musterhausen hat eine IT-Strategie beschlossen. "
        "Am 21.11.2023 hatte der Rat darüber beraten.",
        "2023-12-13",
        "header",
        "13.12.2023",
        id="bracketed-before-lead",
    ),
    pytest.param(
        "Interview:\nZukunft gemeinsam gestalten\n\n\n[4.7.2022] Seit fünf Jahren leitet Anna Beispiel ...",
        "2022-07-04",
        "header",
        "4.7.2022",
        id="bracketed-single-digits",
    ),
    pytest.param(
        "Neue Datenschutzbeauftragte im Rathaus\nErstelldatum14.03.2022\nDie Stadt Musterhausen hat ...",
        "2022-03-14",
        "header",
        "14.03.2022",
        id="erstelldatum-without-space",
    ),
    pytest.param(
        "Aktuelles\n\nTitel\nDigitalausschuss nimmt Arbeit auf\n\nEinleitung\n"
        "Die erste Sitzung fand am Montag, 24. Januar 2022, im Rathaus statt.\n\n"
        "Weitere Informationen folgen.\n\nBeginndatum\n26.01.2022\n\nVeranstaltungskalender",
        "2022-01-26",
        "header",
        "26.01.2022",
        id="beginndatum-line-pair-late-in-text",
    ),
    pytest.param(
        "Veröffentlicht am 3. März 2021\n\nDie Gemeinde Beispieldorf hat eine Digitallotsin.",
        "2021-03-03",
        "header",
        "3. März 2021",
        id="veroeffentlicht-am",
    ),
    pytest.param(
        "Pressemitteilung vom 11.11.2021\n\nKreis Musterland stellt neuen CIO vor.",
        "2021-11-11",
        "header",
        "11.11.2021",
        id="pressemitteilung-vom",
    ),
    pytest.param(
        "Förderbescheid für das Digitalzentrum\n\nvon 4. Juni 2021\n\nBürgermeister Max Muster: „Wir ...“",
        "2021-06-04",
        "header",
        "4. Juni 2021",
        id="byline-von",
    ),
    pytest.param(
        "Stadt Musterhausen\n2023-12-13\nNeues Amt für Digitalisierung",
        "2023-12-13",
        "header",
        "2023-12-13",
        id="iso-line",
    ),
    pytest.param(
        " date 2018-03 21. März 2018, 18:52 Uhr Stadtrat: Neuer IT-Referent vereidigt\n\nDer neue ...",
        "2018-03-21",
        "header",
        "21. März 2018",
        id="crawler-line-with-full-date",
    ),
    pytest.param(
        "Montag, 6. Februar 2023\nMusterhausen bekommt eine Chief Digital Officer",
        "2023-02-06",
        "header",
        "6. Februar 2023",
        id="weekday-and-date-line",
    ),
    pytest.param(
        "Redaktion Musterhausen | 05.03.2022\nNeue Koordinatorin für Digitalisierung",
        "2022-03-05",
        "header",
        "05.03.2022",
        id="byline-after-separator",
    ),
    pytest.param(
        "Kreis stärkt Digitalisierung\n\nDetmold, 2. Oktober 2023. Der Kreis Musterland hat eine neue "
        "Stabsstelle eingerichtet. Sie startet am 1. November 2023.",
        "2023-10-02",
        "dateline",
        "2. Oktober 2023",
        id="dateline-text-month",
    ),
    pytest.param(
        "Smart City bleibt Thema\n\nGütersloh (pm), 3.5.2022 - Die Stadt und ihre Töchter arbeiten weiter ...",
        "2022-05-03",
        "dateline",
        "3.5.2022",
        id="dateline-numeric-with-agency",
    ),
    pytest.param(
        "[02.02.2024] Die Stadt Musterhausen hat ein neues Portal.\n\nText ...\n\nStand: 01.02.2024",
        "2024-02-01",
        "header",
        "01.02.2024",
        id="labelled-beats-unlabelled",
    ),
    pytest.param(
        "Neue Ordnung\n\n29.02.2024\n\nDer Rat hat beschlossen ...",
        "2024-02-29",
        "header",
        "29.02.2024",
        id="leap-day",
    ),
]


@pytest.mark.parametrize(("text", "expected_iso", "expected_source", "expected_span"), PUBLICATION_CASES)
def test_publication_date(text: str, expected_iso: str, expected_source: str, expected_span: str) -> None:
    published = find_publication_date(text, filename="musterhausen_pressemitteilung.txt")
    assert published is not None
    assert published.value.isoformat() == expected_iso
    assert published.source == expected_source
    assert text[published.start_char : published.end_char] == expected_span


BODY_DATES_ONLY = (
    "Digitallotsen ausgezeichnet\n\n"
    "Die Stadt Musterhausen hat zwölf Beschäftigte zu Digitallotsen ausgebildet.\n\n"
    "Weitere Schulungen sind geplant, sagte die Bürgermeisterin.\n\n"
    "Am 21.11.2023 war es soweit: Die Urkunden wurden im Rathaus überreicht.\n\n"
    "Der Innovationszirkel findet vom 6. bis zum 7. Februar statt.\n\n"
    "Die nächsten Termine stehen schon fest. Sie werden auf der Internetseite der Stadt "
    "veröffentlicht, sobald die Räume gebucht sind.\n\n"
    "14.02.2024\n"
)


def test_body_event_dates_are_not_publication_dates() -> None:
    assert find_publication_date(BODY_DATES_ONLY) is None


def test_filename_date_when_the_text_has_none() -> None:
    published = find_publication_date(BODY_DATES_ONLY, filename="raw/2023-12-15_digitallotsen.txt")
    assert published is not None
    assert (published.value, published.source) == (date(2023, 12, 15), "filename")
    assert (published.start_char, published.end_char) == (None, None)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("20231213-kiel-it-strategie.txt", date(2023, 12, 13)),
        ("2024_02_29_schaltjahr.txt", date(2024, 2, 29)),
        ("pressemitteilung_13.12.2023.txt", date(2023, 12, 13)),
        ("000_4bea089f1b01600b.txt", None),
        ("2023-02-29_kein_schaltjahr.txt", None),
    ],
)
def test_filename_dates(filename: str, expected: date | None) -> None:
    published = find_publication_date("Kein Datum im Text.", filename=filename)
    assert (published.value if published else None) == expected


def test_crawler_month_line_is_not_a_publication_date() -> None:
    text = (
        " date 2016-10 Der Landrat übergab am Freitag einen Förderbescheid über 150.000 Euro.\n\n"
        "Kreis Musterland (bp). Der Kreis hat eine Breitbandkoordinatorin eingestellt."
    )
    assert find_publication_date(text) is None


def test_header_beats_dateline_and_filename() -> None:
    text = "[13.12.2023] Neues Amt\n\nMusterhausen, 1. Dezember 2023. Die Stadt ..."
    published = find_publication_date(text, filename="2020-01-01_alt.txt")
    assert published is not None
    assert (published.value, published.source) == (date(2023, 12, 13), "header")


def test_impossible_header_date_is_ignored() -> None:
    assert find_publication_date("Neue Ordnung\n\n29.02.2023\n\nDer Rat hat beschlossen ...") is None


# --- a month stamp as reference -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" date 2019-03 Jonas Ried wird zum 1. April Leiter der Digitalisierung.", date(2019, 3, 1)),
        ("date 2024-11\nNeue Digitallotsin", date(2024, 11, 1)),
        (" date 2019-13 Titel", None),
        ("Die Stadt meldet am 3. März: date 2019-03", None),
        ("Pressemitteilung vom 02.04.2024", None),
    ],
)
def test_reference_month_from_a_stamp_at_the_start(text, expected):
    assert find_reference_month(text) == expected
