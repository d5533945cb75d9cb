"""Tests for reading HTML pages: main text, captions, headline, charset and stated date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.records import InputFile, RawDocument
from pipeline.text.ingest import IngestError, declared_charset, discover, read

COOKIE_TEXT = "Diese Website verwendet Cookies"
NAV_ITEMS = ("Startseite", "Rathaus & Politik", "Bürgerservice", "Veranstaltungskalender")
FOOTER_TEXT = "© 2024 Stadt Musterhausen"
HEADLINE = "Neue Digitallotsinnen im Bürgerbüro"
MAYOR_SENTENCE = (
    "Oberbürgermeisterin Jana Beispiel hat am Dienstag drei Digitallotsinnen im Bürgerbüro begrüßt, "
    "die künftig bei Online-Anträgen helfen."
)
CDO_SENTENCE = (
    "Peter Muster, Chief Digital Officer der Stadt Musterhausen, koordiniert das Projekt seit Januar "
    "und hat die Schulungen der Lotsinnen organisiert."
)
CAPTION = "(v.l.n.r.) Anna Beispiel, Digitallotsin, Oberbürgermeisterin Jana Beispiel und Peter Muster im Bürgerbüro."
BU_LINE = "BU: Anna Beispiel zeigt einer Besucherin das Serviceportal."


def municipal_page(
    *,
    head: str = '<meta charset="utf-8">\n<meta property="article:published_time" content="2024-03-12T10:00:00+01:00">',
    article_start: str = f"<h1>{HEADLINE}</h1>",
    body: str = "",
    after_article: str = "",
) -> str:
    """A press release page as a municipal CMS serves it, with all the page furniture."""
    nav = "".join(
        f'<li><a href="/{index}">{item.replace("&", "&amp;")}</a></li>' for index, item in enumerate(NAV_ITEMS)
    )
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<title>{HEADLINE} | Stadt Musterhausen</title>
{head}
<meta property="og:title" content="{HEADLINE}">
</head>
<body>
<div id="cookie-hinweis" class="cookie-banner">
  <p>{COOKIE_TEXT}. Mit der weiteren Nutzung stimmen Sie unserer Datenschutzerklärung zu.</p>
  <button>Alle akzeptieren</button> <button>Nur notwendige</button>
</div>
<header class="kopf">
  <a class="logo" href="/"><img src="/logo.svg" alt="Stadt Musterhausen"></a>
  <nav class="hauptnavigation"><ul>{nav}</ul></nav>
  <form class="suche"><input name="q" placeholder="Suchbegriff"><button>Suchen</button></form>
</header>
<main>
<article class="pressemitteilung">
{article_start}
{body or _default_body()}
</article>
{after_article}
</main>
<footer class="fuss">
  <p>{FOOTER_TEXT}</p>
  <ul><li><a href="/impressum">Impressum</a></li><li><a href="/datenschutz">Datenschutz</a></li>
  <li><a href="/barrierefreiheit">Erklärung zur Barrierefreiheit</a></li></ul>
</footer>
</body>
</html>
"""


def _default_body() -> str:
    return f"""
<p>{MAYOR_SENTENCE} Die Sprechstunden finden dienstags und donnerstags von 9 bis 12 Uhr statt.</p>
<figure class="bild">
  <img src="/medien/lotsinnen.jpg" alt="Gruppenbild im Bürgerbüro">
  <figcaption>{CAPTION}</figcaption>
</figure>
<p>{CDO_SENTENCE} „Niemand soll beim digitalen Rathaus zurückbleiben“, sagte Muster.</p>
<p>Eine Anmeldung ist nicht erforderlich. Weitere Termine stehen im Serviceportal der Stadt.</p>
<p>{BU_LINE}</p>
"""


