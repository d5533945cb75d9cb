"""Scale-out: ``--workers`` and the Dask backend give the tables of one process; a dead worker loses no document."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import psutil
import pytest
from conftest import DEV_CORPUS
from typer.testing import CliRunner

import cli
from pipeline.config import DASK_LOCAL_CLUSTER_CONFIG, ConfigError, Settings, read_config
from pipeline.nlp.build import PipelineInfo
from pipeline.output.datasets import DatasetError, place_datasets, read_part, staging_folder, write_part
from pipeline.parallel import BackendError, balanced_chunks, dask_backend, processes
from pipeline.parallel.processes import ProcessPool
from pipeline.parallel.worker import DIED_TWICE, process_chunk
from pipeline.records import DocumentRow, InputFile, MentionRow, RoleRow
from pipeline.run import DocumentResult, OrderedMerge, ProcessedChunk, ProcessedDocument, RunSummary, extract
from pipeline.text.ingest import discover

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("documents", "mentions", "roles")

TEXT = (
    "{day:02d}.05.2024\nNeue Digitallotsin in Kleinwalden\n\n"
    "Die Gemeinde Kleinwalden hat eine neue Digitallotsin: Dr. Mara Feldt-{n} berät ab sofort im Rathaus. "
    "Bürgermeister Tobias Unger-{n} dankte der Leiterin des Amts für IT, Frau Ines Kolbe, für die Vorbereitung.\n"
)


def write_texts(folder: Path, count: int, *, copies: Sequence[int] = ()) -> Path:
    """``count`` texts with invented names; text ``i`` in ``copies`` repeats the text before it (a duplicate)."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        source = index - 1 if index in copies else index
        (folder / f"text_{index:04d}.txt").write_text(TEXT.format(day=source % 28 + 1, n=source), encoding="utf-8")
    return folder


def tables_of(out: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(out / f"{name}.parquet") for name in TABLES}


def assert_same_tables(first: Path, second: Path) -> None:
    """Same rows in the same order: CSV files byte for byte, Parquet tables value for value and type for type."""
    for name in TABLES:
        assert (first / f"{name}.csv").read_bytes() == (second / f"{name}.csv").read_bytes(), name
        pd.testing.assert_frame_equal(
            pd.read_parquet(first / f"{name}.parquet"), pd.read_parquet(second / f"{name}.parquet")
        )


@pytest.fixture(scope="session")
def dask_cluster():
    """One two-worker local cluster for the session (starting one takes seconds), as the dask backend makes it."""
    distributed = pytest.importorskip("distributed")
    import dask

    with dask.config.set(DASK_LOCAL_CLUSTER_CONFIG):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    yield cluster
    cluster.close()


def runs(raw: Path, tmp_path: Path, scheduler: str, **options) -> dict[str, Path]:
    """Tables of one process, of two worker processes and of the dask cluster at ``scheduler``."""
    outs = {}
    for label, parallel in (
        ("one", {}),
        ("workers", {"workers": 2}),
        ("dask", {"backend": "dask", "scheduler": scheduler}),
    ):
        outs[label] = tmp_path / label
        extract(Settings(raw_dir=raw, out_dir=outs[label], **options, **parallel))
    return outs


# --- the ordered merge --------------------------------------------------------


def processed(doc_id: str, digest: str | None, *, roles: int = 0, cached: bool = False) -> ProcessedDocument:
    document = DocumentRow(doc_id, f"texts/{doc_id}.txt", title="Neue Lotsin", n_chars=120)
    rows = [RoleRow(doc_id, f"Person {i}", "Digitallotsin", "digital_pilot", True) for i in range(roles)]
    mentions = [MentionRow(doc_id, "Kleinwalden", "LOC", 0, 11, "gazetteer")]
    return ProcessedDocument(DocumentResult(document, mentions, rows), digest, from_cache=cached)


RULES_ONLY = PipelineInfo("rules-only", None)


def test_the_merge_makes_a_later_text_seen_in_an_earlier_chunk_a_duplicate():
    summary = RunSummary()
    merge = OrderedMerge(summary)
    first = merge.admit(ProcessedChunk([processed("a", "x", roles=2), processed("b", "y", roles=1)], RULES_ONLY, "f"))
    second = merge.admit(ProcessedChunk([processed("c", "x", roles=2, cached=True), processed("d", None)], None, ""))
    assert [result.document.status for result in first + second] == ["ok", "ok", "duplicate", "ok"]
    duplicate = second[0]
    assert (duplicate.document.message, duplicate.document.path) == ("same text as a", "texts/c.txt")
    assert (duplicate.mentions, duplicate.roles) == ([], [])
    assert (summary.documents, summary.duplicates, summary.roles, summary.cached) == (4, 1, 3, 0)
    assert summary.model == "rules-only"


