"""The checks on a day of ``main.etl_daily.events_clean``, with Great Expectations 0.18.

Kept apart from Spark: they take a pandas DataFrame, so they can be tried on any small frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations as gx
import pandas as pd

EVENT_TYPES = ["view", "cart", "purchase"]
MAX_AMOUNT = 10_000


@dataclass(frozen=True)
class CheckResult:
    """One expectation and whether the day's data met it."""

    expectation: str
    column: str | None
    success: bool


def check_events(events: pd.DataFrame) -> list[CheckResult]:
    """Every expectation on the day's clean events, met or not."""
    dataset = gx.from_pandas(events)
    checks = [
        ("expect_table_row_count_to_be_between", None, {"min_value": 1}),
        ("expect_column_values_to_not_be_null", "event_id", {}),
        ("expect_column_values_to_be_unique", "event_id", {}),
        ("expect_column_values_to_not_be_null", "user_id", {}),
        ("expect_column_values_to_be_in_set", "event_type", {"value_set": EVENT_TYPES}),
        (
            "expect_column_values_to_be_between",
            "amount",
            {"min_value": 0, "max_value": MAX_AMOUNT},
        ),
    ]
    results = []
    for expectation, column, options in checks:
        arguments = {"column": column, **options} if column else options
        outcome = getattr(dataset, expectation)(**arguments)
        results.append(CheckResult(expectation, column, bool(outcome.success)))
    return results
