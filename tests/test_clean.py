"""Tests for the cleaner and its map back to the raw text."""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.records import CleanDocument, RawDocument
from pipeline.text.clean import CHARACTER_MAP, Mapped, clean, compose, find_title

PRESS_RELEASE = (
    "Startseite | Kontakt | Impressum\r\n"
    "Sie sind hier: Startseite > Presse > Mitteilungen\r\n"
    " date 2025-03 Beispielhausen bekommt eine Chief Digital Officer\r\n"
    "Pressemitteilung vom 04.03.2025\r\n"
    "\r\n"
    "Die Stadt Beispielhausen hat eine neue Chief Digital Officer: Dr.\u00a0Lena Probst übernimmt "
    "zum 1.\u202fApril 2025 die Leitung der Stabsstelle Digitalisierung. „Wir wollen "
    "Verwaltungsleistungen schneller online anbieten“, sagte Oberbürgermeister Tobias Kranich "
    "am Dienstag.  \r\n"
    "\r\n"
    "\r\n"
    "\r\n"
    "Probst war zuvor IT-Leiterin im Landkreis Musterfeld und folgt auf Jens Albrecht \u2013 "
    "er geht in den Ruhestand. Ihr Team: zwei Digitallots\u00adinnen und ein E-Government-Experte.\r\n"
    "\r\n"
    "(v.l.n.r.:) Anna Beispiel, Digitallots:innen der Stadtbibliothek, Dr. Lena Probst und "
    "Oberbürgermeister Tobias Kranich. Foto: Jana Muster, Stadt Beispielhausen\r\n"
    "BU: Die neue CDO stellte sich am Dienstag im Rathaus vor.\r\n"
    "\r\n"
    "Weitere Infos\r\n"
    "Mehr News lesen \u00bb\r\n"
    "Teilen auf: Facebook, X, WhatsApp\r\n"
    "Logo von Facebook Logo von Twitter\r\n"
    "[metaslider id=4711]\r\n"
    "\r\n"
    "Herausgegeben von:\r\n"
    "Stadt Beispielhausen\r\n"
    "Der Oberbürgermeister \u2013 Presse- und Öffentlichkeitsarbeit\r\n"
    "Marktplatz 1, 12345 Beispielhausen\r\n"
    "Telefon: 01234 56-789\r\n"
    "presse@beispielhausen.example\r\n"
    "\r\n"
    "© 2025 Stadt Beispielhausen\r\n"
    "Zurück | Seitenanfang | Druckansicht\r\n"
)

PRESS_RELEASE_CLEANED = (
    "date 2025-03 Beispielhausen bekommt eine Chief Digital Officer\n"
    "Pressemitteilung vom 04.03.2025\n"
    "\n"
    "Die Stadt Beispielhausen hat eine neue Chief Digital Officer: Dr. Lena Probst übernimmt "
    'zum 1. April 2025 die Leitung der Stabsstelle Digitalisierung. "Wir wollen '
    'Verwaltungsleistungen schneller online anbieten", sagte Oberbürgermeister Tobias Kranich '
    "am Dienstag.\n"
    "\n"
    "Probst war zuvor IT-Leiterin im Landkreis Musterfeld und folgt auf Jens Albrecht - "
    "er geht in den Ruhestand. Ihr Team: zwei Digitallotsinnen und ein E-Government-Experte.\n"
    "\n"
    "(v.l.n.r.:) Anna Beispiel, Digitallots:innen der Stadtbibliothek, Dr. Lena Probst und "
    "Oberbürgermeister Tobias Kranich. Foto: Jana Muster, Stadt Beispielhausen\n"
    "BU: Die neue CDO stellte sich am Dienstag im Rathaus vor."
)

# A text without furniture or hyphenation, so any span may cross lines.
COUNCIL_NOTE = (
    "\ufeffGemeinderat\u00a0Beispieldorf \u2013 Sitzung vom 12.\u00a0Mai 2025\n"
    "\n"
    "\tDer Gemeinderat hat Mu\u0308ller zur ‚Beauftragten für Digitales‘ bestellt.\x00\n"
    "Sie  arbeitet eng mit der Kämmerin zusammen\u200b und berichtet dem Bürgermeister.   \n"
    "\n\n\n\n"
    "Die Ju\u0308rgen-Schmidt-Schule erhält 40 Tablets; Ansprechpartner ist der "
    "IT\u2011Koordinator Timo Weiß.\r"
    "Weitere Informationen gibt es im Bürgerbüro.\n"
)