def test_cache_hits_count_only_for_documents_that_are_no_duplicates():
    summary = RunSummary()
    OrderedMerge(summary).admit(ProcessedChunk([processed("a", "x", cached=True), processed("b", "x", cached=True)]))
    assert (summary.cached, summary.duplicates) == (1, 1)


def test_workers_with_different_pipelines_stop_the_run():
    merge = OrderedMerge(RunSummary())
    merge.admit(ProcessedChunk([processed("a", "x")], RULES_ONLY, "one"))
    with pytest.raises(BackendError, match="different pipelines"):
        merge.admit(ProcessedChunk([processed("b", "y")], PipelineInfo("de_core_news_lg", None), "other"))


# --- sharing out ----------------------------------------------------------------


@pytest.mark.parametrize(("count", "size", "workers"), [(0, 64, 2), (5, 64, 2), (1000, 64, 2), (10_000, 250, 4)])
def test_chunks_cover_the_files_in_order_and_shrink_only_at_the_end(count, size, workers):
    files = list(range(count))
    chunks = list(balanced_chunks(files, size, workers=workers))
    assert [item for chunk in chunks for item in chunk] == files
    lengths = [len(chunk) for chunk in chunks]
    assert all(0 < length <= size for length in lengths)
    assert lengths == sorted(lengths, reverse=True)
    assert all(length >= size // 8 for length in lengths[:-1])
    if count >= 4 * size * workers:
        assert lengths[: count // size // 2] == [size] * (count // size // 2)
        assert lengths[-1] < size // 4  # no worker starts a full chunk as the others finish


# --- settings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": -1}, "workers must be 0"),
        ({"backend": "spark"}, "unknown backend 'spark'"),
        ({"scheduler": "tcp://10.0.0.5:8786"}, "needs the dask backend"),
    ],
)
def test_impossible_parallel_settings_are_refused(options, message):
    with pytest.raises(ConfigError, match=message):
        Settings(raw_dir=Path("raw"), **options)


def test_zero_workers_means_one_per_core():
    assert Settings(raw_dir=Path("raw"), workers=0).worker_count == len(os.sched_getaffinity(0))


def test_the_config_file_names_workers_backend_and_scheduler(tmp_path):
    config = tmp_path / "municipal-roles.toml"
    config.write_text('workers = 0\nbackend = "dask"\nscheduler = "tcp://10.0.0.5:8786"\n', encoding="utf-8")
    assert read_config(config) == {"workers": 0, "backend": "dask", "scheduler": "tcp://10.0.0.5:8786"}


@pytest.mark.parametrize(
    "arguments",
    [["--workers", "-2"], ["--backend", "threads"], ["--backend", "processes", "--scheduler", "tcp://10.0.0.5:8786"]],
)
def test_bad_parallel_options_are_usage_errors(tmp_path, arguments):
    result = CliRunner().invoke(cli.app, ["extract", str(ROOT / "raw"), "--out", str(tmp_path / "out"), *arguments])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()


# --- datasets -----------------------------------------------------------------


def test_a_part_is_read_back_as_it_was_written(tmp_path):
    folder = staging_folder(tmp_path)
    result = processed("a", "x", roles=2).result
    write_part(folder, 3, documents=[result.document], mentions=result.mentions, roles=result.roles)
    assert read_part(folder, 3) == ([result.document], result.mentions, result.roles)
    assert (folder / "roles" / "part-00003.parquet").is_file()


def test_new_datasets_replace_the_old_and_a_run_without_them_removes_the_old(tmp_path):
    for run_number in (1, 2):
        folder = staging_folder(tmp_path)
        result = processed(f"run{run_number}", "x").result
        write_part(folder, 0, documents=[result.document], mentions=result.mentions, roles=[])
        place_datasets(tmp_path, folder)
        assert pd.read_parquet(tmp_path / "documents").doc_id.tolist() == [f"run{run_number}"]
    assert not folder.exists()
    place_datasets(tmp_path, None)
    assert not any((tmp_path / name).exists() for name in TABLES)


def test_a_folder_of_a_table_name_that_is_no_dataset_is_left_alone(tmp_path):
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "notes.txt").write_text("meine Notizen", encoding="utf-8")
    with pytest.raises(DatasetError, match="is not a dataset"):
        staging_folder(tmp_path)
    place_datasets(tmp_path, None)
    assert (tmp_path / "roles" / "notes.txt").exists()


# --- the same tables, whoever does the work -------------------------------------


