"""Run and task-run states, with their wire values, category sets and the one transition table.

Every enum value is spelled exactly as the Databricks Jobs API spells it. Code never assigns a
life-cycle state directly: it asks :func:`check_transition` (storage does this on every write),
and an illegal transition raises :class:`~brickyard.errors.IllegalTransitionError`.

Job runs and task runs share one life cycle:

``QUEUED`` (waiting for a concurrency slot) -> ``PENDING`` (accepted, about to start) ->
``RUNNING`` -> ``TERMINATING`` (cancel or timeout in progress) -> ``TERMINATED``.
Task runs start ``BLOCKED`` while their dependencies are unfinished, and a retry attempt waits
in ``WAITING_FOR_RETRY``. ``SKIPPED`` ends runs that never ran (concurrency limit, upstream
failure, exclusion, disabled). ``INTERNAL_ERROR`` ends runs that brickyard itself lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from brickyard.errors import IllegalTransitionError


class LifeCycleState(StrEnum):
    """The legacy ``state.life_cycle_state`` of a run or task run (RunLifeCycleState)."""

    QUEUED = "QUEUED"
    """Waiting for the job's ``max_concurrent_runs`` limit to free a slot."""
    PENDING = "PENDING"
    """Accepted and about to start (environment being prepared, process being launched)."""
    RUNNING = "RUNNING"
    """Executing."""
    TERMINATING = "TERMINATING"
    """Being cancelled or timed out; the process group has been signalled."""
    TERMINATED = "TERMINATED"
    """Finished; ``result_state`` says how."""
    SKIPPED = "SKIPPED"
    """Never ran: concurrency limit, upstream failure or cancellation, exclusion, disabled."""
    INTERNAL_ERROR = "INTERNAL_ERROR"
    """Ended because brickyard lost it (orchestrator stopped, process vanished)."""
    BLOCKED = "BLOCKED"
    """A task run waiting for its dependencies to finish."""
    WAITING_FOR_RETRY = "WAITING_FOR_RETRY"
    """A retry attempt waiting for ``min_retry_interval_millis`` to pass."""


class ResultState(StrEnum):
    """The legacy ``state.result_state`` of a finished run or task run (RunResultState)."""

    SUCCESS = "SUCCESS"
    """Completed successfully."""
    FAILED = "FAILED"
    """Completed with an error."""
    TIMEDOUT = "TIMEDOUT"
    """Stopped after reaching its ``timeout_seconds``."""
    CANCELED = "CANCELED"
    """Cancelled at a user's request."""
    MAXIMUM_CONCURRENT_RUNS_REACHED = "MAXIMUM_CONCURRENT_RUNS_REACHED"
    """Skipped because the job already had ``max_concurrent_runs`` active runs."""
    EXCLUDED = "EXCLUDED"
    """Skipped because its ``run_if`` condition (or an if/else branch) excluded it."""
    SUCCESS_WITH_FAILURES = "SUCCESS_WITH_FAILURES"
    """A job run whose leaf tasks succeeded although some other task failed."""
    UPSTREAM_FAILED = "UPSTREAM_FAILED"
    """Skipped because a dependency failed."""
    UPSTREAM_CANCELED = "UPSTREAM_CANCELED"
    """Skipped because a dependency was cancelled."""
    DISABLED = "DISABLED"
    """Skipped because the task (or the parent that made it unreachable) is disabled."""


class StatusState(StrEnum):
    """The v2 ``status.state`` (RunLifecycleStateV2State)."""

    QUEUED = "QUEUED"
    """Waiting for a concurrency slot."""
    PENDING = "PENDING"
    """About to start."""
    RUNNING = "RUNNING"
    """Executing."""
    TERMINATING = "TERMINATING"
    """Being stopped."""
    TERMINATED = "TERMINATED"
    """Finished, whatever the outcome (details in ``termination_details``)."""
    BLOCKED = "BLOCKED"
    """Waiting for dependencies."""
    WAITING = "WAITING"
    """Waiting for a retry."""


