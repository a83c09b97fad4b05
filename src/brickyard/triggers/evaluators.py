"""Which evaluator decides each kind of trigger: one table, from which the kinds brickyard
stores but does not evaluate follow.

Every evaluator takes the stored trigger, ``now`` and the few things it may read besides
(:class:`EvaluationInputs`), and returns an :class:`~brickyard.triggers.outcome.Outcome`; the
kind modules themselves stay pure, so the reads they need (a continuous job's runs) happen
here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, TypeAlias

from sqlalchemy import Connection

from brickyard import storage
from brickyard.errors import NotFoundError
from brickyard.settings import Settings
from brickyard.spec.triggers import TriggerKind
from brickyard.triggers.continuous import RUN_KEY, evaluate_continuous
from brickyard.triggers.file_arrival import evaluate_file_arrival
from brickyard.triggers.outcome import Outcome
from brickyard.triggers.periodic import evaluate_periodic
from brickyard.triggers.schedule import evaluate_schedule


@dataclass(frozen=True)
class EvaluationInputs:
    """What an evaluator may consult besides the trigger row: the settings (file-arrival poll
    interval, the home that ``/Volumes/`` maps into) and the store (a continuous job's runs)."""

    settings: Settings
    database: storage.Database


Evaluator: TypeAlias = Callable[[storage.JobTriggerRecord, int, EvaluationInputs], Outcome]
"""``(trigger, now_ms, inputs) -> Outcome``."""


def _schedule(record: storage.JobTriggerRecord, now_ms: int, _: EvaluationInputs) -> Outcome:
    return evaluate_schedule(record, now_ms)


def _periodic(record: storage.JobTriggerRecord, now_ms: int, _: EvaluationInputs) -> Outcome:
    return evaluate_periodic(record, now_ms)


def _file_arrival(
    record: storage.JobTriggerRecord, now_ms: int, inputs: EvaluationInputs
) -> Outcome:
    return evaluate_file_arrival(record, now_ms, settings=inputs.settings)


def _continuous(record: storage.JobTriggerRecord, now_ms: int, inputs: EvaluationInputs) -> Outcome:
    with inputs.database.read() as conn:
        active = storage.list_active_runs(conn, job_id=record.job_id)
        previous = _read_run(conn, record.state.get(RUN_KEY))
    return evaluate_continuous(record, now_ms, active=active, previous=previous)


EVALUATORS: Final[Mapping[TriggerKind, Evaluator]] = MappingProxyType(
    {
        TriggerKind.SCHEDULE: _schedule,
        TriggerKind.PERIODIC: _periodic,
        TriggerKind.FILE_ARRIVAL: _file_arrival,
        TriggerKind.CONTINUOUS: _continuous,
    }
)
"""The evaluator of each kind of trigger brickyard runs."""

UNEVALUATED: Final = frozenset(TriggerKind) - EVALUATORS.keys()
"""Kinds brickyard stores (and the API returns) but does not evaluate: the service looks at
such a trigger once, logs that it is ignored, and leaves it until its settings change."""


def _read_run(conn: Connection, run_id: object) -> storage.RunRecord | None:
    if not isinstance(run_id, int):
        return None
    try:
        return storage.read_run(conn, run_id)
    except NotFoundError:
        return None
