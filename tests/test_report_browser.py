"""The review page in headless Chromium (Selenium): counts, filters, reviews, the gold CSV, untrusted text.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); skipped where they are absent.
The screenshot of the sample run's page goes to ``$REPORT_SCREENSHOT_DIR`` when set, else to the test's tmp folder.
"""

from __future__ import annotations

import csv
import os
import shutil
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cli import app
from pipeline.config import Settings
from pipeline.evaluate import GOLD_COLUMNS, read_rows, score
from pipeline.report import write_report
from pipeline.run import extract
from tests.conftest import ROOT
from tests.report_tables import role_in, write_output, write_tenures
from tests.test_report import HOSTILE, TEXT

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="headless Chromium tests need chromium and chromedriver (apt-get install chromium chromium-driver)",
    ),
]
RUNNER = CliRunner()
WAIT_SECONDS = 10


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400"):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def sample_output(tmp_path_factory) -> Path:
    """The sample run: ``raw/`` of the project, extracted rules-only, with its report."""
    out = tmp_path_factory.mktemp("sample") / "output"
    extract(Settings(raw_dir=ROOT / "raw", out_dir=out))
    write_report(out, out / "report.html")
    return out


def open_page(driver, page: Path) -> None:
    driver.get(page.resolve().as_uri())
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.find_element(By.ID, "row-count").text)


def shown_count(driver) -> int:
    return int(driver.find_element(By.ID, "row-count").text.split(" of ")[0])