class TerminationCode(StrEnum):
    """``status.termination_details.code`` (TerminationCodeCode), the codes brickyard emits."""

    SUCCESS = "SUCCESS"
    """The run completed successfully."""
    SUCCESS_WITH_FAILURES = "SUCCESS_WITH_FAILURES"
    """Leaf tasks succeeded, some other task failed."""
    USER_CANCELED = "USER_CANCELED"
    """A user cancelled the run."""
    CANCELED = "CANCELED"
    """Cancelled by the system (e.g. a timeout)."""
    SKIPPED = "SKIPPED"
    """The run or task never ran."""
    DISABLED = "DISABLED"
    """The task was disabled."""
    INTERNAL_ERROR = "INTERNAL_ERROR"
    """brickyard lost the run or task."""
    DRIVER_ERROR = "DRIVER_ERROR"
    """The task process died without reporting a result."""
    RUN_EXECUTION_ERROR = "RUN_EXECUTION_ERROR"
    """The task's code failed."""
    LIBRARY_INSTALLATION_ERROR = "LIBRARY_INSTALLATION_ERROR"
    """A task library could not be installed."""
    MAX_CONCURRENT_RUNS_EXCEEDED = "MAX_CONCURRENT_RUNS_EXCEEDED"
    """Skipped because of ``max_concurrent_runs``."""
    MAX_JOB_QUEUE_SIZE_EXCEEDED = "MAX_JOB_QUEUE_SIZE_EXCEEDED"
    """The job's queue was full."""
    RESOURCE_NOT_FOUND = "RESOURCE_NOT_FOUND"
    """A notebook, file or package the task names does not exist."""
    INVALID_RUN_CONFIGURATION = "INVALID_RUN_CONFIGURATION"
    """The task cannot run as configured (e.g. a task type brickyard does not run yet)."""


class TerminationType(StrEnum):
    """``status.termination_details.type`` (TerminationTypeType)."""

    SUCCESS = "SUCCESS"
    """Ended normally (success, cancellation, skip)."""
    INTERNAL_ERROR = "INTERNAL_ERROR"
    """brickyard's fault."""
    CLIENT_ERROR = "CLIENT_ERROR"
    """The user's code or configuration failed."""
    CLOUD_FAILURE = "CLOUD_FAILURE"
    """Infrastructure failure."""


class QueueReason(StrEnum):
    """``status.queue_details.code`` (QueueDetailsCodeCode)."""

    MAX_CONCURRENT_RUNS_REACHED = "MAX_CONCURRENT_RUNS_REACHED"
    """The job has ``max_concurrent_runs`` active runs."""
    ACTIVE_RUNS_LIMIT_REACHED = "ACTIVE_RUNS_LIMIT_REACHED"
    """The installation-wide limit of active task runs is reached."""
    ACTIVE_RUN_JOB_TASKS_LIMIT_REACHED = "ACTIVE_RUN_JOB_TASKS_LIMIT_REACHED"
    """Too many active Run Job / For each parent tasks."""


class RunType(StrEnum):
    """How a run was created (RunType)."""

    JOB_RUN = "JOB_RUN"
    """run-now, a schedule or a trigger."""
    SUBMIT_RUN = "SUBMIT_RUN"
    """runs/submit (a one-time run)."""
    WORKFLOW_RUN = "WORKFLOW_RUN"
    """``dbutils.notebook.run`` from inside a task."""


class TriggerType(StrEnum):
    """What started a run (TriggerType)."""

    PERIODIC = "PERIODIC"
    """A cron schedule or periodic trigger."""
    ONE_TIME = "ONE_TIME"
    """run-now, the CLI or runs/submit."""
    RETRY = "RETRY"
    """A retry of a failed run."""
    RUN_JOB_TASK = "RUN_JOB_TASK"
    """A Run Job task of another job."""
    FILE_ARRIVAL = "FILE_ARRIVAL"
    """A file-arrival trigger."""
    TABLE = "TABLE"
    """A table-update trigger."""
    CONTINUOUS = "CONTINUOUS"
    """A continuous job."""
    CONTINUOUS_RESTART = "CONTINUOUS_RESTART"
    """A continuous job restarted after a settings change."""
    JOB_COMPLETION = "JOB_COMPLETION"
    """Another job's completion."""


class RunIf(StrEnum):
    """When a task runs, given its dependencies' outcomes."""

    ALL_SUCCESS = "ALL_SUCCESS"
    """Every dependency succeeded (the default)."""
    AT_LEAST_ONE_SUCCESS = "AT_LEAST_ONE_SUCCESS"
    """At least one dependency succeeded."""
    NONE_FAILED = "NONE_FAILED"
    """No dependency failed and at least one completed."""
    ALL_DONE = "ALL_DONE"
    """Every dependency finished, whatever the outcome."""
    AT_LEAST_ONE_FAILED = "AT_LEAST_ONE_FAILED"
    """At least one dependency failed."""
    ALL_FAILED = "ALL_FAILED"
    """Every dependency failed."""