def test_sample_texts_give_the_same_tables_in_every_backend(tmp_path, dask_cluster):
    outs = runs(ROOT / "raw", tmp_path, dask_cluster.scheduler_address)
    assert len(tables_of(outs["one"])["roles"]) > 10
    assert_same_tables(outs["one"], outs["workers"])
    assert_same_tables(outs["one"], outs["dask"])
    for name in TABLES:  # the dataset of each table is that table
        dataset, table = pd.read_parquet(outs["dask"] / name), pd.read_parquet(outs["one"] / f"{name}.parquet")
        pd.testing.assert_frame_equal(dataset, table)


@pytest.mark.corpus
@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason=f"dev corpus not found at {DEV_CORPUS}")
def test_the_dev_corpus_gives_the_same_tables_in_every_backend(tmp_path, dask_cluster):
    outs = runs(DEV_CORPUS / "raw", tmp_path, dask_cluster.scheduler_address, manifest=DEV_CORPUS / "manifest.csv")
    assert_same_tables(outs["one"], outs["workers"])
    assert_same_tables(outs["one"], outs["dask"])


def test_duplicates_across_chunks_and_partitions_are_found_in_input_order(tmp_path, dask_cluster, monkeypatch):
    raw = write_texts(tmp_path / "raw", 9, copies=(3, 6))  # each copy in a later chunk than its original
    monkeypatch.setattr(processes, "WORKER_CHUNK_SIZE", 3)
    monkeypatch.setattr(dask_backend, "DASK_PARTITION_SIZE", 3)
    outs = runs(raw, tmp_path, dask_cluster.scheduler_address)
    statuses = tables_of(outs["one"])["documents"].set_index("doc_id").status
    assert statuses[["text_0003", "text_0006"]].tolist() == ["duplicate", "duplicate"]
    assert_same_tables(outs["one"], outs["workers"])
    assert_same_tables(outs["one"], outs["dask"])
    roles = pd.read_parquet(outs["dask"] / "roles")
    assert not roles.doc_id.isin(["text_0003", "text_0006"]).any()  # the rewritten parts have no rows of duplicates


def test_an_incremental_run_with_workers_equals_a_full_run(tmp_path):
    raw = write_texts(tmp_path / "raw", 6)
    out = tmp_path / "incremental"
    first = extract(Settings(raw_dir=raw, out_dir=out, incremental=True, workers=2))
    (raw / "text_0002.txt").write_text(TEXT.format(day=9, n="neu"), encoding="utf-8")
    second = extract(Settings(raw_dir=raw, out_dir=out, incremental=True, workers=2))
    assert (first.cached, second.cached) == (0, 5)
    extract(Settings(raw_dir=raw, out_dir=tmp_path / "full"))
    assert_same_tables(out, tmp_path / "full")


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path, with its bytes."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("backend", ["workers", "dask"])
def test_an_interrupted_parallel_run_leaves_the_previous_tables_and_datasets(tmp_path, dask_cluster, backend):
    raw, out = write_texts(tmp_path / "raw", 8), tmp_path / "out"
    parallel = {"workers": {"workers": 2}, "dask": {"backend": "dask", "scheduler": dask_cluster.scheduler_address}}
    # a Dask run first, whichever backend is interrupted: its datasets must stay too
    extract(Settings(raw_dir=raw, out_dir=out, backend="dask", scheduler=dask_cluster.scheduler_address))
    before = files_of(out)
    assert "roles/part-00000.parquet" in before and "roles.csv" in before
    for index in range(8):  # the next run would give other rows
        (raw / f"text_{index:04d}.txt").write_text(TEXT.format(day=3, n=f"neu{index}"), encoding="utf-8")
    seen = []

    def interrupt_after_three_documents() -> None:
        seen.append(1)
        if len(seen) == 3:
            raise KeyboardInterrupt  # Ctrl-C while the workers are busy

    with pytest.raises(KeyboardInterrupt):
        extract(Settings(raw_dir=raw, out_dir=out, **parallel[backend]), on_document=interrupt_after_three_documents)
    assert files_of(out) == before  # tables and datasets as they were; no staging folder or temporary file left


def test_the_cli_runs_a_local_dask_cluster_of_its_own(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.app, ["extract", str(ROOT / "raw"), "--out", str(out), "--backend", "dask"])
    assert result.exit_code == 0, result.output
    assert "documents: 6 read, 6 ok" in result.output
    extract(Settings(raw_dir=ROOT / "raw", out_dir=tmp_path / "one"))
    assert_same_tables(tmp_path / "one", out)


def test_the_local_cluster_retries_no_partition_and_its_workers_run_no_profiler(tmp_path):
    distributed = pytest.importorskip("distributed")
    import dask

    with dask_backend.DaskBackend(Settings(raw_dir=tmp_path, out_dir=tmp_path / "out", backend="dask", workers=1)):
        client = distributed.default_client()
        workers = client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
        allowed_failures = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.allowed_failures)
    assert list(workers.values()) == [False]
    assert allowed_failures == 0


