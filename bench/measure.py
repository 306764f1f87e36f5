"""What every benchmark here measures with: statement counts by a connection wrapper, and spreads.

Statements are counted with ``connection.execute_wrapper``, never with Django's debug log, which
keeps at most 9,000 queries and silently counts 0 after that. Figures are reported as the median
with the spread (min..max) over interleaved chunks, since one run on a shared 2-core machine moves
by tens of percent.
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any


class StatementCounter:
    """Counts (and keeps) every SQL statement the connection executes while installed."""

    def __init__(self, keep: bool = False) -> None:
        self.count = 0
        self.keep = keep
        self.sql: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        if self.keep:
            self.sql.append(sql)
        return execute(sql, params, many, context)


def spread(values: Sequence[float], fmt: str = "{:.2f}") -> str:
    """``median (min..max)`` of the values, formatted."""
    if not values:
        return "n/a"
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}..{fmt.format(max(values))})"
