"""The evaluator table: which kinds are evaluated, and what happens to the others."""

from __future__ import annotations

import logging

import pytest

from brickyard.spec.triggers import TriggerKind
from brickyard.triggers.evaluators import EVALUATORS, UNEVALUATED
from support.trigger_harness import START, Triggers, ms


def test_every_kind_is_either_evaluated_or_known_to_be_ignored() -> None:
    assert EVALUATORS.keys() == {
        TriggerKind.SCHEDULE,
        TriggerKind.PERIODIC,
        TriggerKind.FILE_ARRIVAL,
        TriggerKind.CONTINUOUS,
    }
    assert {TriggerKind.TABLE_UPDATE, TriggerKind.JOB_COMPLETION, TriggerKind.MODEL} == UNEVALUATED


def test_a_trigger_brickyard_does_not_evaluate_is_logged_once_and_left_alone(
    triggers: Triggers, caplog: pytest.LogCaptureFixture
) -> None:
    job_id = triggers.create_job(trigger={"table_update": {"table_names": ["c.s.t"]}})
    with caplog.at_level(logging.WARNING, logger="brickyard.triggers.service"):
        first = triggers.tick_at(START)
        second = triggers.tick_at(ms(START) + 60_000)
    assert (first.evaluated, first.run_ids, second.evaluated) == (1, (), 0)
    assert triggers.trigger(job_id).due_time is None
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"job {job_id}: table_update triggers are not evaluated by brickyard; "
        "the trigger is ignored"
    ]
