"""What stops a job from running as written, known before it runs: errors (an unknown task
type, a missing notebook, file or wheel) and warnings (settings brickyard stores but does not
act on, task types it does not run yet).

``brickyard validate`` reports both (exit 2 on errors), ``brickyard run`` prints the warnings
and refuses unknown task types, the API logs both (Databricks' responses have no warnings
field). "Does not run this type yet" comes from the one table of task types,
:data:`~brickyard.executors.registry.TASK_TYPES`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from brickyard.compute.spark.node_types import find_node_type, unknown_node_type_message
from brickyard.errors import Problem
from brickyard.executors.registry import TASK_TYPES
from brickyard.executors.sources import SourceLookup, missing_libraries
from brickyard.spec import JobSettings, unknown_task_types, unsupported_settings
from brickyard.spec.task_paths import tasks_with_paths
from brickyard.spec.triggers import TriggerKind


@dataclass(frozen=True)
class JobCheck:
    """The problems of one job's settings, by severity."""

    errors: tuple[Problem, ...]
    """The job cannot run as written."""
    warnings: tuple[Problem, ...]
    """It runs, without what these name."""


def check_job_settings(
    settings: JobSettings,
    *,
    unevaluated_triggers: Collection[TriggerKind],
    sources: SourceLookup | None = None,
) -> JobCheck:
    """Check validated ``settings``; ``sources`` (where files are looked for) also checks
    that the tasks' files exist, ``unevaluated_triggers`` are the trigger kinds the trigger
    service does not evaluate (``brickyard.triggers.evaluators.UNEVALUATED``)."""
    errors = [*unknown_task_types(settings), *unknown_node_types(settings)]
    if sources is not None:
        errors.extend(missing_sources(settings, sources))
    warnings = [
        *unsupported_settings(settings, unevaluated_triggers),
        *not_run_task_types(settings),
    ]
    return JobCheck(errors=tuple(errors), warnings=tuple(warnings))


def unknown_node_types(settings: JobSettings) -> list[Problem]:
    """An error per cluster spec naming a node type brickyard cannot size (its cluster could
    not start)."""
    specs = [
        (f"job_clusters[{index}].new_cluster", cluster.new_cluster)
        for index, cluster in enumerate(settings.job_clusters or ())
    ]
    specs.extend(
        (f"{path}.new_cluster", task.new_cluster) for path, task in tasks_with_paths(settings)
    )
    problems: list[Problem] = []
    for path, spec in specs:
        if spec is None:
            continue
        for field in ("node_type_id", "driver_node_type_id"):
            node_type_id = getattr(spec, field)
            if node_type_id is not None and find_node_type(node_type_id) is None:
                problems.append(Problem(f"{path}.{field}", unknown_node_type_message(node_type_id)))
    return problems


def not_run_task_types(settings: JobSettings) -> list[Problem]:
    """A warning per task whose type brickyard does not run yet (its run would fail it)."""
    warnings: list[Problem] = []
    for path, task in tasks_with_paths(settings):
        task_type = task.task_type
        if task_type is None:
            continue
        definition = TASK_TYPES[task_type]
        if definition.executor is None and not definition.evaluated_by_engine:
            warnings.append(Problem(f"{path}.{task_type.value}", definition.not_run_reason))
    return warnings


def missing_sources(settings: JobSettings, sources: SourceLookup) -> list[Problem]:
    """The notebooks, files and local libraries the tasks name that do not exist, each with
    the places looked at."""
    problems: list[Problem] = []
    for path, task in tasks_with_paths(settings):
        task_type = task.task_type
        if task_type is None:
            continue
        definition = TASK_TYPES[task_type]
        found = definition.sources(task, sources) if definition.sources is not None else []
        if definition.executor is not None:  # every task process installs its libraries
            found = [*found, *missing_libraries(task, sources)]
        problems.extend(Problem(f"{path}.{problem.path}", problem.message) for problem in found)
    return problems
