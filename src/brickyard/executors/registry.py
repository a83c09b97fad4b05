"""Which executor runs which task type, and why a task type is not run."""

from __future__ import annotations

from brickyard.compute.environments import EnvironmentCache
from brickyard.executors.base import Executor
from brickyard.executors.notebook import NotebookExecutor
from brickyard.executors.python_script import PythonScriptExecutor
from brickyard.executors.python_wheel import PythonWheelExecutor
from brickyard.settings import Settings
from brickyard.spec import Task
from brickyard.workspace import Workspace

CONDITION_TASK = "condition_task"


class ExecutorRegistry:
    """The executors of the task types that run as a task process."""

    def __init__(
        self, settings: Settings, workspace: Workspace, environments: EnvironmentCache
    ) -> None:
        self.settings = settings
        self._executors: dict[str, Executor] = {
            "notebook_task": NotebookExecutor(workspace, environments),
            "spark_python_task": PythonScriptExecutor(workspace, environments),
            "python_wheel_task": PythonWheelExecutor(environments),
        }

    @property
    def task_types(self) -> tuple[str, ...]:
        """The task types that have an executor."""
        return tuple(self._executors)

    def executor_for(self, task: Task) -> Executor | None:
        """The executor of ``task``'s type; None for condition tasks (the engine evaluates them)
        and for task types brickyard does not run (see :meth:`unsupported_reason`)."""
        task_type = task.task_type
        return self._executors.get(task_type) if task_type is not None else None

    def unsupported_reason(self, task: Task) -> str:
        """Why :meth:`executor_for` has no executor for ``task``, as a task run's message."""
        task_type = task.task_type
        if task_type is None:
            return f"task {task.task_key!r} has no task type (such as notebook_task)"
        if task_type == CONDITION_TASK:
            return "condition_task tasks start no process: the engine evaluates them"
        if task_type in self._executors:
            return f"{task_type} tasks are supported"
        return f"brickyard does not run {task_type} tasks yet"
