"""Unknown task types: a ``*_task`` field that no :class:`~brickyard.spec.TaskType` names.

Job settings keep unknown fields (clients send fields brickyard does not know yet), so an
unknown ``*_task`` field passes :func:`~brickyard.spec.parse_job_settings` and the API stores
it. Such a task can never run, though, and is most often a typo (``notebok_task``): this check
names the nearest known type, for ``brickyard validate`` and ``brickyard run`` to refuse the
file and for the API to log.
"""

from __future__ import annotations

import difflib

from brickyard.errors import Problem
from brickyard.spec.job import JobSettings
from brickyard.spec.task_paths import tasks_with_paths
from brickyard.spec.task_type import TASK_TYPE_FIELDS

_SIMILARITY = 0.6
"""difflib's default cut-off: close enough to be a typo of the suggested name."""
_SUFFIX = "_task"
# compared without the suffix every name shares, which would make any two names look alike
_STEMS = {name.removesuffix(_SUFFIX): name for name in TASK_TYPE_FIELDS}


def unknown_task_types(settings: JobSettings) -> list[Problem]:
    """One problem per ``*_task`` field brickyard does not know, with a did-you-mean."""
    problems: list[Problem] = []
    for path, task in tasks_with_paths(settings):
        for name in task.task_type_fields:
            if name not in TASK_TYPE_FIELDS:
                problems.append(Problem(f"{path}.{name}", _unknown_type_message(name)))
    return problems


def _unknown_type_message(name: str) -> str:
    stem = name.removesuffix(_SUFFIX)
    close = difflib.get_close_matches(stem, _STEMS, n=1, cutoff=_SIMILARITY)
    if close:
        return f"unknown task type {name!r}; did you mean {_STEMS[close[0]]!r}?"
    return f"unknown task type {name!r}; the task types are {', '.join(TASK_TYPE_FIELDS)}"