# The character-level normalisation of the cleaner, written independently
# (apart from the shared translation table) to check the offset map against.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f\u00ad\u200b-\u200d\u2060\ufeff]")


def normalise(raw: str) -> str:
    text = _INVISIBLE.sub("", raw).replace("\r\n", "\n")
    text = unicodedata.normalize("NFC", text).translate(CHARACTER_MAP)
    text = re.sub(r" *\n *", "\n", re.sub(r" +", " ", text))
    text = re.sub(r"(?<=[a-zäöüß]{3})(?=[A-ZÄÖÜ]{2,}\b)", " ", text)  # acronyms glued to a word
    return re.sub(r"\n{3,}", "\n\n", text)


def clean_text(text: str) -> CleanDocument:
    return clean(RawDocument("doc", Path("doc.txt"), text, "utf-8"))


def raw_behind(doc: CleanDocument, start: int, end: int) -> str:
    return doc.raw_text[slice(*doc.to_raw(start, end))]


def word_bounds(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the non-space tokens of ``text``."""
    tokens = [match.span() for match in re.finditer(r"\S+", text)]
    return [start for start, _ in tokens], [end for _, end in tokens]


def assert_valid_offsets(doc: CleanDocument) -> None:
    offsets = doc.raw_offsets
    assert len(offsets) == len(doc.text) + 1
    assert offsets[-1] == len(doc.raw_text)
    assert all(0 <= offset <= len(doc.raw_text) for offset in offsets)
    assert all(earlier <= later for earlier, later in pairwise(offsets))


# --- the whole chain ----------------------------------------------------------------------


def test_press_release_is_cleaned() -> None:
    doc = clean_text(PRESS_RELEASE)

    assert doc.text == PRESS_RELEASE_CLEANED
    assert doc.title == "Beispielhausen bekommt eine Chief Digital Officer"
    assert (doc.doc_id, doc.path, doc.raw_text) == ("doc", Path("doc.txt"), PRESS_RELEASE)
    assert_valid_offsets(doc)


def test_every_word_span_of_each_line_maps_back_to_its_raw_text() -> None:
    doc = clean_text(PRESS_RELEASE)
    checked = 0
    line_start = 0
    for line in doc.text.split("\n"):
        starts, ends = word_bounds(line)
        for start in starts:
            for end in (end for end in ends if end > start):
                span = (line_start + start, line_start + end)
                assert normalise(raw_behind(doc, *span)) == doc.text[slice(*span)]
                checked += 1
        line_start += len(line) + 1
    assert checked > 1000


def test_every_word_span_across_lines_maps_back_to_its_raw_text() -> None:
    doc = clean_text(COUNCIL_NOTE)
    starts, ends = word_bounds(doc.text)

    for start in starts:
        for end in (end for end in ends if end > start):
            assert normalise(raw_behind(doc, start, end)) == doc.text[start:end]


def test_council_note_is_normalised() -> None:
    doc = clean_text(COUNCIL_NOTE)

    assert doc.text == (
        "Gemeinderat Beispieldorf - Sitzung vom 12. Mai 2025\n"
        "\n"
        "Der Gemeinderat hat Müller zur 'Beauftragten für Digitales' bestellt.\n"
        "Sie arbeitet eng mit der Kämmerin zusammen und berichtet dem Bürgermeister.\n"
        "\n"
        "Die Jürgen-Schmidt-Schule erhält 40 Tablets; Ansprechpartner ist der "
        "IT-Koordinator Timo Weiß.\n"
        "Weitere Informationen gibt es im Bürgerbüro."
    )
    assert doc.title == "Gemeinderat Beispieldorf - Sitzung vom 12. Mai 2025"


def test_to_clean_finds_the_cleaned_offset_of_a_raw_offset() -> None:
    doc = clean_text(PRESS_RELEASE)
    raw_start = PRESS_RELEASE.index("Lena Probst")

    start = doc.to_clean(raw_start)

    assert doc.text[start : start + len("Lena Probst")] == "Lena Probst"


def test_empty_and_blank_texts_give_empty_documents() -> None:
    for text in ("", " \r\n\t\n\u00a0\n"):
        doc = clean_text(text)
        assert (doc.text, doc.title, doc.raw_offsets) == ("", "", [len(text)])


# --- characters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("„Digitalpakt“ und ‚Smart City‘", "\"Digitalpakt\" und 'Smart City'"),
        ("«Open Data» und ‹E-Akte›", "\"Open Data\" und 'E-Akte'"),
        ("Kranich’ Team", "Kranich' Team"),
        ("2024\u20132025 \u2014 Haushalt \u2212 5 %", "2024-2025 - Haushalt - 5 %"),
        ("Dr.\u00a0Probst, 5\u202f000\u2007Euro,\tTel.\u2009123", "Dr. Probst, 5 000 Euro, Tel. 123"),
        ("Digitali\u00adsierungs\u200bstrate\u200cgie\u200d\ufeff", "Digitalisierungsstrategie"),
        ("Zei\x00le eins\x00\r\nZeile zwei\rZeile drei", "Zeile eins\nZeile zwei\nZeile drei"),
        ("Abschnitt\u2028Zeile\x0cSeite", "Abschnitt\nZeile\nSeite"),
        ("Mu\u0308ller, A\u030angstro\u0308m, \u212bngström", "Müller, Ångström, Ångström"),
    ],
)
def test_characters_are_normalised(raw: str, cleaned: str) -> None:
    assert clean_text(raw).text == cleaned


def test_composed_character_maps_to_its_base_character() -> None:
    doc = clean_text("Frau Mu\u0308ller")
    start = doc.text.index("ü")

    assert raw_behind(doc, start, start + 1) == "u"
    assert raw_behind(doc, start - 1, start + 5) == "Mu\u0308ller"


def test_crlf_line_break_maps_to_its_line_feed() -> None:
    doc = clean_text("Erste Zeile\r\nZweite Zeile")
    line_break = doc.text.index("\n")

    assert raw_behind(doc, 0, line_break + 1) == "Erste Zeile\r\n"
    assert raw_behind(doc, line_break, line_break + 1) == "\n"


# --- spaces and blank lines --------------------------------------------------------------------


def test_spaces_and_blank_lines_are_tidied() -> None:
    raw = "\n\n  Die   Digitallotsin  \n   \n\n\n\n berät\t\tBürger. \n\n\n"

    assert clean_text(raw).text == "Die Digitallotsin\n\nberät Bürger."


def test_collapsed_space_maps_to_the_first_space_of_the_run() -> None:
    doc = clean_text("Anna    Beispiel")

    assert doc.to_raw(4, 5) == (4, 5)
    assert doc.to_raw(0, len(doc.text)) == (0, len("Anna    Beispiel"))


# --- layout hyphenation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("die Kreisverwal-tung hat", "die Kreisverwaltung hat"),
        ("Sie wird den Auftrag erhal-ten.", "Sie wird den Auftrag erhalten."),
        ("die Kreisverwal-\ntung hat", "die Kreisverwaltung hat"),
        ("die Digitalisie-  \n  rung", "die Digitalisierung"),
    ],
)
def test_layout_hyphens_are_removed(raw: str, cleaned: str) -> None:
    assert clean_text(raw).text == cleaned


@pytest.mark.parametrize(
    "text",
    [
        "Digital- und Changemanager",
        "Digital-\nund Changemanager",
        "IT-Leiter und E-Government",
        "die Smart-City-Managerin",
        "Bürgermeister von Dornburg-Camburg",
        "Digitalisierungs- und IT-experten",
        "eine öffentlich-rechtliche Vereinbarung",
        "die deutsch-französische Partnerschaft",
        "die schleswig-holsteinischen Kommunen",
        "die rot-grüne Mehrheit",
        "das Know-how der Verwaltung",
        "der Roll-out beginnt",
        "die Ex-bürgermeisterin",
        "siehe www.kreis-verwaltung.example/digital-lotsen",
        "Mail an info@stadt-beispiel.example",
        "die stadt-beispiel.example Seite",
        "Probst (CDO)-team",
    ],
)
def test_real_hyphenated_words_are_kept(text: str) -> None:
    assert clean_text(text).text == text


def test_joined_word_maps_back_to_the_hyphenated_raw_word() -> None:
    doc = clean_text("die Kreisverwal-\ntung hat")
    start = doc.text.index("Kreisverwaltung")

    assert raw_behind(doc, start, start + len("Kreisverwaltung")) == "Kreisverwal-\ntung"
    assert raw_behind(doc, start, start + len("Kreisverwal")) == "Kreisverwal"


# --- page furniture ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Zurück | Seitenanfang | Druckansicht",
        "| Startseite | Kontakt | Impressum |",
        "Seiteninhalt",
        "Mehr News lesen »",
        "Weitere Infos",
        "Zum Veranstaltungskalender",
        "Veranstaltungskalender",
        "Veranstaltungstipp",
        "Nach oben",
        "Drucken",
        "TEILEN",
        "» Zurück zur Übersicht",
        "Sie sind hier: Startseite > Rathaus > Presse",
        "Estimated read time 3 min read",
        "Lesezeit: 2 Minuten",
        "[metaslider id=10234]",
        "[/caption]",
        "Logo von Facebook Logo von Twitter",
        "Auf Facebook teilen",
        "Teilen auf: Facebook, X, WhatsApp",
        "Diese Seite per E-Mail teilen",
        "WEB 2.0",
        "© 2024 Stadt Beispielhausen",
        "(c) 2023 Landkreis Musterfeld",
        "Copyright Gemeinde Beispieldorf",
        "Stadt Beispielhausen. Alle Rechte vorbehalten.",
        "Quelle: www.beispielhausen.example",
        "https://www.beispielhausen.example/presse/cdo",
        "beispielhausen.de",
        "Logo des Landkreises Musterfeld",
        "Das Bild zeigt das Rathaus am Marktplatz",
    ],
)
def test_furniture_lines_are_dropped(line: str) -> None:
    raw = f"Die Digitallotsin berät.\n{line}\nSie ist dienstags da.\n"

    assert clean_text(raw).text == "Die Digitallotsin berät.\nSie ist dienstags da."


@pytest.mark.parametrize(
    "line",
    [
        "Foto: Moritz Beispiel, Stadt Beispielhausen",
        "BU: Bürgermeisterin Petra Probst (l.) mit der neuen Digitallotsin.",
        "(v.l.n.r.:) Anna Beispiel, Digitallots:innen, und Jens Albrecht",
        "(v.l.) Timo Weiß und Lena Probst",
        "Bildunterschrift: Die Smart-City-Managerin bei der Übergabe",
        "Lena Probst (rechts) übergibt die Tablets. Foto: Moritz Beispiel, Stadt Beispielhausen",
        "[Foto: Stadt Beispielhausen]",
        "[Lena Probst]",
        "(c) Die Stelle wird befristet besetzt.",
        "Quelle: Statistisches Landesamt",
        "Teilen Sie uns Ihre Meinung zur Digitalstrategie mit.",
        "Kontakt: Anna Beispiel | Digitallotsin | Bürgerbüro",
        "Titel",
    ],
)
def test_caption_and_text_lines_are_kept(line: str) -> None:
    raw = f"Die Digitallotsin berät.\n{line}\nSie ist dienstags da."

    assert clean_text(raw).text == raw


def test_publisher_block_ends_at_blank_line() -> None:
    raw = (
        "Die CDO beginnt im April.\n\n"
        "Herausgegeben von:\n\n"
        "Landkreis Musterfeld\nPressestelle\nKreisstraße 4, 98765 Musterfeld\n"
        "Tel. 0987 654-0\nwww.musterfeld.example\n\n"
        "Ansprechpartnerin ist Jana Muster.\n"
    )

    assert clean_text(raw).text == "Die CDO beginnt im April.\n\nAnsprechpartnerin ist Jana Muster."


def test_publisher_block_ends_at_prose_line() -> None:
    raw = (
        "Herausgegeben von: Gemeinde Beispieldorf, Hauptamt\n"
        "Dorfstr. 2\n"
        "Der Gemeinderat hat am Montag einen Digitalbeauftragten gewählt.\n"
    )

    assert clean_text(raw).text == "Der Gemeinderat hat am Montag einen Digitalbeauftragten gewählt."


# --- title ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Titel\nNeue Digitallotsin im Bürgerbüro\nHaupttext", "Neue Digitallotsin im Bürgerbüro"),
        ("date 2016-10 Stadt ernennt Beauftragten für Digitales\nText", "Stadt ernennt Beauftragten für Digitales"),
        ("Montag, 12. März 2024, 10:30 Uhr\nKreis startet Onlineportal", "Kreis startet Onlineportal"),
        ("Pressemitteilung vom 04.03.2025\nRathaus wird digital", "Rathaus wird digital"),
        ("Foto: Jana Muster, Stadt Beispielhausen\nRathaus wird digital", "Rathaus wird digital"),
        ("Einleitung\nBild\nHaupttext", ""),
    ],
)
def test_title_is_first_headline_like_line(text: str, title: str) -> None:
    assert find_title(text) == title


def test_long_title_is_shortened_at_a_word() -> None:
    title = find_title("Die Stadt " + "Beispielhausen " * 30)

    assert len(title) <= 201
    assert title.endswith("Beispielhausen…")


# --- properties ----------------------------------------------------------------------------------

MESSY_CHARACTERS = st.sampled_from(
    list("aäbcdeöuüßAÄOÖUÜ019 .,:-|")
    + ["\n", "\r\n", "\r", "\t", "\u00a0", "\u202f", "\u00ad", "\u200b", "\ufeff", "\x00"]
    + list("„“”‚‘’«»‹›–—\u2212")
    + ["\u0301", "\u0308", "\u0323", "\u030a", "\u212b", "\u1100", "\u1161", "\u11a8"]
    + ["©", "Zurück", "Foto:", "Herausgegeben von:", "www.x.de", "Kreisverwal-", "tung"]
)
MESSY_TEXT = st.lists(MESSY_CHARACTERS, max_size=80).map("".join) | st.text(max_size=80)


@given(MESSY_TEXT)
@settings(max_examples=300, deadline=None)
def test_clean_keeps_a_valid_offset_map_for_any_text(raw: str) -> None:
    doc = clean_text(raw)

    assert_valid_offsets(doc)
    assert not set(doc.text) & {"\r", "\t", "\u00a0", "\u00ad", "\u200b", "\x00", "„", "“"}
    assert doc.text == doc.text.strip("\n")


@given(st.text(max_size=60) | st.lists(MESSY_CHARACTERS, max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_compose_equals_unicode_nfc(text: str) -> None:
    composed = compose(Mapped(text, list(range(len(text) + 1))))

    assert composed.text == unicodedata.normalize("NFC", text)
    assert len(composed.offsets) == len(composed.text) + 1


# Characters whose spans the reference normalisation can check: no dashes
# (layout hyphenation) and no combining marks (a composed last character maps
# to its base only), and no letters that could spell furniture.
SPAN_CHARACTERS = st.sampled_from(
    list("abcäöüßABCÄÖÜ019.,")
    + [" ", " ", "\n", "\r\n", "\r", "\t", "\u00a0", "\u202f", "\u00ad", "\u200b", "\x00"]
    + list("„“”‚‘’«»")
)


@given(st.lists(SPAN_CHARACTERS, max_size=120).map("".join), st.data())
@settings(max_examples=300, deadline=None)
def test_word_spans_map_back_to_raw_text_with_the_same_normalisation(raw: str, data: st.DataObject) -> None:
    doc = clean_text(raw)
    starts, ends = word_bounds(doc.text)
    if not starts:
        return
    for _ in range(10):
        start = data.draw(st.sampled_from(starts))
        end = data.draw(st.sampled_from([end for end in ends if end > start]))
        assert normalise(raw_behind(doc, start, end)) == doc.text[start:end]


def test_acronym_glued_to_a_word_is_split_off():
    raw = "Kreis MusterlandCDO aus Leidenschaft\nDigitallotsInnen und KL.digital bleiben."
    document = clean(RawDocument("glued", Path("glued.txt"), raw, "utf-8"))
    assert document.text.startswith("Kreis Musterland CDO aus")
    assert "DigitallotsInnen" in document.text and "KL.digital" in document.text
    start = document.text.index("CDO")
    assert raw[slice(*document.to_raw(start, start + 3))] == "CDO"
