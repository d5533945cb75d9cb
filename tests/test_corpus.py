"""End-to-end quality floors over the shared dev corpus (``../shared/corpus/dev``).

The corpus is third-party text kept beside the project, not in it: where it is
absent (a user's clone) these tests are skipped with the reason.
"""

from __future__ import annotations

import pytest
from conftest import DEV_CORPUS, GERMEVAL_MODEL

from pipeline.config import Settings
from pipeline.evaluate import read_rows, score
from pipeline.run import extract

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason=f"dev corpus not found at {DEV_CORPUS}"),
]

# Floors over the 74 texts of the grown dev corpus: the generalisation issue's
# targets, reached in both modes (rules only: digital 0.87, all 0.81, where 0.91,
# start 0.83; the stand-in model may cost at most MODEL_TOLERANCE).
DIGITAL_F1_FLOOR = 0.85
ALL_F1_FLOOR = 0.80
WHERE_FLOOR = 0.90
AS_OF_FLOOR = 0.95
START_FLOOR = 0.80
# Statistical entities may not cost more than this against rules only.
MODEL_TOLERANCE = 0.03


def _report(out):
    return score(read_rows(out / "roles.csv"), read_rows(DEV_CORPUS / "gold.csv"))


@pytest.fixture(scope="module")
def rules_only(dev_rules_only_output):
    return _report(dev_rules_only_output)


@pytest.fixture(scope="module")
def germeval(tmp_path_factory):
    if not GERMEVAL_MODEL.is_dir():
        pytest.skip(f"stand-in statistical model not found at {GERMEVAL_MODEL}")
    out = tmp_path_factory.mktemp("model")
    settings = Settings(
        raw_dir=DEV_CORPUS / "raw", out_dir=out, model=str(GERMEVAL_MODEL), manifest=DEV_CORPUS / "manifest.csv"
    )
    summary = extract(settings)
    assert summary.failed == 0, summary.failures
    return _report(out)


@pytest.fixture(scope="module", params=["rules-only", "germeval"])
def report(request):
    return request.getfixturevalue("rules_only" if request.param == "rules-only" else "germeval")


def test_digital_f1(report):
    assert report.digital.f1 >= DIGITAL_F1_FLOOR, report.as_dict()


def test_all_roles_f1(report):
    assert report.all.f1 >= ALL_F1_FLOOR, report.as_dict()


def test_municipality_agreement(report):
    assert report.where >= WHERE_FLOOR, report.as_dict()


def test_as_of_and_start_agreement(report):
    assert report.when_as_of >= AS_OF_FLOOR, report.as_dict()
    assert report.when_start >= START_FLOOR, report.as_dict()


def test_statistical_model_does_not_make_results_worse(rules_only, germeval):
    assert germeval.digital.f1 >= rules_only.digital.f1 - MODEL_TOLERANCE
    assert germeval.all.f1 >= rules_only.all.f1 - MODEL_TOLERANCE