def articles(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#rows article.row")


def article(driver, key: str):
    return driver.find_element(By.CSS_SELECTOR, f'#rows article.row[data-key="{key}"]')


def chart_counts(driver, chart: str) -> dict[str, int]:
    """``label: count`` of the bars of an overview chart, read from their SVG titles."""
    titles = [node.get_attribute("textContent") for node in driver.find_elements(By.CSS_SELECTOR, f"#{chart} title")]
    return {label: int(count) for label, count in (title.rsplit(": ", 1) for title in titles)}


def wait_for_download(folder: Path, name: str) -> Path:
    target = folder / name
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if target.exists() and not list(folder.glob("*.crdownload")):
            return target
        time.sleep(0.1)
    raise TimeoutException(f"no {name} in {folder}")


def test_review_the_sample_run_and_evaluate_against_the_downloaded_gold_file(
    browser, sample_output, downloads, tmp_path
):
    roles = pq.read_table(sample_output / "roles.parquet").to_pylist()
    open_page(browser, sample_output / "report.html")
    shot = Path(os.environ.get("REPORT_SCREENSHOT_DIR", tmp_path)) / "report.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(shot)) and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # counts: the rows, the category chart and the documents chart agree with the tables
    assert browser.find_element(By.ID, "row-count").text.startswith(f"{len(roles)} of {len(roles)} rows")
    assert chart_counts(browser, "chart-category") == Counter(row["role_category"] for row in roles)
    documents = pq.read_table(sample_output / "documents.parquet").to_pylist()
    assert chart_counts(browser, "chart-status") == Counter(document["status"] for document in documents)

    # filters
    browser.find_element(By.ID, "filter-digital").click()
    assert shown_count(browser) == sum(row["digital"] for row in roles)
    browser.find_element(By.ID, "filter-digital").click()
    place, in_place = Counter(row["municipality"] for row in roles if row["municipality"]).most_common(1)[0]
    Select(browser.find_element(By.ID, "filter-municipality")).select_by_value(place)
    assert shown_count(browser) == in_place
    assert {a.find_element(By.CSS_SELECTOR, ".row-meta .organisation").text for a in articles(browser)} <= {
        row["organisation"] for row in roles if row["municipality"] == place
    }

    # three rows of one document: wrong, right, and right with a corrected person
    by_document = Counter(key.split("|")[0] for key in (a.get_attribute("data-key") for a in articles(browser)))
    doc_id = next(doc for doc, count in by_document.items() if count >= 3)
    wrong, right, corrected = [
        a.get_attribute("data-key") for a in articles(browser) if a.get_attribute("data-key").startswith(doc_id + "|")
    ][:3]
    article(browser, wrong).find_element(By.CSS_SELECTOR, ".mark-wrong").click()
    article(browser, right).find_element(By.CSS_SELECTOR, ".mark-right").click()
    person = article(browser, corrected).find_element(By.CSS_SELECTOR, ".review-person")
    person.send_keys(Keys.CONTROL, "a")
    person.send_keys("Henrike Aldag")
    browser.find_element(By.TAG_NAME, "h1").click()  # leave the field: its change event fires
    assert "state-wrong" in article(browser, wrong).get_attribute("class")
    assert "state-right" in article(browser, right).get_attribute("class")
    assert "corrected" in article(browser, corrected).get_attribute("class")

    # a missed role in the same document
    article(browser, right).find_element(By.CSS_SELECTOR, ".add-in-document").click()
    form = browser.find_element(By.ID, "add-form")
    form.find_element(By.NAME, "person").send_keys("Jorinde Kattenbusch")
    form.find_element(By.NAME, "role").send_keys("Digitallotsin")
    Select(form.find_element(By.NAME, "role_category")).select_by_value("digital_pilot")
    form.find_element(By.NAME, "start").send_keys("2023-09")
    form.find_element(By.NAME, "evidence").send_keys('Jorinde Kattenbusch, "Digitallotsin", seit September')
    form.find_element(By.ID, "add-save").click()
    assert "Jorinde Kattenbusch" in browser.find_element(By.ID, "added-list").text

    # reviews survive a reload
    counts = browser.find_element(By.ID, "review-counts").text
    assert "2 right (1 corrected), 1 wrong, 1 added" in counts
    open_page(browser, sample_output / "report.html")
    assert browser.find_element(By.ID, "review-counts").text == counts

    browser.find_element(By.ID, "download-gold").click()
    gold_file = wait_for_download(downloads, "gold.csv")
    with gold_file.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == GOLD_COLUMNS
        gold = list(reader)
    by_key = {
        "|".join(str(row[c]) for c in ("doc_id", "start_char", "end_char", "person", "role_category", "role")): row
        for row in roles
    }
    right_row = by_key[right]
    assert [(g["doc_id"], g["person"], g["role_category"]) for g in gold] == [
        (doc_id, right_row["person"], right_row["role_category"]),
        (doc_id, "Henrike Aldag", corrected.split("|")[4]),
        (doc_id, "Jorinde Kattenbusch", "digital_pilot"),
    ]
    assert gold[2]["digital"] == "yes" and gold[2]["start"] == "2023-09" and gold[2]["as_of"]
    assert gold[2]["evidence"] == 'Jorinde Kattenbusch, "Digitallotsin", seit September'

    # evaluate reads it back: the right row matches; the corrected and the added rows are missed; the wrong one is extra
    result = RUNNER.invoke(app, ["evaluate", str(gold_file), str(sample_output), "--json"])
    assert result.exit_code == 0, result.output
    report = score(read_rows(sample_output / "roles.csv"), read_rows(gold_file))
    assert (report.all.matched, report.all.gold) == (1, 3)
    assert {row["person"] for row in report.false_negatives} == {"Henrike Aldag", "Jorinde Kattenbusch"}
    assert wrong.split("|")[3] in {row["person"] for row in report.false_positives}


def test_untrusted_text_shows_as_text_and_runs_nothing(browser, tmp_path):
    rows = [
        role_in(
            "warnung",
            HOSTILE,
            "Sprecherin Mira Quellenbach",
            "Mira Quellenbach",
            "Sprecherin",
            "staff",
            organisation='<a href="javascript:window.__pwned = 5">Stadt</a>',
        ),
        role_in(
            "warnung",
            HOSTILE,
            HOSTILE.splitlines()[2][:90],
            '<img src=x onerror="window.__pwned = 4">',
            "Sprecherin</textarea>",
            "staff",
            rule="\"quoted\" 'rule'",
        ),
    ]
    out = write_output(tmp_path, {"warnung": HOSTILE}, rows)
    write_report(out, out / "report.html")
    open_page(browser, out / "report.html")
    assert browser.execute_script("return window.__pwned") is None
    assert browser.title.startswith("Review:") and "pwned" not in browser.title
    assert browser.find_elements(By.CSS_SELECTOR, "img, iframe, textarea:not([name])") == []
    assert all(
        link.get_attribute("href").split("#")[1].startswith("doc=")
        for link in browser.find_elements(By.CSS_SELECTOR, "#rows a")
    )
    page_text = browser.find_element(By.ID, "rows").text
    assert '<img src=x onerror="window.__pwned = 4">' in page_text  # the person, as text
    assert '<a href="javascript:window.__pwned = 2">klick</a> </script>' in page_text  # the evidence, as text
    browser.find_element(By.CSS_SELECTOR, "#rows a.open-text").click()
    body = browser.find_element(By.ID, "text-body")
    WebDriverWait(browser, WAIT_SECONDS).until(lambda d: body.text)
    assert "</textarea><script>window.__pwned = 1;" in body.text
    assert [child.tag_name for child in body.find_elements(By.CSS_SELECTOR, "*")] == ["mark"]
    assert body.find_element(By.TAG_NAME, "mark").text == "Sprecherin Mira Quellenbach"
    assert browser.execute_script("return window.__pwned") is None


def test_a_missing_text_and_an_output_without_roles(browser, tmp_path):
    row = role_in("weg", TEXT, "Bürgermeister Dr. Tobias Wendrich", "Tobias Wendrich", "Bürgermeister", "mayor")
    out = write_output(tmp_path / "missing", {"weg": TEXT}, [row], missing=("weg",))
    write_report(out, out / "report.html")
    open_page(browser, out / "report.html")
    shown = articles(browser)[0]
    marks = shown.find_elements(By.CSS_SELECTOR, ".evidence mark.entity")
    assert [mark.text for mark in marks] == ["BürgermeisterTITLE", "Tobias WendrichPERSON"]  # the evidence alone
    assert "text unavailable" in shown.find_element(By.CSS_SELECTOR, ".row-meta").text

    empty = write_output(tmp_path / "empty", {"leer": TEXT}, [])
    write_report(empty, empty / "report.html")
    open_page(browser, empty / "report.html")
    assert browser.find_element(By.ID, "no-roles").is_displayed()
    assert not browser.find_element(By.ID, "filters").is_displayed()
    assert articles(browser) == []


def test_the_timeline_draws_digital_tenures_per_municipality_with_open_bars_for_current_ones(browser, tmp_path):
    row = role_in(
        "a", TEXT, "Jasmin Oberkamp", "Jasmin Oberkamp", "Digitallotsin", "digital_pilot", municipality="Lindenhöhe"
    )
    out = write_output(tmp_path, {"a": TEXT}, [row], municipality={"a": "Lindenhöhe"})
    day = date(2024, 5, 6)

    def tenure(person, role, category, place, start, end, status):
        return {
            "person": person,
            "role": role,
            "role_category": category,
            "digital": category != "mayor",
            "municipality": place,
            "start": start,
            "end": end,
            "first_attested": day,
            "last_attested": day,
            "status_at_last": status,
        }

    write_tenures(
        out,
        [
            tenure("Jasmin Oberkamp", "Digitallotsin", "digital_pilot", "Lindenhöhe", "2021-03", "", "current"),
            tenure("Wolf Renkhoff", "IT-Leiter", "it_head", "Lindenhöhe", "2016", "2021-02", "former"),
            tenure("Tobias Wendrich", "Bürgermeister", "mayor", "Lindenhöhe", "2019", "", "current"),
            tenure("Ilka Sönnichsen", "CDO", "cdo", "Talbrück", "", "", "current"),
        ],
    )
    write_report(out, out / "report.html")
    open_page(browser, out / "report.html")
    figures = browser.find_elements(By.CSS_SELECTOR, "#timeline figure")
    assert [figure.find_element(By.TAG_NAME, "figcaption").text for figure in figures] == ["Lindenhöhe", "Talbrück"]
    lindenhoehe = figures[0]
    labels = [
        node.get_attribute("textContent") for node in lindenhoehe.find_elements(By.CSS_SELECTOR, "g.tenure > text")
    ]
    assert labels == ["Wolf Renkhoff — IT-Leiter", "Jasmin Oberkamp — Digitallotsin"]  # the mayor is not digital
    former, current = lindenhoehe.find_elements(By.CSS_SELECTOR, "g.tenure")
    assert "open" in current.get_attribute("class") and current.find_elements(By.CSS_SELECTOR, "path.arrow")
    assert "open" not in former.get_attribute("class") and not former.find_elements(By.CSS_SELECTOR, "path.arrow")
    assert float(former.find_element(By.TAG_NAME, "rect").get_attribute("x")) < float(
        current.find_element(By.TAG_NAME, "rect").get_attribute("x")
    )
    unknown_start = figures[1].find_element(By.CSS_SELECTOR, "g.tenure")
    assert "start-unknown" in unknown_start.get_attribute("class")  # drawn from its first attestation
    Select(browser.find_element(By.ID, "filter-municipality")).select_by_value("Lindenhöhe")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline figure")) == 1
