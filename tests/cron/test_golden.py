"""Conformance with Quartz 2.3.2, from the jar's own answers (quartz/quartz_golden.json, made by
quartz/generate.sh): every case it answered gives the same fire times here, every expression it
rejected is rejected here, and each deliberate difference is listed below with its reason.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from brickyard.cron import CronExpression, CronSyntaxError, java_timezone, parse_cron
from brickyard.cron.fields import MAX_YEAR

GOLDEN: dict[str, Any] = json.loads(
    (Path(__file__).parent / "quartz" / "quartz_golden.json").read_text(encoding="utf-8")
)
FIRES_PER_CASE: int = GOLDEN["fires_per_case"]
QUIRKS = "quirks"
"""The group of cases.txt that probes Quartz's odd corners."""


@dataclass(frozen=True)
class Case:
    group: str
    expression: str
    timezone: str
    after: str
    fires: list[str]
    quartz_failure: str | None = None


CASES = [Case(**case) for case in GOLDEN["cases"]]
REJECTED: list[dict[str, str]] = GOLDEN["rejected"]


def _ids(cases: list[Case]) -> list[str]:
    return [f"{case.expression}@{case.timezone}@{case.after}" for case in cases]


def _our_fires(expression: CronExpression, case: Case, count: int) -> list[str]:
    """Our next ``count`` fire times after the case's ``after``, chained like the generator."""
    moment: dt.datetime | None = dt.datetime.fromisoformat(case.after).astimezone(
        java_timezone(case.timezone)
    )
    fires: list[str] = []
    while len(fires) < count and moment is not None:
        moment = expression.next_after(moment)
        if moment is not None:
            fires.append(moment.isoformat())
    return fires


def _assert_same_fires(case: Case) -> None:
    wanted = case.fires
    exhausted = len(wanted) < FIRES_PER_CASE
    got = _our_fires(parse_cron(case.expression), case, len(wanted) + 1)
    if exhausted and GOLDEN["max_year"] != MAX_YEAR:
        # The jar ran in another year, so its last year (that year + 100) is not ours: only
        # the fires both sides have can be compared.
        got = got[: len(wanted)]
    assert got[: len(wanted)] == wanted
    if exhausted:
        assert len(got) == len(wanted), "Quartz found no further fire time"


# ------------------------------------------------------------------------------ conformance

MATCHED = [case for case in CASES if case.group != QUIRKS]


@pytest.mark.parametrize("case", MATCHED, ids=_ids(MATCHED))
def test_fire_times_match_quartz(case: Case) -> None:
    assert case.quartz_failure is None
    _assert_same_fires(case)


@pytest.mark.parametrize("case", REJECTED, ids=[case["expression"] for case in REJECTED])
def test_what_quartz_rejects_is_rejected(case: dict[str, str]) -> None:
    with pytest.raises(CronSyntaxError):
        parse_cron(case["expression"])


def test_the_golden_file_covers_what_the_brief_asks_for() -> None:
    groups = {case.group for case in MATCHED}
    assert {"tutorial", "seed", "calendar", "ranges", "years", "dst", "random"} <= groups
    assert sum(case.group == "random" for case in MATCHED) >= 300
    assert {"Europe/Paris", "America/New_York"} <= {c.timezone for c in MATCHED if c.group == "dst"}
    rejected = {case["expression"] for case in REJECTED}
    assert {"0 0 0 * * MON", "0 30 8-17 * * MON-FRI", "0 2 * * *"} <= rejected


# ------------------------------------------------------------------------------- deviations

