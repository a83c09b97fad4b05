"""Crash recovery: runs whose engine is gone are either adopted (their living task processes
watched to the end, the run driven on) or ended with a clear INTERNAL_ERROR.

Nothing is lost and no finished task runs twice: an attempt whose process finished while no
engine watched it is completed from the result file it left behind.
"""

from __future__ import annotations

from pathlib import Path

from brickyard import storage
from brickyard.compute.procfs import is_process_alive
from brickyard.engine.active_run import ActiveRun, Attempt
from brickyard.engine.batch import Batch
from brickyard.engine.identity import EngineIdentity
from brickyard.engine.task_steps import TaskSteps
from brickyard.executors.base import TaskOutcome
from brickyard.states import PROCESS_LIFE_CYCLE, LifeCycleState, ResultState, TerminationCode
from brickyard.task_protocol import ProtocolError, TaskFiles, read_pid_file


def is_orphaned(record: storage.RunRecord, me: EngineIdentity, now_ms: int) -> bool:
    """Whether ``record``'s owning engine is gone (dead on this host, or its lease expired)."""
    if record.owner is None:
        return True
    if record.owner == me.owner:
        return False
    owner = EngineIdentity.parse(record.owner)
    if owner is not None and owner.host == me.host:
        return not owner.is_alive_locally()
    return record.lease_expires_at is None or record.lease_expires_at < now_ms


def recover_run(
    run: ActiveRun,
    batch: Batch,
    *,
    steps: TaskSteps,
    adopt: bool,
    previous_owner: str | None,
    now_ms: int,
) -> None:
    """Settle every unfinished attempt of an orphaned run (see the module docstring)."""
    owner = previous_owner or "unknown"
    if not adopt:
        run.lost_by = owner
    for attempt in list(run.latest.values()):
        if attempt.life_cycle in PROCESS_LIFE_CYCLE:
            _recover_attempt(
                run, attempt, batch, steps=steps, adopt=adopt, owner=owner, now_ms=now_ms
            )
        elif not adopt and not attempt.is_terminal:
            batch.move(
                run,
                attempt,
                LifeCycleState.TERMINATED,
                now_ms=now_ms,
                result=ResultState.CANCELED,
                message=f"Not started: the engine running this run ({owner}) stopped",
            )
            run.dirty.add(attempt.task_key)


def _recover_attempt(
    run: ActiveRun,
    attempt: Attempt,
    batch: Batch,
    *,
    steps: TaskSteps,
    adopt: bool,
    owner: str,
    now_ms: int,
) -> None:
    task_dir = Path(attempt.task_dir) if attempt.task_dir else steps.task_dir(run, attempt)
    pid, start = attempt.pid, attempt.process_start
    if pid is None:
        pid, start = _read_pid_file(task_dir)
    if pid is not None and is_process_alive(pid, start):
        if adopt:
            if attempt.life_cycle is LifeCycleState.PENDING:
                batch.move(
                    run,
                    attempt,
                    LifeCycleState.RUNNING,
                    now_ms=now_ms,
                    changes=storage.TaskRunChanges(
                        pid=pid, process_start=start, task_dir=str(task_dir)
                    ),
                )
            attempt.task_dir = str(task_dir)
            steps.adopt(run, attempt, pid, start)
            return
        steps.launcher.terminate_group(pid)
        _lost(
            run,
            attempt,
            batch,
            steps,
            now_ms,
            (
                f"Stopped during recovery: the engine that ran this task ({owner}) is gone. "
                "Repair the run to run it again."
            ),
        )
        return
    if TaskFiles.of(task_dir).result.exists():
        attempt.task_dir = str(task_dir)
        steps.complete(
            run,
            attempt,
            batch,
            now_ms=now_ms,
            outcome=steps.read_outcome(run, attempt, None),
            retry=adopt,
        )
        return
    if adopt and attempt.life_cycle is LifeCycleState.PENDING and pid is None:
        return  # decided but never launched: the engine launches it now
    _lost(
        run,
        attempt,
        batch,
        steps,
        now_ms,
        (f"The task process ended while its engine ({owner}) was gone and left no result"),
        retry=adopt,
    )


def _lost(
    run: ActiveRun,
    attempt: Attempt,
    batch: Batch,
    steps: TaskSteps,
    now_ms: int,
    message: str,
    *,
    retry: bool = False,
) -> None:
    steps.complete(
        run,
        attempt,
        batch,
        now_ms=now_ms,
        life_cycle=LifeCycleState.INTERNAL_ERROR,
        retry=retry,
        outcome=TaskOutcome(
            result=ResultState.FAILED,
            message=message,
            termination_code=TerminationCode.INTERNAL_ERROR,
            error=message,
            error_code="InternalError",
        ),
    )


def _read_pid_file(task_dir: Path) -> tuple[int | None, int | None]:
    try:
        written = read_pid_file(TaskFiles.of(task_dir).pid)
    except ProtocolError:
        return None, None
    return written.pid, written.process_start
