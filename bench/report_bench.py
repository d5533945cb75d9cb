"""Size and speed of the review page (``municipal-roles report``) over a synthetic 10,000-document output.

Usage::

    python bench/report_bench.py                 # 10,000 documents
    python bench/report_bench.py --documents 2000

Running ``extract`` over 10,000 texts only to get tables would take minutes,
so the output is synthesised: the texts of ``bench.make_corpus.generate``
are written as raw files, and each text gives up to ``ROWS_PER_DOCUMENT``
roles rows from its ``Title Firstname Surname`` phrases (evidence and
offsets into the raw file, a category and a municipality drawn with a fixed
seed), plus a tenures table with one tenure per digital row's person. The
tables have the columns ``extract`` writes, so the page is built as it is
for a real run.

Measured: the time to build the page (reading every text, rendering every
row's evidence with displaCy), the file size, and in headless Chromium the
time to first paint and first contentful paint (``performance`` paint
entries, from navigation start), the time until the first page of rows is
shown, and the time one filter (digital only) takes to apply.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: make ``bench`` and ``pipeline`` importable

from bench.make_corpus import TOWNS, generate
from pipeline.output.tables import TableWriter
from pipeline.records import DocumentRow, RoleRow
from pipeline.taxonomy import CATEGORIES, is_digital

DOCUMENTS = 10_000
ROWS_PER_DOCUMENT = 4
SEED = 42
PAGE_LOAD_SECONDS = 120
TITLE_AND_NAME = re.compile(r"(?P<title>[A-ZÄÖÜ][\w-]{3,}) (?P<person>[A-ZÄÖÜ][a-zäöüß]+ [A-ZÄÖÜ][a-zäöüß-]+)")


@dataclass(frozen=True)
class PageFigures:
    documents: int
    rows: int
    build_seconds: float
    megabytes: float
    first_paint_ms: float | None = None
    first_contentful_paint_ms: float | None = None
    rows_shown_ms: float | None = None
    filter_ms: float | None = None


def synthesise_output(folder: Path, n: int, seed: int = SEED) -> Path:
    """Raw texts and documents, roles and tenures tables of ``n`` synthetic documents; returns the output folder."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = random.Random(seed)
    raw = folder / "raw"
    raw.mkdir(parents=True)
    categories = sorted(CATEGORIES)
    documents, roles, tenures = [], [], []
    for index, (name, text) in enumerate(generate(n, seed)):
        path = raw / name
        path.write_text(text, encoding="utf-8", newline="\n")
        doc_id = path.stem
        town = rng.choice(TOWNS)
        published = date(2018, 1, 1) + timedelta(days=rng.randrange(2500))
        documents.append(DocumentRow(doc_id, str(path), text.splitlines()[0], published, "header", town, len(text)))
        for match in list(TITLE_AND_NAME.finditer(text))[:ROWS_PER_DOCUMENT]:
            category = rng.choice(categories)
            start = published - timedelta(days=rng.randrange(3000))
            roles.append(
                RoleRow(
                    doc_id,
                    match["person"],
                    match["title"],
                    category,
                    is_digital(category),
                    f"Stadt {town}",
                    town,
                    published,
                    start.isoformat()[:7],
                    "",
                    rng.choice(("current", "current", "former")),
                    match.group(),
                    match.start(),
                    match.end(),
                    "synthetic",
                )
            )
            if is_digital(category):
                tenures.append(
                    {
                        "person_id": f"p{index}-{match.start()}",
                        "person": match["person"],
                        "role": match["title"],
                        "role_category": category,
                        "digital": True,
                        "organisation": f"Stadt {town}",
                        "municipality": town,
                        "start": start.isoformat()[:7],
                        "end": "",
                        "end_source": "",
                        "first_attested": published,
                        "last_attested": published,
                        "status_at_last": "current",
                        "n_documents": 1,
                        "doc_ids": doc_id,
                        "doc_id": doc_id,
                        "evidence": match.group(),
                        "start_char": match.start(),
                        "end_char": match.end(),
                    }
                )
    out = folder / "output"
    with TableWriter(out) as tables:
        tables.add(documents=documents, roles=roles)
    pq.write_table(pa.Table.from_pylist(tenures), out / "tenures.parquet")
    return out


def chromium_paths() -> tuple[str, str] | None:
    browser = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def browser_figures(page: Path, browser: str, driver_path: str) -> dict[str, float | None]:
    """Paint timings, the time until rows are shown, and one filter's time, in headless Chromium."""
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=driver_path), options=options)
    try:
        driver.set_page_load_timeout(PAGE_LOAD_SECONDS)
        driver.get(page.resolve().as_uri())
        WebDriverWait(driver, PAGE_LOAD_SECONDS).until(lambda d: d.find_element(By.ID, "row-count").text)
        paints = driver.execute_script(
            "return Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]))"
        )
        shown = driver.execute_script(
            "const row = performance.getEntriesByName('rows-shown')[0]; return row ? row.startTime : null"
        )
        filter_ms = driver.execute_script(
            "const box = document.getElementById('filter-digital'); const t = performance.now();"
            "box.click(); return performance.now() - t;"
        )
        return {
            "first_paint_ms": paints.get("first-paint"),
            "first_contentful_paint_ms": paints.get("first-contentful-paint"),
            "rows_shown_ms": shown,
            "filter_ms": filter_ms,
        }
    finally:
        driver.quit()


def measure(n: int = DOCUMENTS) -> PageFigures:
    """Synthesise an output of ``n`` documents, build its page and open it in Chromium when available."""
    from pipeline.report import write_report

    with tempfile.TemporaryDirectory(prefix="bench-report-") as scratch:
        print(f"synthesising an output of {n:,} documents ...", file=sys.stderr)
        out = synthesise_output(Path(scratch), n)
        began = time.perf_counter()
        summary = write_report(out, out / "report.html")
        figures = PageFigures(n, summary.rows, time.perf_counter() - began, summary.bytes / 1e6)
        paths = chromium_paths()
        if paths is None:
            print("no chromium/chromedriver: no browser timings", file=sys.stderr)
            return figures
        return PageFigures(**{**figures.__dict__, **browser_figures(summary.path, *paths)})


def print_figures(figures: PageFigures) -> None:
    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:,.0f} ms"

    print(f"\nReview page (municipal-roles report) over a synthetic output of {figures.documents:,} documents")
    print(f"  rows {figures.rows:,}   build {figures.build_seconds:.1f} s   file {figures.megabytes:.1f} MB")
    print(
        f"  headless Chromium: first paint {ms(figures.first_paint_ms)}, first contentful paint "
        f"{ms(figures.first_contentful_paint_ms)}, first page of rows {ms(figures.rows_shown_ms)}, "
        f"filter 'digital only' {ms(figures.filter_ms)}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=DOCUMENTS, help="documents in the synthetic output")
    args = parser.parse_args(argv)
    if args.documents < 1:
        parser.error("--documents must be positive")
    print_figures(measure(args.documents))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
