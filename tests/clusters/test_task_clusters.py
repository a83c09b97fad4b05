"""The ``spark_cluster`` answer: a task's cluster from the stored run (a shared job cluster
with its tasks' jar libraries, a task's own new_cluster, a terminated or unknown
existing_cluster_id), the notes its log shows, artifacts installed after the start, and the
errors a task sees."""

from __future__ import annotations

import time
from typing import Any

import pytest

from brickyard import storage
from brickyard.clusters import ClusterService
from brickyard.clusters.task_clusters import TaskClusters
from brickyard.settings import Settings
from brickyard.states import RunType, TriggerType
from support.cluster_runtime import ProcessClusterRuntime

CLUSTER = {"spark_version": "15.4.x-scala2.12", "node_type_id": "Standard_DS3_v2", "num_workers": 2}


def _run(database: storage.Database, settings: dict[str, Any]) -> dict[str, int]:
    """A stored run of ``settings`` with one task run per task; task key -> task run id."""
    with database.transaction() as conn:
        run = storage.create_run(
            conn,
            storage.NewRun(
                job_id=5,
                run_name=settings["name"],
                run_type=RunType.JOB_RUN,
                trigger=TriggerType.ONE_TIME,
                settings=settings,
                created_time=1,
            ),
        )
        task_runs = storage.create_task_runs(
            conn,
            [
                storage.NewTaskRun(job_run_id=run.run_id, task_key=t["task_key"], task=t)
                for t in settings["tasks"]
            ],
            now_ms=1,
        )
    return {tr.task_key: tr.run_id for tr in task_runs}


def _notebook(key: str, **compute: Any) -> dict[str, Any]:
    return {"task_key": key, "notebook_task": {"notebook_path": f"/n/{key}"}, **compute}


@pytest.fixture
def answers(database: storage.Database, service: ClusterService) -> TaskClusters:
    return TaskClusters(database, service, timeout=30)


def test_tasks_on_one_job_cluster_get_one_server_with_their_jars(
    database: storage.Database,
    service: ClusterService,
    answers: TaskClusters,
    settings: Settings,
    runtime: ProcessClusterRuntime,
) -> None:
    jar = settings.dbfs_root / "udf.jar"
    jar.parent.mkdir(parents=True, exist_ok=True)
    jar.write_bytes(b"PK\x03\x04")
    ids = _run(
        database,
        {
            "name": "shared",
            "job_clusters": [{"job_cluster_key": "shared", "new_cluster": CLUSTER}],
            "tasks": [
                _notebook("a", job_cluster_key="shared", libraries=[{"jar": "dbfs:/udf.jar"}]),
                _notebook("b", job_cluster_key="shared"),
                _notebook("own", new_cluster={"spark_version": "15.4.x-scala2.12"}),
            ],
        },
    )
    first = answers.answer({"task_run_id": ids["b"]})
    second = answers.answer({"task_run_id": ids["a"]})
    own = answers.answer({"task_run_id": ids["own"]})
    assert first["ok"] and second["ok"] and own["ok"], (first, second, own)
    assert first["remote"] == second["remote"] != own["remote"]
    assert first["remote"].startswith("sc://127.0.0.1:")
    assert first["cluster_id"] == second["cluster_id"]
    assert first["artifacts"] == []  # the jar was on the server's classpath from its start
    (process_jars,) = {
        tuple(r.runtime["jars"]) for r in [service.get(first["cluster_id"])] if r.runtime
    }
    assert process_jars == (str(jar),)
    assert runtime.starts.count(first["cluster_id"]) == 1


def test_a_jar_installed_on_a_running_cluster_reaches_tasks_as_an_artifact(
    database: storage.Database,
    service: ClusterService,
    answers: TaskClusters,
    settings: Settings,
) -> None:
    cluster_id = service.create({**CLUSTER, "cluster_name": "ap"}).cluster_id
    service.wait_running(cluster_id, timeout=20)
    jar = settings.dbfs_root / "late.jar"
    jar.parent.mkdir(parents=True, exist_ok=True)
    jar.write_bytes(b"PK\x03\x04")
    service.install_libraries(cluster_id, [{"jar": "dbfs:/late.jar"}])
    deadline = time.monotonic() + 20
    while service.library_statuses(cluster_id)[0].status != "INSTALLED":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    ids = _run(database, {"name": "ap", "tasks": [_notebook("t", existing_cluster_id=cluster_id)]})
    reply = answers.answer({"task_run_id": ids["t"]})
    assert reply["ok"], reply
    assert reply["artifacts"] == [str(jar)]


def test_a_terminated_existing_cluster_is_started_for_the_task(
    database: storage.Database, service: ClusterService, answers: TaskClusters
) -> None:
    cluster_id = service.create({**CLUSTER, "cluster_name": "ap"}).cluster_id
    service.wait_running(cluster_id, timeout=20)
    service.terminate(cluster_id)
    ids = _run(database, {"name": "ap", "tasks": [_notebook("t", existing_cluster_id=cluster_id)]})
    reply = answers.answer({"task_run_id": ids["t"]})
    assert reply["ok"], reply
    assert service.get(cluster_id).state == "RUNNING"


def test_an_unknown_existing_cluster_is_made_with_a_note(
    database: storage.Database, service: ClusterService, answers: TaskClusters
) -> None:
    ids = _run(
        database,
        {"name": "adf", "tasks": [_notebook("t", existing_cluster_id="0101-120000-abcdefgh")]},
    )
    reply = answers.answer({"task_run_id": ids["t"]})
    assert reply["ok"], reply
    assert reply["cluster_id"] == "0101-120000-abcdefgh"
    assert "is not a cluster of this brickyard" in reply["notes"][0]
    record = service.get("0101-120000-abcdefgh")
    assert (record.state, record.cluster_source) == ("RUNNING", "API")


def test_errors_reach_the_task_as_messages(
    database: storage.Database, answers: TaskClusters
) -> None:
    broken = {**CLUSTER, "spark_conf": {"brickyard.test.fail": "no executors"}}
    ids = _run(
        database,
        {
            "name": "bad",
            "tasks": [
                _notebook("fails", new_cluster=broken),
                _notebook("missing_jar", new_cluster=CLUSTER, libraries=[{"jar": "dbfs:/no.jar"}]),
                _notebook("local"),
            ],
        },
    )
    failed = answers.answer({"task_run_id": ids["fails"]})
    assert failed == {"ok": False, "error": failed["error"]}
    assert "no executors" in failed["error"]
    missing = answers.answer({"task_run_id": ids["missing_jar"]})
    assert not missing["ok"] and "no.jar" in missing["error"]
    local = answers.answer({"task_run_id": ids["local"]})
    assert not local["ok"] and "has no cluster" in local["error"]
    assert answers.answer({}) == {
        "ok": False,
        "error": "spark_cluster needs the task_run_id of the task",
    }