class ConditionOp(StrEnum):
    """The comparison of a ``condition_task`` (ConditionTaskOp)."""

    EQUAL_TO = "EQUAL_TO"
    """String equality."""
    NOT_EQUAL = "NOT_EQUAL"
    """String inequality."""
    GREATER_THAN = "GREATER_THAN"
    """Numeric >."""
    GREATER_THAN_OR_EQUAL = "GREATER_THAN_OR_EQUAL"
    """Numeric >=."""
    LESS_THAN = "LESS_THAN"
    """Numeric <."""
    LESS_THAN_OR_EQUAL = "LESS_THAN_OR_EQUAL"
    """Numeric <=."""


class RepairType(StrEnum):
    """The kind of a ``repair_history`` item."""

    ORIGINAL = "ORIGINAL"
    """The run as first executed."""
    REPAIR = "REPAIR"
    """A repair of the run."""


# --- category sets -------------------------------------------------------------------------

TERMINAL_LIFE_CYCLE: frozenset[LifeCycleState] = frozenset(
    {LifeCycleState.TERMINATED, LifeCycleState.SKIPPED, LifeCycleState.INTERNAL_ERROR}
)
"""Life-cycle states a run never leaves (except a job run being repaired)."""

ACTIVE_LIFE_CYCLE: frozenset[LifeCycleState] = frozenset(
    {
        LifeCycleState.QUEUED,
        LifeCycleState.PENDING,
        LifeCycleState.RUNNING,
        LifeCycleState.TERMINATING,
        LifeCycleState.BLOCKED,
        LifeCycleState.WAITING_FOR_RETRY,
    }
)
"""Life-cycle states of a run that is not finished."""

PROCESS_LIFE_CYCLE: frozenset[LifeCycleState] = frozenset(
    {LifeCycleState.PENDING, LifeCycleState.RUNNING, LifeCycleState.TERMINATING}
)
"""Task-run states in which a task process may exist."""

SUCCESSFUL_RESULTS: frozenset[ResultState] = frozenset(
    {ResultState.SUCCESS, ResultState.SUCCESS_WITH_FAILURES}
)
"""Results that count as success for notifications and exit codes."""

FAILED_RESULTS: frozenset[ResultState] = frozenset(
    {ResultState.FAILED, ResultState.TIMEDOUT, ResultState.UPSTREAM_FAILED}
)
"""Task results that count as "failed" for ``run_if`` and the run result."""

CANCELED_RESULTS: frozenset[ResultState] = frozenset(
    {ResultState.CANCELED, ResultState.UPSTREAM_CANCELED}
)
"""Task results caused by a cancellation."""

NOT_RUN_RESULTS: frozenset[ResultState] = frozenset(
    {
        ResultState.EXCLUDED,
        ResultState.UPSTREAM_FAILED,
        ResultState.UPSTREAM_CANCELED,
        ResultState.DISABLED,
        ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED,
    }
)
"""Results of runs and task runs that never executed (life cycle ``SKIPPED``)."""

UNSUCCESSFUL_TASK_RESULTS: frozenset[ResultState] = frozenset(
    {
        ResultState.FAILED,
        ResultState.TIMEDOUT,
        ResultState.CANCELED,
        ResultState.UPSTREAM_FAILED,
        ResultState.UPSTREAM_CANCELED,
    }
)
"""Task results that ``rerun_all_failed_tasks`` repairs."""


# --- the transition table -----------------------------------------------------------------

_L = LifeCycleState

TRANSITIONS: Mapping[LifeCycleState | None, frozenset[LifeCycleState]] = {
    # None is "does not exist yet": what a new run or task run may start as.
    None: frozenset({_L.QUEUED, _L.PENDING, _L.BLOCKED, _L.WAITING_FOR_RETRY, _L.SKIPPED}),
    _L.QUEUED: frozenset({_L.PENDING, _L.TERMINATED, _L.SKIPPED, _L.INTERNAL_ERROR}),
    _L.BLOCKED: frozenset({_L.PENDING, _L.SKIPPED, _L.TERMINATED, _L.INTERNAL_ERROR}),
    _L.WAITING_FOR_RETRY: frozenset({_L.PENDING, _L.TERMINATED, _L.INTERNAL_ERROR}),
    _L.PENDING: frozenset(
        {_L.RUNNING, _L.TERMINATING, _L.TERMINATED, _L.SKIPPED, _L.INTERNAL_ERROR}
    ),
    _L.RUNNING: frozenset({_L.TERMINATING, _L.TERMINATED, _L.INTERNAL_ERROR}),
    _L.TERMINATING: frozenset({_L.TERMINATED, _L.INTERNAL_ERROR}),
    # A finished job run goes back to PENDING when it is repaired; finished task runs never
    # move again (a repair or retry creates a new task run).
    _L.TERMINATED: frozenset({_L.PENDING}),
    _L.SKIPPED: frozenset({_L.PENDING}),
    _L.INTERNAL_ERROR: frozenset({_L.PENDING}),
}
"""Allowed life-cycle moves. Leaving a terminal state is allowed only for job runs (repair)."""

