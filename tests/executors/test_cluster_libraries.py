"""A task on an all-purpose cluster gets the cluster's libraries after its own, once each."""

from __future__ import annotations

from pathlib import Path

from brickyard.executors.base import TaskLaunchRequest
from brickyard.executors.cluster_libraries import with_cluster_libraries
from brickyard.params import ResolvedTaskParameters
from brickyard.settings import Settings
from brickyard.spec import JobSettings, Library, Task

CLUSTER_LIBRARIES = {"c1": [Library(whl="/w/shared.whl"), Library(jar="dbfs:/u.jar")]}


def _request(tmp_path: Path, **task: object) -> TaskLaunchRequest:
    parsed = Task.model_validate(
        {"task_key": "t", "spark_python_task": {"python_file": "/x.py"}, **task}
    )
    return TaskLaunchRequest(
        task=parsed,
        job_settings=JobSettings.model_validate({"name": "j", "tasks": [parsed.model_dump()]}),
        parameters=ResolvedTaskParameters(),
        job_id=1,
        job_run_id=2,
        task_run_id=3,
        attempt_number=0,
        task_dir=tmp_path,
        base_dir=None,
        settings=Settings.from_env({"BRICKYARD_HOME": str(tmp_path)}),
    )


def _libraries_of(cluster_id: str) -> list[Library]:
    return CLUSTER_LIBRARIES.get(cluster_id, [])


def test_the_clusters_libraries_follow_the_tasks_own(tmp_path: Path) -> None:
    request = _request(
        tmp_path,
        existing_cluster_id="c1",
        libraries=[{"whl": "/w/own.whl"}, {"whl": "/w/shared.whl"}],
    )
    augmented = with_cluster_libraries(request, _libraries_of)
    assert augmented.task.libraries == [
        Library(whl="/w/own.whl"),
        Library(whl="/w/shared.whl"),
        Library(jar="dbfs:/u.jar"),
    ]
    assert request.task.libraries is not None and len(request.task.libraries) == 2


def test_tasks_without_an_all_purpose_cluster_are_left_alone(tmp_path: Path) -> None:
    plain = _request(tmp_path)
    assert with_cluster_libraries(plain, _libraries_of) is plain
    empty = _request(tmp_path, existing_cluster_id="unknown")
    assert with_cluster_libraries(empty, _libraries_of) is empty
