"""Scoring a ``roles`` table against a gold file, by the rules of ``ANNOTATION.md``.

A predicted row matches a gold row of the same document when the person
names match (case and white space folded, titles removed) and the
role_category is the same. Rows are counted by that key (document, person,
category): several rows with the same key, on either side, count once.

>>> report = score(predicted_rows, gold_rows)
>>> round(report.digital.f1, 2)
0.87
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

GOLD_COLUMNS = (
    "doc_id",
    "person",
    "role",
    "role_category",
    "digital",
    "organisation",
    "municipality",
    "as_of",
    "start",
    "end",
    "status",
    "evidence",
)
_TITLES = re.compile(r"\b(dr|prof|herr|frau|dipl\.-ing)\.?\s+", re.IGNORECASE)


class GoldFileError(ValueError):
    """A gold or roles file that cannot be scored; the message names file and line."""


@dataclass(frozen=True)
class Counts:
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class Report:
    digital: Counts
    all: Counts
    by_category: dict[str, Counts]
    where: float | None  # share of matched digital rows whose municipality agrees
    when_as_of: float | None
    when_start: float | None  # among matched digital rows whose gold row has a start
    false_positives: list[dict] = field(default_factory=list)
    false_negatives: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "digital": self.digital.as_dict(),
            "all": self.all.as_dict(),
            "by_category": {key: counts.as_dict() for key, counts in sorted(self.by_category.items())},
            "where": self.where,
            "when_as_of": self.when_as_of,
            "when_start": self.when_start,
        }


def normalise_person(name: str) -> str:
    return " ".join(_TITLES.sub("", name).casefold().split())


def _is_digital(row: Mapping[str, str]) -> bool:
    return str(row.get("digital", "")).strip().lower() in {"yes", "true", "1"}


def read_rows(
    path: Path, *, required: Iterable[str] = ("doc_id", "person", "role", "role_category", "digital")
) -> list[dict]:
    """Rows of a gold or roles CSV file, checked for the columns scoring needs.

    Errors name the file and the physical line (multi-line quoted fields count).
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = set(required) - set(reader.fieldnames or ())
            if missing:
                raise GoldFileError(f"{path}:1: missing column(s): {', '.join(sorted(missing))}")
            rows = []
            line = reader.line_num + 1
            for row in reader:
                if None in row:
                    raise GoldFileError(f"{path}:{line}: more fields than the header has")
                if None in row.values():
                    raise GoldFileError(f"{path}:{line}: fewer fields than the header has")
                rows.append(row)
                line = reader.line_num + 1
            return rows
    except OSError as error:
        raise GoldFileError(f"{path}: cannot read: {error}") from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise GoldFileError(f"{path}: not a UTF-8 CSV file: {error}") from error


def score(predicted: list[Mapping[str, str]], gold: list[Mapping[str, str]]) -> Report:
    """Precision, recall and F1 for digital and all roles, and where/when agreement.

    Each (document, person, category) key counts once on each side; where a
    key has several rows, the predicted and gold rows with the most similar
    role titles stand for it in the where/when shares.
    """
    documents = {row["doc_id"] for row in gold}
    predicted = [row for row in predicted if row["doc_id"] in documents]
    pairs, unmatched_predicted, unmatched_gold = _match(predicted, gold)
    predicted_keys = _by_key(predicted)
    gold_keys = _by_key(gold)

    def counts(select) -> Counts:
        return Counts(
            matched=sum(1 for _, gold_row in pairs if select(gold_row)),
            predicted=sum(1 for rows in predicted_keys.values() if select(rows[0])),
            gold=sum(1 for rows in gold_keys.values() if select(rows[0])),
        )

    categories = {row["role_category"] for row in [*predicted, *gold]}
    digital_pairs = [(p, g) for p, g in pairs if _is_digital(g)]
    with_start = [(p, g) for p, g in digital_pairs if g.get("start")]
    return Report(
        digital=counts(_is_digital),
        all=counts(lambda row: True),
        by_category={key: counts(lambda row, key=key: row["role_category"] == key) for key in categories},
        where=_share(digital_pairs, "municipality"),
        when_as_of=_share(digital_pairs, "as_of"),
        when_start=_share(with_start, "start"),
        false_positives=unmatched_predicted,
        false_negatives=unmatched_gold,
    )


def _share(pairs: list[tuple[Mapping, Mapping]], column: str) -> float | None:
    if not pairs:
        return None
    agree = sum(1 for p, g in pairs if (p.get(column) or "").strip() == (g.get(column) or "").strip())
    return agree / len(pairs)


def _by_key(rows: Iterable[Mapping[str, str]]) -> dict[tuple, list]:
    grouped: dict[tuple, list] = defaultdict(list)
    for row in rows:
        grouped[_key(row)].append(row)
    return grouped


def _match(predicted, gold):
    """One pair per key found on both sides (the rows with the most similar role titles); the rest unmatched."""
    gold_by_key = _by_key(gold)
    predicted_by_key = _by_key(predicted)
    pairs, unmatched_predicted, unmatched_gold = [], [], []
    for key in sorted(set(gold_by_key) | set(predicted_by_key)):
        if key not in gold_by_key:
            unmatched_predicted.append(predicted_by_key[key][0])
        elif key not in predicted_by_key:
            unmatched_gold.append(gold_by_key[key][0])
        else:
            pairs.append(
                max(
                    ((p, g) for p in predicted_by_key[key] for g in gold_by_key[key]),
                    key=lambda pair: SequenceMatcher(
                        None, pair[0]["role"].casefold(), pair[1]["role"].casefold()
                    ).ratio(),
                )
            )
    return pairs, unmatched_predicted, unmatched_gold


def _key(row: Mapping[str, str]) -> tuple[str, str, str]:
    return row["doc_id"], normalise_person(row["person"]), row["role_category"]


def format_report(report: Report) -> str:
    """A table for the terminal."""
    lines = [f"{'':<20}{'P':>7}{'R':>7}{'F1':>7}{'match':>7}{'pred':>7}{'gold':>7}"]

    def line(name: str, counts: Counts) -> str:
        return (
            f"{name:<20}{counts.precision:>7.2f}{counts.recall:>7.2f}{counts.f1:>7.2f}"
            f"{counts.matched:>7}{counts.predicted:>7}{counts.gold:>7}"
        )

    lines.append(line("digital roles", report.digital))
    lines.append(line("all roles", report.all))
    lines.append("")
    lines.extend(line(f"  {key}", counts) for key, counts in sorted(report.by_category.items()))
    lines.append("")
    for label, value in (
        ("where (municipality)", report.where),
        ("when (as_of)", report.when_as_of),
        ("when (start)", report.when_start),
    ):
        lines.append(f"{label:<24}{'-' if value is None else f'{value:.2f}':>8}   (matched digital rows)")
    return "\n".join(lines)


def write_misses(report: Report, path: Path) -> None:
    """Every false positive and false negative with its evidence, as CSV."""
    columns = ("kind", "doc_id", "person", "role", "role_category", "digital", "evidence")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for kind, rows in (("false_positive", report.false_positives), ("false_negative", report.false_negatives)):
            for row in sorted(rows, key=lambda r: (r["doc_id"], r["person"])):
                writer.writerow({**row, "kind": kind})