def test_the_local_cluster_wakes_its_event_loops_at_most_once_a_second_for_its_own_bookkeeping(tmp_path):
    distributed = pytest.importorskip("distributed")
    bookkeeping = {"tick", "monitor", "memory_monitor"}  # latency, dashboard figures, memory limits

    def timers(server) -> dict[str, float]:
        return {name: timer.callback_time for name, timer in server.periodic_callbacks.items() if name in bookkeeping}

    with dask_backend.DaskBackend(Settings(raw_dir=tmp_path, out_dir=tmp_path / "out", backend="dask", workers=1)):
        client = distributed.default_client()
        (worker,) = client.run(lambda dask_worker: timers(dask_worker)).values()
        scheduler = client.run_on_scheduler(lambda dask_scheduler: timers(dask_scheduler))
        (nanny,) = (timers(nanny) for nanny in client.cluster.workers.values())  # nannies run in this process
    assert worker.keys() == nanny.keys() == bookkeeping
    assert scheduler.keys() == {"tick", "monitor"}
    assert min(*worker.values(), *nanny.values(), *scheduler.values()) >= 1000  # milliseconds


# --- dead workers ---------------------------------------------------------------


def run_and_kill(settings: Settings, worker_pids) -> tuple[RunSummary, int]:
    """Run ``extract`` in a thread and SIGKILL one worker process once the first results are in."""
    done = threading.Event()
    started = threading.Event()
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["summary"] = extract(settings, on_document=started.set)
        finally:
            done.set()

    thread = threading.Thread(target=work)
    thread.start()
    assert started.wait(120), "no document was done"
    assert not done.is_set(), "the run was over before a worker could be killed"
    victim = worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    thread.join(300)
    return outcome["summary"], victim


def test_a_killed_worker_process_loses_no_document(tmp_path, caplog):
    raw = write_texts(tmp_path / "raw", 900)
    before = {child.pid for child in psutil.Process().children()}

    def new_workers() -> list[int]:
        children = psutil.Process().children()
        return [child.pid for child in children if child.pid not in before and "spawn_main" in str(child.cmdline())]

    with caplog.at_level(logging.WARNING):
        summary, _ = run_and_kill(Settings(raw_dir=raw, out_dir=tmp_path / "out", workers=2), new_workers)
    assert any("worker process died" in record.message for record in caplog.records)
    assert (summary.documents, summary.ok) == (900, 900)
    extract(Settings(raw_dir=raw, out_dir=tmp_path / "one"))
    assert_same_tables(tmp_path / "one", tmp_path / "out")


def test_a_killed_dask_worker_loses_no_document(tmp_path, dask_cluster, caplog):
    raw = write_texts(tmp_path / "raw", 900)
    client = pytest.importorskip("distributed").Client(dask_cluster)
    settings = Settings(raw_dir=raw, out_dir=tmp_path / "out", backend="dask", scheduler=dask_cluster.scheduler_address)
    try:
        with caplog.at_level(logging.WARNING):
            summary, _ = run_and_kill(settings, lambda: list(client.run(os.getpid).values()))
    finally:
        client.close()
    assert (summary.documents, summary.ok) == (900, 900)
    extract(Settings(raw_dir=raw, out_dir=tmp_path / "one"))
    assert_same_tables(tmp_path / "one", tmp_path / "out")


def kills_its_worker_on_poison(files: Sequence[InputFile], settings: Settings):
    """A worker task that dies, as from running out of memory, on the document named ``poison``."""
    if any(file.doc_id == "poison" for file in files):
        os.kill(os.getpid(), signal.SIGKILL)
    return process_chunk(files, settings)


def test_a_document_that_kills_its_worker_twice_becomes_an_error_row(tmp_path):
    raw = write_texts(tmp_path / "raw", 5)
    (raw / "poison.txt").write_text(TEXT.format(day=1, n="gift"), encoding="utf-8")
    settings = Settings(raw_dir=raw, out_dir=tmp_path / "out", workers=2)
    files = list(discover(raw))
    with ProcessPool(settings, task=kills_its_worker_on_poison) as pool:
        results = list(pool.results(files, OrderedMerge(RunSummary())))
    statuses = {result.document.doc_id: (result.document.status, result.document.message) for result in results}
    assert statuses.pop("poison") == ("error", DIED_TWICE)
    assert set(statuses.values()) == {("ok", "")}
    assert [result.document.doc_id for result in results] == [file.doc_id for file in files]
