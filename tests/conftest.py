"""Shared fixtures: one rules-only pipeline per test session (building it takes seconds)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy

from pipeline.config import Settings
from pipeline.link.holders import link_roles
from pipeline.link.places import document_municipality
from pipeline.link.roles import load_category_rules
from pipeline.nlp.build import add_rule_components
from pipeline.records import CleanDocument, RoleRow
from pipeline.run import extract

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev"
GERMEVAL_MODEL = SHARED / "models" / "de_ner_germeval"


def rules_only_pipeline(pattern_dirs: tuple[Path, ...] = ()):
    """A blank German pipeline with the rule components (and user pattern folders): what runs without any model."""
    pipeline = spacy.blank("de")
    pipeline.add_pipe("punctuation_sentences")
    return add_rule_components(pipeline, pattern_dirs=pattern_dirs)


def roles_of(text: str, nlp, rules, *, published: date | None = None) -> list[RoleRow]:
    """Role rows of a short text, as the link stage gives them."""
    doc = nlp(text)
    document = CleanDocument("test", Path("test.txt"), text, text, list(range(len(text) + 1)))
    return link_roles(doc, document, published=published, rules=rules, municipality=document_municipality(doc))


@pytest.fixture(scope="session")
def nlp():
    return rules_only_pipeline()


@pytest.fixture(scope="session")
def rules():
    return load_category_rules()


@pytest.fixture
def extract_roles(nlp, rules):
    """Role rows of a short text, as the link stage gives them."""

    def run(text: str, *, published: date | None = None) -> list[RoleRow]:
        return roles_of(text, nlp, rules, published=published)

    return run


def write_file(path: Path, content: str | bytes) -> Path:
    """Write a test input file (text as UTF-8, bytes as they are), creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def pairs(rows: list[RoleRow]) -> set[tuple[str, str]]:
    return {(row.person, row.role_category) for row in rows}


@pytest.fixture(scope="session")
def dev_rules_only_output(tmp_path_factory) -> Path:
    """The tables of one rules-only run over ``../shared/corpus/dev`` with its manifest, shared by the corpus tests."""
    if not DEV_CORPUS.is_dir():
        pytest.skip(f"dev corpus not found at {DEV_CORPUS}")
    out = tmp_path_factory.mktemp("dev-rules")
    summary = extract(Settings(raw_dir=DEV_CORPUS / "raw", out_dir=out, manifest=DEV_CORPUS / "manifest.csv"))
    assert summary.failed == 0, summary.failures
    return out


ACROSS_DATA = ROOT / "tests" / "data" / "across"


@pytest.fixture(scope="session")
def across_output(tmp_path_factory) -> Path:
    """The tables of a rules-only run over the invented texts of tests/data/across (three towns, 2019-2024)."""
    out = tmp_path_factory.mktemp("across")
    summary = extract(Settings(raw_dir=ACROSS_DATA / "raw", out_dir=out, manifest=ACROSS_DATA / "manifest.csv"))
    assert summary.failed == 0, summary.failures
    return out
