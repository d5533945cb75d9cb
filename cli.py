"""Command line of municipal-roles.

    municipal-roles extract RAW_DIR [--out DIR] [--model NAME_OR_PATH] [--patterns DIR]...
    municipal-roles evaluate GOLD_CSV OUTPUT_DIR [--json] [--misses FILE] [--min-f1 X]
    municipal-roles report OUTPUT_DIR [--out FILE]   (one HTML page to review the rows and download a gold file)
    municipal-roles patterns check FILE...
    municipal-roles patterns list [--category KEY] [--patterns DIR]...   (patterns and the title lexicon)
    municipal-roles timeline OUTPUT_DIR [--municipality X] [--category K] [--digital] [--person NAME] [--json]
    municipal-roles export OUTPUT_DIR --format popolo --out FILE.json [--manifest FILE]

Also runnable as ``python cli.py ...``.
"""

from __future__ import annotations

import json
import logging
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from pipeline.across import CrossDocumentError, load_tenures
from pipeline.across.popolo import PopoloError, popolo_document, read_source_urls, write_json
from pipeline.across.timeline import TimelineQuery, select, timeline_json, timeline_table
from pipeline.config import (
    CONFIG_FILE_NAME,
    DEFAULT_MODEL,
    MAX_FILE_BYTES,
    SHIPPED_PATTERNS_DIR,
    ConfigError,
    Settings,
    read_config,
)
from pipeline.evaluate import GoldFileError, format_report, read_rows, score, write_misses
from pipeline.nlp.build import ModelNotFoundError
from pipeline.output.datasets import DatasetError
from pipeline.parallel import BackendError
from pipeline.report import ReportError, write_report
from pipeline.rules.cues import load_cues, load_status_cues
from pipeline.rules.lexicon import check_lexicon_file, load_lexicon
from pipeline.rules.patterns import (
    IT_PROVIDER_LABELS,
    IT_PROVIDER_PATTERN_FILE,
    LEXICON_FILES,
    LINK_CUES_FILE,
    ORGANISATION_LABELS,
    STATUS_CUES_FILE,
    PatternError,
    load_role_patterns,
    read_pattern_file,
)
from pipeline.run import RunSummary, count_inputs
from pipeline.run import extract as run_extract
from pipeline.taxonomy import CATEGORIES
from pipeline.text.dates import ManifestError
from pipeline.text.ingest import IngestError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
PROGRESS_THRESHOLD = 20  # documents; shorter runs need no progress bar

app = typer.Typer(
    help="Find who holds which digital role in German municipal press texts, and write tidy tables.",
    no_args_is_help=True,
    add_completion=False,
)
patterns_app = typer.Typer(help="Check and list role-title patterns.", no_args_is_help=True)
app.add_typer(patterns_app, name="patterns")
console = Console(stderr=True)


def _error(message: str) -> None:
    """An error message as it is: no markup, no wrapping, so ``file:line`` stays whole."""
    typer.echo(message, err=True)


def _configure_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s")
    # Its per-page notices ("discarding data") would repeat for every page; errors reach documents.message.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)


