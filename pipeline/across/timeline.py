"""The timeline: tenures chosen by place, category or person, as a terminal table or JSON.

>>> chosen = select(tenures, TimelineQuery(municipality="wiesenfurt", category="cdo"))
>>> Console().print(timeline_table(chosen))
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from rich.markup import escape
from rich.table import Table

from pipeline.across.persons import fold
from pipeline.records import TenureRow


@dataclass(frozen=True)
class TimelineQuery:
    """Which tenures to show; ``None`` or ``False`` means no restriction."""

    municipality: str | None = None  # the municipality, in any case or umlaut spelling
    category: str | None = None  # a role category key
    digital: bool = False  # digital roles only
    person: str | None = None  # part of the person's name

    def matches(self, tenure: TenureRow) -> bool:
        return (
            (self.municipality is None or fold(self.municipality) == fold(tenure.municipality))
            and (self.category is None or self.category == tenure.role_category)
            and (not self.digital or tenure.digital)
            and (self.person is None or fold(self.person) in fold(tenure.person))
        )


def select(tenures: Sequence[TenureRow], query: TimelineQuery) -> list[TenureRow]:
    """The tenures the query asks for, in their order (municipality, then start)."""
    return [tenure for tenure in tenures if query.matches(tenure)]


def timeline_table(tenures: Sequence[TenureRow]) -> Table:
    """A rich table of tenures; every text from the input is escaped, so ``[b]`` in a name stays ``[b]``."""
    table = Table(header_style="bold")
    table.add_column("municipality")
    table.add_column("role")
    table.add_column("person")
    table.add_column("start", min_width=10)
    table.add_column("end", min_width=10)
    table.add_column("status", min_width=7)
    table.add_column("last text", min_width=10)
    table.add_column("docs", justify="right")
    for tenure in tenures:
        table.add_row(
            escape(tenure.municipality or tenure.organisation or "–"),
            escape(tenure.role),
            escape(tenure.person),
            tenure.start,
            _end(tenure),
            tenure.status_at_last,
            _day(tenure.last_attested),
            str(tenure.n_documents),
        )
    return table


def timeline_json(tenures: Sequence[TenureRow]) -> str:
    """The tenures as a JSON list of objects with the columns of the ``tenures`` table."""
    return json.dumps([asdict(tenure) for tenure in tenures], ensure_ascii=False, indent=2, default=_day)


def _end(tenure: TenureRow) -> str:
    """The end with where it comes from when it is inferred: ``2023-07-01 (successor)``, ``(former)``."""
    if tenure.end_source in ("successor", "former"):
        return f"{tenure.end} ({tenure.end_source})".strip()
    return tenure.end


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""
