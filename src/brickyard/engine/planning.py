"""Planning a run's blocked tasks: ready, skipped, cancelled before they start, or (condition
tasks) evaluated inline. The decisions come from the pure :mod:`brickyard.engine.planner`; this
records them in the step's :class:`~brickyard.engine.batch.Batch` and queues what must start.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from brickyard import storage
from brickyard.engine.active_run import ActiveRun, Attempt
from brickyard.engine.batch import Batch
from brickyard.engine.context import task_context
from brickyard.engine.planner import Action, plan
from brickyard.engine.ports import ExecutorLookup
from brickyard.errors import InvalidInputError
from brickyard.executors.condition import ConditionEvaluationError, evaluate_condition
from brickyard.settings import Settings
from brickyard.spec import Task
from brickyard.states import LifeCycleState, ResultState, RunIf, TerminationCode

CLEANUP_RUN_IFS = frozenset({RunIf.ALL_DONE, RunIf.AT_LEAST_ONE_FAILED, RunIf.ALL_FAILED})
"""Tasks that still run after their run was cancelled (they handle failure)."""

_L = LifeCycleState


class TaskPlanning:
    """The planning step of the engine loop."""

    def __init__(
        self, settings: Settings, executors: ExecutorLookup, ready: deque[tuple[int, int]]
    ) -> None:
        self.settings = settings
        self.executors = executors
        self.ready = ready

    def plan(self, run: ActiveRun, batch: Batch, *, now_ms: int) -> None:
        """Decide every blocked task whose dependencies have all finished, cascading through
        skips and condition tasks, and queue the ones to start."""
        finished = set(run.dirty)
        run.dirty.clear()
        while finished:
            candidates = self._blocked_candidates(run, finished)
            if not candidates:
                return
            finished = set()
            for decision in plan(run.dag, run.planner_states(), candidates):
                attempt = run.latest[decision.task_key]
                if decision.action is Action.SKIP:
                    assert decision.result is not None
                    batch.move(
                        run,
                        attempt,
                        _L.SKIPPED,
                        now_ms=now_ms,
                        result=decision.result,
                        message=decision.reason,
                    )
                    finished.add(attempt.task_key)
                elif self._cancelled_before_start(run, run.task(attempt.task_key)):
                    batch.move(
                        run,
                        attempt,
                        _L.TERMINATED,
                        now_ms=now_ms,
                        result=ResultState.CANCELED,
                        message="Not started: the run was cancelled",
                        user_cancelled_or_timedout=True,
                    )
                    finished.add(attempt.task_key)
                elif run.task(attempt.task_key).is_condition:
                    self._evaluate_condition(run, attempt, batch, now_ms=now_ms)
                    finished.add(attempt.task_key)
                else:
                    batch.move(run, attempt, _L.PENDING, now_ms=now_ms)
                    self.ready.append((run.run_id, attempt.task_run_id))

    def _blocked_candidates(self, run: ActiveRun, finished: Iterable[str]) -> set[str]:
        keys: set[str] = set()
        for key in finished:
            if key in run.dag.tasks:
                keys.add(key)
                keys.update(run.dag.dependents(key))
        return {
            key for key in keys if key in run.latest and run.latest[key].life_cycle is _L.BLOCKED
        }

    @staticmethod
    def _cancelled_before_start(run: ActiveRun, task: Task) -> bool:
        if not (run.cancel_requested or run.timed_out):
            return False
        if run.hard_stop or run.timed_out:
            return True
        return not (task.depends_on and task.effective_run_if in CLEANUP_RUN_IFS)

    def _evaluate_condition(
        self, run: ActiveRun, attempt: Attempt, batch: Batch, *, now_ms: int
    ) -> None:
        task = run.task(attempt.task_key)
        batch.move(run, attempt, _L.PENDING, now_ms=now_ms)
        try:
            parameters = self.executors.resolve_parameters(
                task, run.job_parameters, run.overrides, task_context(run, attempt, self.settings)
            )
            assert parameters.condition is not None and task.condition_task is not None
            left, right = parameters.condition
            outcome = evaluate_condition(task.condition_task.op, left, right)
        except (InvalidInputError, ConditionEvaluationError) as error:
            batch.move(
                run,
                attempt,
                _L.TERMINATED,
                now_ms=now_ms,
                result=ResultState.FAILED,
                message=str(error),
                termination_code=TerminationCode.RUN_EXECUTION_ERROR,
                changes=storage.TaskRunChanges(error=str(error), error_code="RunExecutionError"),
            )
            return
        batch.move(
            run,
            attempt,
            _L.TERMINATED,
            now_ms=now_ms,
            result=ResultState.SUCCESS,
            message="",
            changes=storage.TaskRunChanges(
                condition_outcome="true" if outcome else "false",
                resolved_values=parameters.resolved_values,
            ),
        )