def write(root: Path, relative: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def read_page(root: Path, content: str | bytes, name: str = "meldung.html", encoding: str = "utf-8") -> RawDocument:
    path = write(root, name, content, encoding)
    return read(InputFile(path.stem, path))


def lines_of(document: RawDocument) -> list[str]:
    return document.text.splitlines()


# --- discover ---------------------------------------------------------------------------


def test_discover_accepts_html_files_in_any_case(tmp_path: Path) -> None:
    for relative in ("a.html", "b.HTM", "c.Htm", "d.xhtml", "e.php"):
        write(tmp_path, relative, municipal_page())

    statuses = {file.path.name: (file.status, file.message) for file in discover(tmp_path)}

    assert statuses == {
        "a.html": ("ok", ""),
        "b.HTM": ("ok", ""),
        "c.Htm": ("ok", ""),
        "d.xhtml": ("skipped", "not a text file (.xhtml)"),
        "e.php": ("skipped", "not a text file (.php)"),
    }


# --- main text --------------------------------------------------------------------------


def test_html_gives_main_text_without_page_furniture(tmp_path: Path) -> None:
    document = read_page(tmp_path, municipal_page())

    assert COOKIE_TEXT not in document.text
    assert "akzeptieren" not in document.text
    assert FOOTER_TEXT not in document.text
    assert "Impressum" not in document.text
    assert "Suchbegriff" not in document.text
    for item in NAV_ITEMS:
        assert item not in document.text
    assert "<" not in document.text


def test_html_keeps_headline_first_and_the_sentences_naming_people(tmp_path: Path) -> None:
    document = read_page(tmp_path, municipal_page())

    lines = lines_of(document)
    assert lines[0] == HEADLINE
    assert any(line.startswith(MAYOR_SENTENCE) for line in lines)
    assert any(line.startswith(CDO_SENTENCE) for line in lines)
    assert "Oberbürgermeisterin Jana Beispiel" in document.text
    assert "Peter Muster, Chief Digital Officer der Stadt Musterhausen" in document.text


def test_html_keeps_photo_captions_in_document_order(tmp_path: Path) -> None:
    document = read_page(tmp_path, municipal_page())

    lines = lines_of(document)
    assert CAPTION in lines
    assert BU_LINE in lines
    mayor = next(index for index, line in enumerate(lines) if line.startswith(MAYOR_SENTENCE))
    cdo = next(index for index, line in enumerate(lines) if line.startswith(CDO_SENTENCE))
    assert mayor < lines.index(CAPTION) < cdo


def test_html_keeps_captions_in_caption_boxes(tmp_path: Path) -> None:
    body = f"""
<div class="image-caption">Maria Exempel leitet seit Februar das Amt für Digitalisierung.</div>
<p>{MAYOR_SENTENCE} Maria Exempel folgt auf Karl Vorgänger, der nach zwanzig Jahren in den Ruhestand tritt.</p>
<figure><img src="/uebergabe.jpg" alt="">
  <figcaption><p>Karl Vorgänger übergibt an Maria Exempel.</p><p class="copyright">Foto: Stadt Musterhausen</p></figcaption>
</figure>
<p>{CDO_SENTENCE}</p>
<p class="caption">Jana Beispiel (rechts) mit Maria Exempel vor dem Rathaus.</p>
<div class="bildunterschrift">Das Team des Amts für Digitalisierung.</div>
"""
    document = read_page(tmp_path, municipal_page(body=body))

    lines = lines_of(document)
    for caption in (
        "Maria Exempel leitet seit Februar das Amt für Digitalisierung.",
        "Karl Vorgänger übergibt an Maria Exempel.",
        "Jana Beispiel (rechts) mit Maria Exempel vor dem Rathaus.",
        "Das Team des Amts für Digitalisierung.",
    ):
        assert caption in lines


def test_html_leaves_out_sidebar_teasers(tmp_path: Path) -> None:
    sidebar = """
<aside class="seitenleiste"><h2>Weitere Meldungen</h2>
  <article class="teaser"><figure><img src="/bruecke.jpg"><figcaption>Symbolbild Brückenbau</figcaption></figure>
  <h3><a href="/bruecke">Sanierung der Mühlenbrücke beginnt im April</a></h3>
  <time datetime="2024-04-02">02.04.2024</time></article>
</aside>"""
    document = read_page(tmp_path, municipal_page(after_article=sidebar))

    assert "Mühlenbrücke" not in document.text
    assert "Symbolbild" not in document.text
    assert document.metadata_date == date(2024, 3, 12)


def test_short_html_page_without_navigation(tmp_path: Path) -> None:
    # Below a few hundred characters trafilatura falls back to a dump of the
    # whole page; the page furniture must be gone before that.
    page = f"""<html><head><meta charset="utf-8"></head><body>
<div class="cc-window">{COOKIE_TEXT}. <a href="#">Verstanden</a></div>
<nav><a href="/">Startseite</a> <a href="/presse">Pressemitteilungen</a></nav>
<article><h1>Neuer Digitallotse</h1><p>Max Vorbild ist neuer Digitallotse der Gemeinde.</p></article>
<footer>© 2024 Gemeinde Beispieldorf</footer></body></html>"""

    assert read_page(tmp_path, page).text == "Neuer Digitallotse\nMax Vorbild ist neuer Digitallotse der Gemeinde.\n"


def test_html_page_wrapped_in_a_form(tmp_path: Path) -> None:
    page = municipal_page().replace("<body>", '<body><form id="seitenformular" method="post">')
    page = page.replace("</body>", "</form></body>")

    document = read_page(tmp_path, page)

    assert lines_of(document)[0] == HEADLINE
    assert CAPTION in lines_of(document)
    assert FOOTER_TEXT not in document.text


def test_html_moves_headline_before_a_dateline(tmp_path: Path) -> None:
    start = f'<p class="ort">Musterhausen, 12. März 2024</p>\n<h1>{HEADLINE}</h1>'
    document = read_page(tmp_path, municipal_page(article_start=start))

    lines = lines_of(document)
    assert lines[0] == HEADLINE
    assert lines.count(HEADLINE) == 1


def test_html_headline_outside_the_extracted_text_is_put_first(tmp_path: Path) -> None:
    page = f"""<html><head><meta charset="utf-8"></head><body>
<table><tr><td class="navi"><a href="/">Startseite</a></td>
<td class="inhalt"><h1>Digitalbeauftragte gewählt</h1>
<p>Der Marktgemeinderat hat Sabine Exempel einstimmig zur Digitalbeauftragten des Marktes Beispielstein gewählt.
Sie ist Ansprechpartnerin für das Bürgerportal und die Digitalisierung der Schulen.</p>
<p>{MAYOR_SENTENCE}</p></td></tr></table></body></html>"""
    document = read_page(tmp_path, page)

    assert lines_of(document)[0] == "Digitalbeauftragte gewählt"
    assert "Sabine Exempel einstimmig zur Digitalbeauftragten" in document.text


def test_html_headline_from_og_title_when_there_is_no_h1(tmp_path: Path) -> None:
    page = municipal_page(article_start="").replace(f"<title>{HEADLINE}", "<title>Presse")

    assert lines_of(read_page(tmp_path, page))[0] == HEADLINE


def test_html_site_logo_heading_is_not_the_headline(tmp_path: Path) -> None:
    page = f"""<html><head><meta charset="utf-8"></head><body>
<header><h1 class="logo">Gemeinde Beispieldorf</h1></header>
<div id="inhalt"><h2>Gemeinde bestellt Beauftragten für Digitalisierung</h2>
<p>Der Gemeinderat hat Klaus Vorbild zum Beauftragten für Digitalisierung bestellt. Vorbild leitet bisher das
Hauptamt und soll die Einführung der E-Akte begleiten.</p><p>{MAYOR_SENTENCE}</p></div></body></html>"""
    document = read_page(tmp_path, page)

    assert lines_of(document)[0] != "Gemeinde Beispieldorf"
    assert "Klaus Vorbild zum Beauftragten für Digitalisierung" in document.text


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Leer</title></head><body></body></html>",
        "<html><body><nav><a href='/'>Startseite</a></nav><footer>© 2024 Stadt Musterhausen</footer></body></html>",
        "<html><body><img src='/bild.jpg'><script>var x = 1;</script></body></html>",
        "<!-- nur ein Kommentar -->",
    ],
)
def test_html_without_main_text_is_an_error(tmp_path: Path, page: str) -> None:
    with pytest.raises(IngestError, match=r"^no main text found in HTML$"):
        read_page(tmp_path, page)


