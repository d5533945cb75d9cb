"""Shared fixtures: one rules-only pipeline per test session (building it takes seconds)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy

from pipeline.link.holders import link_roles
from pipeline.link.places import document_municipality
from pipeline.link.roles import load_category_rules
from pipeline.nlp.build import add_rule_components
from pipeline.records import CleanDocument, RoleRow

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev"
GERMEVAL_MODEL = SHARED / "models" / "de_ner_germeval"


@pytest.fixture(scope="session")
def nlp():
    """A blank German pipeline with the rule components: what runs without any model."""
    pipeline = spacy.blank("de")
    pipeline.add_pipe("sentencizer")
    return add_rule_components(pipeline)


@pytest.fixture(scope="session")
def rules():
    return load_category_rules()


@pytest.fixture
def extract_roles(nlp, rules):
    """Role rows of a short text, as the link stage gives them."""

    def run(text: str, *, published: date | None = None) -> list[RoleRow]:
        doc = nlp(text)
        document = CleanDocument("test", Path("test.txt"), text, text, list(range(len(text) + 1)))
        return link_roles(doc, document, published=published, rules=rules, municipality=document_municipality(doc))

    return run


def pairs(rows: list[RoleRow]) -> set[tuple[str, str]]:
    return {(row.person, row.role_category) for row in rows}
