"""Stopping tasks: retries that come due, task and job timeouts, and cancellation.

A stopped attempt's process group gets SIGTERM (then SIGKILL); the attempt is recorded as
TERMINATING now and completed, CANCELED or TIMEDOUT, when its process exits. Attempts that
never started end at once.
"""

from __future__ import annotations

from collections import deque

from brickyard.engine.active_run import ActiveRun, Attempt
from brickyard.engine.batch import Batch
from brickyard.engine.ports import Launcher
from brickyard.states import LifeCycleState, ResultState

_L = LifeCycleState


class Stopper:
    """The timer and cancellation steps of the engine loop."""

    def __init__(self, launcher: Launcher, ready: deque[tuple[int, int]]) -> None:
        self.launcher = launcher
        self.ready = ready

    def fire_timers(self, run: ActiveRun, batch: Batch, *, now_ms: int) -> None:
        """Start retries that are due, stop attempts past their timeout, time out the run."""
        job_timeout = int(run.settings.timeout_seconds or 0)
        if job_timeout and not run.timed_out and now_ms >= run.drive_start_ms + job_timeout * 1000:
            run.timed_out = True
            self._stop_all(run, batch, ResultState.TIMEDOUT, now_ms=now_ms)
        stopping = run.cancel_requested or run.timed_out
        for attempt in list(run.timers.values()):
            if attempt.life_cycle is _L.WAITING_FOR_RETRY and (
                (attempt.retry_at or 0) <= now_ms or stopping
            ):
                # A retry created in the step that cancelled its run joins after that step's
                # commit: it is cancelled here, without waiting for its retry_at.
                if stopping:
                    self._cancel_unstarted(run, attempt, batch, now_ms=now_ms)
                else:
                    batch.move(run, attempt, _L.PENDING, now_ms=now_ms, message="")
                    self.ready.append((run.run_id, attempt.task_run_id))
            elif (
                attempt.deadline_ms is not None
                and attempt.deadline_ms <= now_ms
                and attempt.stop_reason is None
                and attempt.life_cycle is _L.RUNNING
            ):
                self._stop(run, attempt, batch, ResultState.TIMEDOUT, now_ms=now_ms)

    def deadlines(self, run: ActiveRun) -> list[int]:
        """Every time at which something is due for ``run``."""
        stopping = run.cancel_requested or run.timed_out
        due = [
            0 if stopping else a.retry_at
            for a in run.timers.values()
            if a.life_cycle is _L.WAITING_FOR_RETRY
        ]
        due += [
            a.deadline_ms for a in run.timers.values() if a.deadline_ms and a.stop_reason is None
        ]
        job_timeout = int(run.settings.timeout_seconds or 0)
        if job_timeout and not run.timed_out:
            due.append(run.drive_start_ms + job_timeout * 1000)
        return [d for d in due if d is not None]

    def cancel(self, run: ActiveRun, batch: Batch, *, now_ms: int, hard: bool) -> None:
        """Cancel the run: stop running attempts; unstarted ones end CANCELED, except cleanup
        tasks (ALL_DONE, failure handlers), which still run unless ``hard``."""
        run.cancel_requested = True
        run.hard_stop = run.hard_stop or hard
        self._stop_all(run, batch, ResultState.CANCELED, now_ms=now_ms)

    def cancel_attempt(
        self, run: ActiveRun, attempt: Attempt, batch: Batch, *, now_ms: int
    ) -> None:
        """Cancel one task run; its dependents then see UPSTREAM_CANCELED."""
        if attempt.life_cycle in (_L.RUNNING, _L.TERMINATING):
            self._stop(run, attempt, batch, ResultState.CANCELED, now_ms=now_ms)
        elif attempt.life_cycle in (_L.PENDING, _L.WAITING_FOR_RETRY, _L.BLOCKED):
            self._cancel_unstarted(run, attempt, batch, now_ms=now_ms)

    def _stop_all(self, run: ActiveRun, batch: Batch, reason: ResultState, *, now_ms: int) -> None:
        for attempt in list(run.latest.values()):
            if attempt.life_cycle in (_L.RUNNING, _L.TERMINATING):
                self._stop(run, attempt, batch, reason, now_ms=now_ms)
            elif attempt.life_cycle in (_L.PENDING, _L.WAITING_FOR_RETRY) or (
                attempt.life_cycle is _L.BLOCKED and (run.hard_stop or run.timed_out)
            ):
                self._cancel_unstarted(run, attempt, batch, now_ms=now_ms)
        if run.record.life_cycle_state is _L.RUNNING:
            batch.move_run(
                run,
                _L.TERMINATING,
                message="Timed out" if reason is ResultState.TIMEDOUT else "Cancel requested",
            )

    def _stop(
        self, run: ActiveRun, attempt: Attempt, batch: Batch, reason: ResultState, *, now_ms: int
    ) -> None:
        if attempt.stop_reason is not None:
            return
        attempt.stop_reason = reason
        if attempt.pid is not None:
            self.launcher.terminate_group(attempt.pid)
        if attempt.life_cycle is _L.RUNNING:
            message = "Timed out, stopping" if reason is ResultState.TIMEDOUT else "Cancelling"
            batch.move(run, attempt, _L.TERMINATING, now_ms=now_ms, message=message)

    def _cancel_unstarted(
        self, run: ActiveRun, attempt: Attempt, batch: Batch, *, now_ms: int
    ) -> None:
        batch.move(
            run,
            attempt,
            _L.TERMINATED,
            now_ms=now_ms,
            result=ResultState.CANCELED,
            message="Not started: the run was cancelled"
            if not run.timed_out
            else "Not started: the run timed out",
            user_cancelled_or_timedout=True,
        )
        run.dirty.add(attempt.task_key)