def test_empty_html_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"^empty file$"):
        read_page(tmp_path, b"  \n")


def test_binary_file_named_html_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"^binary file \(PDF\), not text$"):
        read_page(tmp_path, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3")


def test_html_with_xml_declaration_and_control_characters(tmp_path: Path) -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + municipal_page().replace("Sprechstunden", "Sprech\x0bstunden")

    document = read_page(tmp_path, page, name="meldung.xhtml.htm")

    assert lines_of(document)[0] == HEADLINE
    assert "Sprechstunden finden" in document.text


# --- charset ----------------------------------------------------------------------------

WINDOWS_PAGE = municipal_page(
    head='<meta charset="windows-1252">',
    body="<p>Der Kreistag wählte Jörg Weiß zum „Beauftragten für Digitales“ – das Budget beträgt 80.000 €.</p>"
    f"<p>{MAYOR_SENTENCE}</p>",
)


def test_html_in_windows_1252_follows_meta_charset(tmp_path: Path) -> None:
    document = read_page(tmp_path, WINDOWS_PAGE, encoding="cp1252")

    assert document.encoding == "cp1252"
    assert "Der Kreistag wählte Jörg Weiß zum „Beauftragten für Digitales“ – das Budget beträgt 80.000 €." in (
        document.text
    )
    assert lines_of(document)[0] == HEADLINE


def test_html_declared_latin_1_is_read_as_windows_1252(tmp_path: Path) -> None:
    declaration = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    page = WINDOWS_PAGE.replace('<meta charset="windows-1252">', declaration)

    document = read_page(tmp_path, page, encoding="cp1252")

    assert document.encoding == "cp1252"
    assert "„Beauftragten für Digitales“" in document.text


def test_html_valid_utf8_wins_over_a_stale_declaration(tmp_path: Path) -> None:
    document = read_page(tmp_path, WINDOWS_PAGE, encoding="utf-8")

    assert document.encoding == "utf-8"
    assert "Jörg Weiß" in document.text


def test_html_declared_utf8_that_is_not_falls_back_to_detection(tmp_path: Path) -> None:
    page = WINDOWS_PAGE.replace('<meta charset="windows-1252">', '<meta charset="utf-8">')

    document = read_page(tmp_path, page, encoding="cp1252")

    assert document.encoding == "cp1252"
    assert "Jörg Weiß" in document.text


def test_html_with_utf8_bom(tmp_path: Path) -> None:
    document = read_page(tmp_path, b"\xef\xbb\xbf" + municipal_page().encode("utf-8"))

    assert document.encoding == "utf-8-sig"
    assert lines_of(document)[0] == HEADLINE


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<meta charset="windows-1252">', "cp1252"),
        (b"<META CHARSET=ISO-8859-15>", "iso8859-15"),
        (b'<meta http-equiv="content-type" content="text/html;charset=iso-8859-1">', "cp1252"),
        (b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<html>', "cp1252"),
        (b'<meta charset="utf-16">', None),
        (b'<meta charset="gibt-es-nicht">', None),
        (b"<title>ohne Angabe</title>", None),
    ],
)
def test_declared_charset(head: bytes, expected: str | None) -> None:
    assert declared_charset(head + b"<p>Text</p>") == expected


