"""What the loop does to task processes: start them, watch them start, and complete their
attempts (retrying when the policy says so, :mod:`brickyard.engine.retrying`). Planning lives in
:mod:`brickyard.engine.planning`, timers and cancellation in :mod:`brickyard.engine.stopping`,
the run's end in :mod:`brickyard.engine.finishing`.

Every method records its store writes in a :class:`~brickyard.engine.batch.Batch`; the loop
commits the batch before it launches anything or tells anyone.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from pathlib import Path

from brickyard import storage
from brickyard.compute.process import ProcessExit, ProcessStarted, ProcessStartFailed
from brickyard.engine.active_run import ActiveRun, Attempt
from brickyard.engine.batch import Batch
from brickyard.engine.context import task_context
from brickyard.engine.ports import ExecutorLookup, Launcher
from brickyard.engine.retrying import schedule_retry
from brickyard.errors import (
    InvalidInputError,
    LibraryInstallationError,
    TaskLaunchError,
)
from brickyard.executors.base import TaskLaunchRequest, TaskOutcome
from brickyard.executors.outcome import failed_outcome, read_outcome_files
from brickyard.executors.process_plan import files_plan
from brickyard.settings import Settings
from brickyard.states import LifeCycleState, ResultState, TerminationCode
from brickyard.task_protocol import attempt_dir

_L = LifeCycleState


class TaskSteps:
    """The task-level steps of the engine loop."""

    def __init__(
        self,
        *,
        settings: Settings,
        executors: ExecutorLookup,
        launcher: Launcher,
        ready: deque[tuple[int, int]],
        control_socket: Path | None,
    ) -> None:
        self.settings = settings
        self.executors = executors
        self.launcher = launcher
        self.ready = ready
        self.control_socket = control_socket
        self.pids: dict[int, tuple[int, int]] = {}
        """Running task processes: pid -> (job run id, task run id)."""
        self.launching: dict[int, int] = {}
        """Attempts whose process was asked for but has not started yet: task run -> job run."""

    # --- starting -----------------------------------------------------------------------

    def task_dir(self, run: ActiveRun, attempt: Attempt) -> Path:
        """The folder of one attempt: spec, logs, result, executed notebook."""
        return attempt_dir(
            self.settings.runs_root, run.run_id, attempt.task_run_id, attempt.task_key
        )

    def start(self, run: ActiveRun, attempt: Attempt, batch: Batch, *, now_ms: int) -> bool:
        """Prepare and launch one pending attempt. Returns whether a process was started; an
        attempt that cannot start fails at once (and may be retried)."""
        task = run.task(attempt.task_key)
        executor = self.executors.executor_for(task)
        if executor is None:
            self.complete(
                run,
                attempt,
                batch,
                now_ms=now_ms,
                outcome=failed_outcome(
                    self.executors.unsupported_reason(task),
                    TerminationCode.INVALID_RUN_CONFIGURATION,
                ),
            )
            return False
        task_dir = self.task_dir(run, attempt)
        task_dir.mkdir(parents=True, exist_ok=True)
        try:
            parameters = self.executors.resolve_parameters(
                task, run.job_parameters, run.overrides, task_context(run, attempt, self.settings)
            )
            prepared = executor.prepare(
                TaskLaunchRequest(
                    task=task,
                    job_settings=run.settings,
                    parameters=parameters,
                    job_id=run.record.job_id,
                    job_run_id=run.run_id,
                    task_run_id=attempt.task_run_id,
                    attempt_number=attempt.attempt_number,
                    task_dir=task_dir,
                    base_dir=run.base_dir,
                    settings=self.settings,
                    upstream_task_values=run.task_values,
                    job_parameters=run.job_parameters,
                    control_socket=self.control_socket,
                )
            )
            self.launcher.start(prepared.process, attempt.task_run_id)
        except InvalidInputError as error:
            outcome = failed_outcome(str(error), TerminationCode.INVALID_RUN_CONFIGURATION)
        except LibraryInstallationError as error:
            outcome = failed_outcome(str(error), TerminationCode.LIBRARY_INSTALLATION_ERROR)
        except TaskLaunchError as error:
            outcome = failed_outcome(str(error), TerminationCode(error.termination_code))
        except OSError as error:
            outcome = failed_outcome(
                f"could not start the task process: {error}", TerminationCode.DRIVER_ERROR
            )
        else:
            # RUNNING (with the pid) is committed when the launcher reports the start: waiting
            # for the fork server's answer here would put it on every task's critical path.
            attempt.plan = prepared
            attempt.task_dir = str(task_dir)
            attempt.resolved_values = parameters.resolved_values
            self.launching[attempt.task_run_id] = run.run_id
            return True
        attempt.task_dir = str(task_dir)
        self.complete(run, attempt, batch, now_ms=now_ms, outcome=outcome)
        return False

    def on_started(
        self, runs: Mapping[int, ActiveRun], event: ProcessStarted, batch: Batch, *, now_ms: int
    ) -> None:
        """A process asked for by :meth:`start` runs: the attempt becomes RUNNING."""
        run_id = self.launching.pop(event.token, None)
        run = runs.get(run_id) if run_id is not None else None
        attempt = run.attempts.get(event.token) if run else None
        pid = event.process.pid
        if run is None or attempt is None or attempt.life_cycle is not _L.PENDING:
            self.launcher.terminate_group(pid)  # cancelled while it was starting
            return
        task = run.task(attempt.task_key)
        if task.timeout_seconds:
            attempt.deadline_ms = now_ms + int(task.timeout_seconds) * 1000
        self.pids[pid] = (run.run_id, attempt.task_run_id)
        batch.move(
            run,
            attempt,
            _L.RUNNING,
            now_ms=now_ms,
            changes=storage.TaskRunChanges(
                pid=pid,
                process_start=event.process.process_start,
                task_dir=attempt.task_dir,
                resolved_values=attempt.resolved_values,
            ),
        )

    def on_start_failed(
        self, runs: Mapping[int, ActiveRun], event: ProcessStartFailed, batch: Batch, *, now_ms: int
    ) -> None:
        """A process asked for by :meth:`start` could not start: the attempt fails."""
        run_id = self.launching.pop(event.token, None)
        run = runs.get(run_id) if run_id is not None else None
        attempt = run.attempts.get(event.token) if run else None
        if run is None or attempt is None or attempt.life_cycle is not _L.PENDING:
            return
        self.complete(
            run,
            attempt,
            batch,
            now_ms=now_ms,
            outcome=failed_outcome(event.message, TerminationCode.DRIVER_ERROR),
        )

    def adopt(self, run: ActiveRun, attempt: Attempt, pid: int, process_start: int | None) -> None:
        """Watch a task process that outlived the engine that started it."""
        self.pids[pid] = (run.run_id, attempt.task_run_id)
        task = run.task(attempt.task_key)
        if task.timeout_seconds:
            attempt.deadline_ms = attempt.start_time + int(task.timeout_seconds) * 1000
            run.refresh(attempt, was_terminal=False)
        self.launcher.adopt(pid, process_start)

    # --- completing ---------------------------------------------------------------------

    def on_exit(
        self, runs: Mapping[int, ActiveRun], exit_: ProcessExit, batch: Batch, *, now_ms: int
    ) -> None:
        """A task process ended: read its outcome and complete its attempt."""
        entry = self.pids.pop(exit_.pid, None)
        if entry is None:
            return
        run = runs.get(entry[0])
        attempt = run.attempts.get(entry[1]) if run else None
        if run is None or attempt is None or attempt.is_terminal:
            return
        self.complete(
            run,
            attempt,
            batch,
            now_ms=now_ms,
            outcome=self.read_outcome(run, attempt, exit_.status),
        )

    def read_outcome(self, run: ActiveRun, attempt: Attempt, status: int | None) -> TaskOutcome:
        """The outcome an attempt's process left behind (also for adopted processes)."""
        plan = attempt.plan
        if plan is None:  # adopted or recovered: its files are in the standard places
            task_dir = Path(attempt.task_dir) if attempt.task_dir else self.task_dir(run, attempt)
            plan = files_plan(task_dir)
        executor = self.executors.executor_for(run.task(attempt.task_key))
        if executor is not None:
            # the type's own reading (its logs, a JAR's exception as the message) either way
            return executor.read_outcome(plan, status)
        return read_outcome_files(plan, status, include_logs=False)

    def complete(
        self,
        run: ActiveRun,
        attempt: Attempt,
        batch: Batch,
        *,
        now_ms: int,
        outcome: TaskOutcome,
        life_cycle: LifeCycleState = _L.TERMINATED,
        retry: bool = True,
    ) -> None:
        """Record how an attempt ended; schedule a retry when the policy allows one."""
        task = run.task(attempt.task_key)
        result, message, code = outcome.result, outcome.message, outcome.termination_code
        if attempt.stop_reason is ResultState.TIMEDOUT and result is not ResultState.SUCCESS:
            result, code = ResultState.TIMEDOUT, None
            message = (
                f"Timed out after {task.timeout_seconds or run.settings.timeout_seconds} seconds"
            )
        elif attempt.stop_reason is ResultState.CANCELED and result is not ResultState.SUCCESS:
            result, code, message = ResultState.CANCELED, None, "Cancelled"
        if life_cycle is _L.INTERNAL_ERROR:
            result = ResultState.FAILED
        start = attempt.start_time or now_ms
        attempt.plan = None
        attempt.deadline_ms = None
        batch.move(
            run,
            attempt,
            life_cycle,
            now_ms=now_ms,
            result=result,
            message=message,
            termination_code=code,
            user_cancelled_or_timedout=result in (ResultState.CANCELED, ResultState.TIMEDOUT),
            changes=storage.TaskRunChanges(
                exit_value=outcome.exit_value,
                exit_value_truncated=outcome.exit_value_truncated,
                error=outcome.error,
                error_trace=outcome.error_trace,
                error_code=outcome.error_code,
                logs=outcome.logs,
                logs_truncated=outcome.logs_truncated,
                execution_duration=max(0, now_ms - start),
                start_time=start,
            ),
        )
        batch.set_task_values(run, attempt, outcome.task_values)
        if retry and schedule_retry(
            run,
            attempt,
            life_cycle=life_cycle,
            result=result,
            code=code,
            batch=batch,
            now_ms=now_ms,
        ):
            return
        run.dirty.add(attempt.task_key)