RESULTS_BY_TERMINAL_STATE: Mapping[LifeCycleState, frozenset[ResultState]] = {
    _L.TERMINATED: frozenset(
        {
            ResultState.SUCCESS,
            ResultState.SUCCESS_WITH_FAILURES,
            ResultState.FAILED,
            ResultState.TIMEDOUT,
            ResultState.CANCELED,
        }
    ),
    _L.SKIPPED: NOT_RUN_RESULTS | {ResultState.CANCELED},
    _L.INTERNAL_ERROR: frozenset({ResultState.FAILED}),
}
"""Which result state each terminal life-cycle state may carry."""


def check_transition(
    current: LifeCycleState | None,
    target: LifeCycleState,
    result: ResultState | None = None,
    *,
    is_task_run: bool,
) -> None:
    """Raise :class:`IllegalTransitionError` unless ``current -> target`` (with ``result``) is
    legal.

    A terminal target needs a result state that fits it; a non-terminal target takes none.
    Task runs never leave a terminal state.
    """
    allowed = TRANSITIONS[current]
    if target not in allowed or (is_task_run and current in TERMINAL_LIFE_CYCLE):
        kind = "task run" if is_task_run else "run"
        raise IllegalTransitionError(f"a {kind} cannot move from {current} to {target}")
    if target in TERMINAL_LIFE_CYCLE:
        if result is None or result not in RESULTS_BY_TERMINAL_STATE[target]:
            raise IllegalTransitionError(f"{target} cannot carry result state {result}")
    elif result is not None:
        raise IllegalTransitionError(f"{target} is not terminal and cannot carry result {result}")


_STATUS_BY_LIFE_CYCLE: Mapping[LifeCycleState, StatusState] = {
    _L.QUEUED: StatusState.QUEUED,
    _L.PENDING: StatusState.PENDING,
    _L.RUNNING: StatusState.RUNNING,
    _L.TERMINATING: StatusState.TERMINATING,
    _L.TERMINATED: StatusState.TERMINATED,
    _L.SKIPPED: StatusState.TERMINATED,
    _L.INTERNAL_ERROR: StatusState.TERMINATED,
    _L.BLOCKED: StatusState.BLOCKED,
    _L.WAITING_FOR_RETRY: StatusState.WAITING,
}


def status_state(life_cycle: LifeCycleState) -> StatusState:
    """The v2 ``status.state`` that mirrors a legacy life-cycle state."""
    return _STATUS_BY_LIFE_CYCLE[life_cycle]


_TERMINATION_BY_RESULT: Mapping[ResultState, tuple[TerminationCode, TerminationType]] = {
    ResultState.SUCCESS: (TerminationCode.SUCCESS, TerminationType.SUCCESS),
    ResultState.SUCCESS_WITH_FAILURES: (
        TerminationCode.SUCCESS_WITH_FAILURES,
        TerminationType.SUCCESS,
    ),
    ResultState.FAILED: (TerminationCode.RUN_EXECUTION_ERROR, TerminationType.CLIENT_ERROR),
    ResultState.TIMEDOUT: (TerminationCode.CANCELED, TerminationType.CLIENT_ERROR),
    ResultState.CANCELED: (TerminationCode.USER_CANCELED, TerminationType.SUCCESS),
    ResultState.MAXIMUM_CONCURRENT_RUNS_REACHED: (
        TerminationCode.MAX_CONCURRENT_RUNS_EXCEEDED,
        TerminationType.CLIENT_ERROR,
    ),
    ResultState.EXCLUDED: (TerminationCode.SKIPPED, TerminationType.SUCCESS),
    ResultState.UPSTREAM_FAILED: (TerminationCode.SKIPPED, TerminationType.SUCCESS),
    ResultState.UPSTREAM_CANCELED: (TerminationCode.SKIPPED, TerminationType.SUCCESS),
    ResultState.DISABLED: (TerminationCode.DISABLED, TerminationType.SUCCESS),
}


def default_termination(
    life_cycle: LifeCycleState, result: ResultState
) -> tuple[TerminationCode, TerminationType]:
    """The termination code and type that usually go with a terminal state and result.

    Callers pass a more precise code when they know one (``LIBRARY_INSTALLATION_ERROR``,
    ``DRIVER_ERROR``, ``INVALID_RUN_CONFIGURATION``...).
    """
    if life_cycle is LifeCycleState.INTERNAL_ERROR:
        return TerminationCode.INTERNAL_ERROR, TerminationType.INTERNAL_ERROR
    return _TERMINATION_BY_RESULT[result]