# --- stated publication date -------------------------------------------------------------


def test_html_date_from_article_published_time(tmp_path: Path) -> None:
    assert read_page(tmp_path, municipal_page()).metadata_date == date(2024, 3, 12)


def test_html_date_keeps_the_stated_day_whatever_the_time_zone(tmp_path: Path) -> None:
    head = '<meta charset="utf-8"><meta property="article:published_time" content="2024-03-12T23:30:00-05:00">'

    assert read_page(tmp_path, municipal_page(head=head)).metadata_date == date(2024, 3, 12)


JSON_LD_PAGE_AND_ARTICLE = (
    '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
    '{"@type": "WebPage", "datePublished": "2019-01-01"},'
    '{"@type": "NewsArticle", "headline": "Lotsinnen", "datePublished": "2023-11-07T08:30:00+01:00",'
    ' "dateModified": "2024-01-10"}]}</script>'
)


@pytest.mark.parametrize(
    ("head", "article_start", "expected"),
    [
        (
            JSON_LD_PAGE_AND_ARTICLE,
            "",
            date(2023, 11, 7),
        ),
        ('<meta name="date" content="05.02.2024">', "", date(2024, 2, 5)),
        ('<meta name="DC.date.issued" content="2024-02-05">', "", date(2024, 2, 5)),
        ("", '<p class="meta"><time datetime="2024-01-30T09:00">30. Januar 2024</time></p>', None),
        ("", '<div class="meta"><time datetime="2024-01-30T09:00">30. Januar 2024</time></div>', date(2024, 1, 30)),
        ('<meta property="article:modified_time" content="2024-05-01T10:00:00+02:00">', "", None),
        ('<meta property="article:published_time" content="heute">', "", None),
        ('<meta property="article:published_time" content="2024-02-30">', "", None),
    ],
)
def test_html_date_from_stated_markup_only(
    tmp_path: Path, head: str, article_start: str, expected: date | None
) -> None:
    page = municipal_page(head='<meta charset="utf-8">' + head, article_start=f"<h1>{HEADLINE}</h1>{article_start}")

    assert read_page(tmp_path, page).metadata_date == expected


def test_html_without_a_stated_date_has_none(tmp_path: Path) -> None:
    # A dated URL, a copyright year, a dated image name and dates in the text:
    # all of them date guessers use, none of them a stated publication date.
    page = municipal_page(
        head='<meta charset="utf-8">\n'
        '<link rel="canonical" href="https://www.musterhausen.de/presse/2021/03/15/lotsinnen.html">',
        body=f"<p>{MAYOR_SENTENCE} Am 12.03.2024 stellten sie sich im Rat vor.</p>"
        '<img src="/medien/2023-05-01-lotsinnen.jpg" alt="">'
        "<p>Die nächste Sprechstunde ist am <time datetime='2024-04-02'>2. April</time>.</p>",
    )

    document = read_page(tmp_path, page)

    assert document.metadata_date is None
    assert lines_of(document)[0] == HEADLINE


def test_plain_text_has_no_metadata_date(tmp_path: Path) -> None:
    path = write(tmp_path, "meldung.txt", "Musterhausen, 12.03.2024\nNeue Digitallotsinnen\n")

    assert read(InputFile("meldung", path)).metadata_date is None
