"""The ``dbutils.notebook.run`` protocol: a task's request becomes a child run, and the task
gets one reply when that run has finished. :mod:`brickyard.engine.control` is the socket;
this is what the loop does with its requests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from brickyard import storage
from brickyard.engine.active_run import ActiveRun
from brickyard.engine.control import ControlRequest
from brickyard.engine.requests import RunRequest
from brickyard.states import ResultState


class NotebookRuns:
    """Child runs started by ``dbutils.notebook.run``, each with the request waiting on it."""

    def __init__(
        self,
        *,
        database: storage.Database,
        submit: Callable[[RunRequest], storage.RunRecord],
    ) -> None:
        self._database = database
        self._submit = submit
        self._waiters: dict[int, ControlRequest] = {}

    def accept(self, request: ControlRequest) -> None:
        """Start the child run a task asked for; a request that cannot start is answered at
        once with the error."""
        try:
            run = self._submit(request.to_run_request())
        except Exception as error:  # reported to the calling task, never raised in the loop
            request.reply({"ok": False, "run_id": None, "error": str(error)})
            return
        self._waiters[run.run_id] = request

    def children(self, run: ActiveRun, task_run_id: int | None) -> Iterator[int]:
        """The child runs started by ``run``'s tasks (only by ``task_run_id``, when given)."""
        for child_run_id, waiter in list(self._waiters.items()):
            if waiter.parent_task_run_id in run.attempts and (
                task_run_id in (None, waiter.parent_task_run_id)
            ):
                yield child_run_id

    def finished(self, record: storage.RunRecord) -> None:
        """Reply to the task waiting on ``record`` (a finished run), if any."""
        waiter = self._waiters.pop(record.run_id, None)
        if waiter is not None:
            self._reply(waiter, record)

    def _reply(self, request: ControlRequest, record: storage.RunRecord) -> None:
        with self._database.read() as conn:
            task_runs = storage.list_task_runs(conn, record.run_id)
        exit_value = task_runs[-1].exit_value if task_runs else None
        if record.result_state is ResultState.SUCCESS:
            request.reply({"ok": True, "run_id": record.run_id, "result": exit_value})
            return
        error = task_runs[-1].error if task_runs and task_runs[-1].error else record.state_message
        if record.result_state is ResultState.TIMEDOUT:
            error = f"Notebook run timed out: {error}"
        request.reply({"ok": False, "run_id": record.run_id, "error": error})