@app.command()
def extract(
    raw_dir: Annotated[Path, typer.Argument(help="Folder of press texts (.txt, .md, .html), searched recursively.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the tables (CSV and Parquet).")] = Path("output"),
    model: Annotated[
        str | None,
        typer.Option(
            help=f"spaCy package name or pipeline folder. Default: {DEFAULT_MODEL}, else the best installed "
            "German model, else rules only (with a warning)."
        ),
    ] = None,
    patterns: Annotated[
        list[Path] | None,
        typer.Option(
            "--patterns",
            help="Folder with your own rule files (title_heads/title_domains/title_classes.jsonl, roles.jsonl, "
            "organisations.jsonl, it_providers.jsonl, categories.json, link_cues.json, status_cues.json); repeatable.",
        ),
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(help="CSV with doc_id,published (YYYY-MM-DD): publication dates that win over the text."),
    ] = None,
    incremental: Annotated[
        bool,
        typer.Option(
            help="Process only new or changed files; reuse the rows of the others from the last run in --out."
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes (0: one per core). Default 1; with --backend dask, the local cluster's."),
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(help="Where the documents are processed: processes (this machine, default) or dask."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a running Dask scheduler (tcp://host:8786); implies --backend dask."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            help=f"TOML file with model, patterns, manifest, max_file_bytes, workers, backend, scheduler "
            f"(default: ./{CONFIG_FILE_NAME} "
            "if present). Options given here win; --patterns add to the config's."
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Log errors only; no summary.")] = False,
) -> None:
    """Extract persons, roles, organisations, places and dates into documents, mentions and roles tables.

    Exit codes: 0 all files processed, 1 some files failed (tables still written), 2 usage error.
    """
    _configure_logging(verbose, quiet)
    try:
        configured = _configured(config)
        scheduler = scheduler or configured.get("scheduler")
        settings = Settings(
            raw_dir=raw_dir,
            out_dir=out,
            model=model or configured.get("model"),
            pattern_dirs=(*configured.get("patterns", ()), *(patterns or ())),
            manifest=manifest or configured.get("manifest"),
            incremental=incremental,
            max_file_bytes=configured.get("max_file_bytes", MAX_FILE_BYTES),
            workers=configured.get("workers", 1) if workers is None else workers,
            backend=backend or configured.get("backend") or ("dask" if scheduler else "processes"),
            scheduler=scheduler,
        )
    except ConfigError as error:
        _error(f"error: {error}")
        raise typer.Exit(EXIT_USAGE) from error
    try:
        total = count_inputs(settings)
        with _progress(total, quiet) as advance:
            summary = run_extract(settings, on_document=advance)
    except (IngestError, ManifestError, ModelNotFoundError, PatternError, BackendError, DatasetError) as error:
        _error(f"error: {error}")
        raise typer.Exit(EXIT_USAGE) from error
    if not quiet:
        typer.echo(_summary_text(summary, out), err=True)
        for failure in summary.failures[:10]:
            _error(f"  failed: {failure}")
    raise typer.Exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


def _configured(config: Path | None) -> dict:
    """The settings of ``config``, or of ``./municipal-roles.toml`` when it exists."""
    if config is None:
        default = Path(CONFIG_FILE_NAME)
        return read_config(default) if default.is_file() else {}
    return read_config(config)


def _summary_text(summary: RunSummary, out: Path) -> str:
    cached = f", {summary.cached} from the cache" if summary.cached else ""
    return (
        f"model: {summary.model}\n"
        f"documents: {summary.documents} read, {summary.ok} ok, {summary.skipped} skipped, "
        f"{summary.duplicates} duplicates, {summary.failed} failed{cached}\n"
        f"roles: {summary.roles} found, {summary.digital_roles} digital; "
        f"{summary.persons} persons in {summary.tenures} tenures\n"
        f"time: {summary.seconds:.1f} s  ->  {out}/documents|mentions|roles|tenures .csv/.parquet"
    )


class _progress:
    """A progress bar for long runs; a no-op for short ones."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.enabled = total >= PROGRESS_THRESHOLD and not quiet
        self.total = total
        self._bar: Progress | None = None

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        self._bar = Progress(
            TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console
        )
        self._bar.start()
        task = self._bar.add_task("extract", total=self.total)
        return lambda: self._bar.advance(task)

    def __exit__(self, *exc_info) -> None:
        if self._bar is not None:
            self._bar.stop()


@app.command()
def evaluate(
    gold_csv: Annotated[Path, typer.Argument(help="Gold file in the format of ANNOTATION.md.")],
    output_dir: Annotated[Path, typer.Argument(help="Folder with roles.csv written by extract.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    misses: Annotated[
        Path | None, typer.Option(help="Write every false positive and false negative to this CSV file.")
    ] = None,
    min_f1: Annotated[
        float | None, typer.Option("--min-f1", help="Exit with code 1 when digital-role F1 is below this.")
    ] = None,
) -> None:
    """Score a roles table against a gold file: precision, recall, F1 and where/when agreement."""
    try:
        gold = read_rows(gold_csv)
        predicted = read_rows(output_dir / "roles.csv")
    except GoldFileError as error:
        _error(f"error: {error}")
        raise typer.Exit(EXIT_USAGE) from error
    report = score(predicted, gold)
    typer.echo(json.dumps(report.as_dict(), indent=2) if as_json else format_report(report))
    if misses is not None:
        write_misses(report, misses)
    if min_f1 is not None and report.digital.f1 < min_f1:
        _error(f"digital-role F1 {report.digital.f1:.3f} is below the floor {min_f1:.3f}")
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command()
def timeline(
    output_dir: Annotated[Path, typer.Argument(help="Folder with the tables written by extract.")],
    municipality: Annotated[str | None, typer.Option(help="Only this municipality (e.g. Essen, Kreis Lippe).")] = None,
    category: Annotated[str | None, typer.Option(help="Only this role category (e.g. cdo, it_head).")] = None,
    digital: Annotated[bool, typer.Option("--digital", help="Only digital roles.")] = False,
    person: Annotated[str | None, typer.Option(help="Only persons whose name contains this.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the tenures as JSON.")] = False,
) -> None:
    """Who held which role when, across all documents: the tenures, by municipality and start."""
    if category is not None and category not in CATEGORIES:
        _error(f"unknown category {category!r}; expected one of: {', '.join(sorted(CATEGORIES))}")
        raise typer.Exit(EXIT_USAGE)
    tenures = _tenures_of(output_dir)
    query = TimelineQuery(municipality=municipality, category=category, digital=digital, person=person)
    chosen = select(tenures, query)
    if as_json:
        typer.echo(timeline_json(chosen))
    elif chosen:
        Console().print(timeline_table(chosen))
    else:
        _error(f"no tenures in {output_dir} match" if tenures else f"no tenures in {output_dir}")


class ExportFormat(str, Enum):
    popolo = "popolo"


@app.command()
def export(
    output_dir: Annotated[Path, typer.Argument(help="Folder with the tables written by extract.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write (JSON).")],
    export_format: Annotated[
        ExportFormat, typer.Option("--format", help="popolo: persons, organizations, areas, memberships.")
    ] = ExportFormat.popolo,
    manifest: Annotated[
        Path | None,
        typer.Option(help="CSV with doc_id and url (or a source that is a web address): the memberships' sources."),
    ] = None,
) -> None:
    """Export the tenures in a standard format (Popolo JSON)."""
    tenures = _tenures_of(output_dir)
    try:
        urls = read_source_urls(manifest) if manifest is not None else {}
    except PopoloError as error:
        _error(f"error: {error}")
        raise typer.Exit(EXIT_USAGE) from error
    document = popolo_document(tenures, urls)
    write_json(out, document)
    typer.echo(
        f"{out}: {len(document['persons'])} persons, {len(document['organizations'])} organizations, "
        f"{len(document['memberships'])} memberships ({export_format.value})",
        err=True,
    )


@app.command()
def report(
    output_dir: Annotated[Path, typer.Argument(help="Folder with the tables written by extract.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="The HTML file to write (default: OUTPUT_DIR/report.html).")
    ] = None,
) -> None:
    """Write one self-contained HTML page to review the role rows with their evidence.

    The page shows an overview, every row's sentence with the person and the title highlighted, a timeline
    where the output has a tenures table, filters, and a review that downloads a gold CSV for evaluate.
    """
    target = out or output_dir / "report.html"
    try:
        summary = write_report(output_dir, target)
    except ReportError as error:
        _error(f"error: {error}")
        raise typer.Exit(EXIT_USAGE) from error
    except OSError as error:
        _error(f"error: cannot write {target}: {error.strerror or error}")
        raise typer.Exit(EXIT_USAGE) from error
    unavailable = f", {summary.unavailable} texts unavailable" if summary.unavailable else ""
    typer.echo(
        f"report: {summary.rows} rows of {summary.documents} documents{unavailable}, "
        f"{summary.bytes / 1e6:.1f} MB -> {summary.path}",
        err=True,
    )


def _tenures_of(output_dir: Path):
    """The tenures of a run, or exit 2 with what to do."""
    try:
        loaded = load_tenures(output_dir)
    except CrossDocumentError as error:
        _error(f"error: {error}")
        raise typer.Exit(EXIT_USAGE) from error
    if loaded.computed:
        _error(
            f"note: {output_dir} has no tenures table (an older run); computed from its roles table. "
            "Run extract again to store it."
        )
    return loaded.tenures


@patterns_app.command("check")
def patterns_check(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Rule files to validate: roles.jsonl, organisations.jsonl, it_providers.jsonl, "
            "title_heads.jsonl, title_domains.jsonl, title_classes.jsonl, link_cues.json, status_cues.json."
        ),
    ],
) -> None:
    """Validate rule files; every problem is reported with its file and line."""
    failed = False
    for path in files:
        try:
            typer.echo(f"{path}: {_check_rule_file(path)}")
        except PatternError as error:
            _error(str(error))
            failed = True
    raise typer.Exit(EXIT_USAGE if failed else EXIT_OK)


def _check_rule_file(path: Path) -> str:
    """Validate one rule file by its kind (its name) and say what it holds."""
    if path.name in LEXICON_FILES:
        count = check_lexicon_file(path)
        return f"{count} lexicon entries ok"
    if path.name == STATUS_CUES_FILE:
        load_status_cues([path.parent])
        return "status cues ok"
    if path.name == LINK_CUES_FILE:
        cues = load_cues([path.parent]) if path.parent != SHIPPED_PATTERNS_DIR else load_cues()
        return f"{sum(len(words) for words in cues.words.values())} cue words, {len(cues.weights)} weights ok"
    if "organisation" in path.name:
        labels = ORGANISATION_LABELS
    elif path.name == IT_PROVIDER_PATTERN_FILE:
        labels = IT_PROVIDER_LABELS
    else:
        labels = CATEGORIES
    return f"{len(read_pattern_file(path, labels=labels))} patterns ok"


@patterns_app.command("list")
def patterns_list(
    category: Annotated[str | None, typer.Option(help="Only what can give this role category.")] = None,
    patterns: Annotated[
        list[Path] | None, typer.Option("--patterns", help="User pattern folders to include; repeatable.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help=f"Config file whose patterns to include (default: ./{CONFIG_FILE_NAME}).")
    ] = None,
) -> None:
    """Show the role patterns and the title lexicon that are loaded, with the file and line of each.

    Lines: ``<category> <pattern id> <source>`` for patterns, then ``head <head> <class> <source>``,
    ``domain <word> <group> [label] <source>`` and ``class <class> <categories> <source>`` for the lexicon.
    """
    if category is not None and category not in CATEGORIES:
        _error(f"unknown category {category!r}; expected one of: {', '.join(sorted(CATEGORIES))}")
        raise typer.Exit(EXIT_USAGE)
    try:
        folders = (*_configured(config).get("patterns", ()), *(patterns or ()))
        loaded = load_role_patterns(folders)
        lexicon = load_lexicon(folders)
    except (ConfigError, PatternError) as error:
        _error(str(error))
        raise typer.Exit(EXIT_USAGE) from error
    for pattern in loaded:
        if category is None or pattern.label == category:
            typer.echo(f"{pattern.label:<18} {pattern.id:<40} {pattern.source}")
    classes = {
        name: definition
        for name, definition in lexicon.classes.items()
        if category is None or category == definition.default or category in definition.by_domain.values()
    }
    for head in lexicon.heads:
        if head.title_class in classes:
            typer.echo(f"{'head':<18} {head.head:<26} {head.title_class:<13} {head.source}")
    groups = {
        group
        for definition in classes.values()
        for group, value in definition.by_domain.items()
        if category is None or value == category
    }
    for domain in lexicon.domains:
        if category is None or domain.group in groups:
            group = f"{domain.group} label" if domain.label else domain.group  # a label also stands alone
            typer.echo(f"{'domain':<18} {domain.word:<26} {group:<16} {domain.source}")
    for name, definition in classes.items():
        categories = ", ".join(f"{group}={value}" for group, value in definition.by_domain.items())
        typer.echo(f"{'class':<18} {name:<26} default={definition.default} {categories}  {definition.source}")


if __name__ == "__main__":
    app()