# Expressions Quartz 2.3.2 accepts that brickyard rejects, each with the reason: the jar reads
# something other than what is written, or crashes, hangs or never fires (the package
# docstring of brickyard.cron numbers them the same way).
REJECTED_HERE = {
    "0 0 0 * * ? * 5": "1: Quartz ignores fields after the 7th",
    "0 0 0 * * ? 2026 extra": "1: Quartz ignores fields after the 7th",
    "0 0 0 * * ? 2026 2027 2028": "1: Quartz ignores fields after the 7th",
    "0 0 0 5X * ?": "2: Quartz drops the X: day 5",
    "*X * * * * ?": "2: Quartz drops the X: every second",
    "0 0 0 ?X * MON": "2: Quartz drops the X",
    "0 0 0 ? * MONDAY": "2: Quartz reads three letters: MON",
    "0 0 0 ? * MON-FRIDAY": "2: Quartz reads three letters: MON-FRI",
    "0 0 0 ? JANUARY *": "2: Quartz reads three letters: JAN",
    "0 0 0 ? * MON-FRI/2": "3: Quartz drops a step after names: Monday to Friday",
    "0 0 0 ? * MON/2": "3: Quartz drops a step after names: Mondays",
    "0 0 0 ? JAN-MAR/2 *": "3: Quartz drops a step after names: January to March",
    "*/0 * * * * ?": "4: Quartz reads step 0 after '*' as every value",
    "0/0 * * * * ?": "4: Quartz reads 0/0 as 0",
    "0 0 0 1-5/0 * ?": "4: Quartz reads 1-5/0 as 1",
    "0 0 0 1-15W * ?": "5: Quartz drops the W: days 1-15",
    "0 0 0 1W,15W * ?": "5: Quartz uses only the first: 1W",
    "0 0 0 ? * 6#3,2": "5: Quartz fires on the third Monday, not Fridays",
    "0 0 0 ? * 2-6#2": "5: Quartz drops the #2: Monday to Friday",
    "0 0 0 ? * 1-6L": "5: Quartz drops the L: Sunday to Friday",
    "0 0 0 ? * LW": "5: Quartz reads it as Saturday",
    "0 0 0 ? * L-3": "5: Quartz reads it as Saturday",
    "0 0 0 L-W * ?": "5: Quartz reads it as LW",
    "0 0 0 ? * 6L#2": "5: Quartz drops the #2: last Friday",
    "0 0 0 15WL * ?": "5: Quartz drops the L: 15W",
    "0 0 0 5-0 * ?": "6: Quartz reads 5-0 as 5-31",
    "0 0 0 ? 5-0 *": "6: Quartz reads 5-0 as May to December",
    "0 0 0 0W * ?": "6: getTimeAfter hangs",
    "0 0 0 ? * 0#2": "6: Quartz fires on Saturdays",
    "0 0 0 ? * 9#2": "6: Quartz never fires",
    "0 99 * * * ?": "6: 99 is Quartz's code for '*': every minute",
    "0 0 0 98 * MON": "6: 98 is Quartz's code for '?'",
    "0 L * * * ?": "7: getTimeAfter throws NoSuchElementException",
    "L * * * * ?": "7: getTimeAfter throws NoSuchElementException",
    "0 0 L * * ?": "7: getTimeAfter throws NoSuchElementException",
    "0 0 0 ? L *": "7: getTimeAfter throws NoSuchElementException",
    "0 0 0 ?,5 * MON": "8: Quartz reads ?,5 as ?",
    "0 0 0 1 1 ? 1800": "9: a year before 1970 never fires",
}

# Accepted here, with other fire times than Quartz's (which hangs): "11" in the docstring.
# L-nW skips months too short for the last day minus n, as L-n does in Quartz.
DIFFERENT_FIRES = {
    "0 0 18 L-30W * ?": ["2026-01-01T18:00:00+00:00", "2026-03-02T18:00:00+00:00"],
    "0 0 18 L-29W * ?": ["2026-01-02T18:00:00+00:00", "2026-03-02T18:00:00+00:00"],
}

QUIRK_CASES = [case for case in CASES if case.group == QUIRKS]


@pytest.mark.parametrize("case", QUIRK_CASES, ids=_ids(QUIRK_CASES))
def test_quirks_are_rejected_or_fixed_or_match_quartz(case: Case) -> None:
    if case.expression in REJECTED_HERE:
        with pytest.raises(CronSyntaxError) as raised:
            parse_cron(case.expression)
        assert str(raised.value)
    elif case.expression in DIFFERENT_FIRES:
        assert case.quartz_failure is not None and case.quartz_failure.startswith("hang")
        wanted = DIFFERENT_FIRES[case.expression]
        # Quartz's answers before it hung are ours too
        assert wanted[: len(case.fires)] == case.fires
        assert _our_fires(parse_cron(case.expression), case, len(wanted)) == wanted
    else:
        assert case.quartz_failure is None
        _assert_same_fires(case)


def test_every_listed_deviation_is_one_quartz_really_has() -> None:
    accepted_by_quartz = {case.expression for case in QUIRK_CASES}
    assert set(REJECTED_HERE) <= accepted_by_quartz
    assert set(DIFFERENT_FIRES) <= accepted_by_quartz
