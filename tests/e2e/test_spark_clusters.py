"""Real Spark clusters behind a real server, driven by databricks-sdk: the tasks of a run share
their job cluster's Spark Connect server (one JVM for the run, ended when the run ends), the
cluster shows in ``runs/get`` and in ``clusters/list`` as a JOB cluster, and a task on a
terminated all-purpose cluster starts it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.service import compute, jobs

from brickyard.compute.spark import connect_server
from support.api_server import RunningServer, start_server
from support.spark import spark_or_skip

pytestmark = pytest.mark.slow

TIMEOUT = timedelta(minutes=6)
CLUSTER = {
    "spark_version": "15.4.x-scala2.12",
    "node_type_id": "Standard_DS3_v2",
    "num_workers": 1,
}
WRITER = """# Databricks notebook source
spark.sql("CREATE SCHEMA IF NOT EXISTS main.e2e")
spark.range(7).write.mode("overwrite").saveAsTable("main.e2e.numbers")

# COMMAND ----------

dbutils.jobs.taskValues.set("written", spark.table("main.e2e.numbers").count())
"""
READER = """# Databricks notebook source
# MAGIC %sql
# MAGIC SELECT sum(id) AS total FROM main.e2e.numbers

# COMMAND ----------

dbutils.jobs.taskValues.set("total", _sqldf.first()["total"])
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    spark_or_skip()
    running, thread = start_server(tmp_path_factory.mktemp("spark") / "home")
    try:
        yield running
    finally:
        thread.stop()
        running.services.close()
        for folder in (running.home / "clusters").glob("*"):
            server = connect_server.read_server(folder)
            if server is not None:
                connect_server.stop_server(server)


@pytest.fixture(scope="module")
def w(server: RunningServer) -> WorkspaceClient:
    return WorkspaceClient(host=server.url, token=server.token)


def _wait_terminated(w: WorkspaceClient, cluster_id: str) -> compute.ClusterDetails:
    deadline = time.monotonic() + 60
    while True:
        details = w.clusters.get(cluster_id)
        if details.state == compute.State.TERMINATED:
            return details
        assert time.monotonic() < deadline, details.state
        time.sleep(0.5)


def test_tasks_of_a_run_share_one_job_cluster_that_ends_with_the_run(
    server: RunningServer, w: WorkspaceClient
) -> None:
    server.write_file("/Shared/e2e/writer.py", WRITER)
    server.write_file("/Shared/e2e/reader.py", READER)
    job = w.jobs.create(
        name="shared cluster",
        job_clusters=[
            jobs.JobCluster(
                job_cluster_key="shared", new_cluster=compute.ClusterSpec.from_dict(CLUSTER)
            )
        ],
        tasks=[
            jobs.Task(
                task_key="write",
                job_cluster_key="shared",
                notebook_task=jobs.NotebookTask(notebook_path="/Shared/e2e/writer"),
            ),
            jobs.Task(
                task_key="read",
                job_cluster_key="shared",
                depends_on=[jobs.TaskDependency(task_key="write")],
                notebook_task=jobs.NotebookTask(notebook_path="/Shared/e2e/reader"),
            ),
        ],
    )
    assert job.job_id
    run = w.jobs.run_now(job.job_id).result(timeout=TIMEOUT)
    assert run.state and run.state.result_state == jobs.RunResultState.SUCCESS, run.state
    tasks = {t.task_key: t for t in run.tasks or []}
    instances = {key: t.cluster_instance for key, t in tasks.items()}
    assert all(instances.values()), instances
    cluster_ids = {i.cluster_id for i in instances.values() if i}
    assert len(cluster_ids) == 1
    (cluster_id,) = cluster_ids
    assert cluster_id

    # The reader saw the writer's table through the same server: one Spark for the run.
    events = list(w.clusters.events(cluster_id, order=compute.GetEventsOrder.ASC))
    assert [e.type for e in events].count(compute.EventType.RUNNING) == 1
    read_output = w.jobs.get_run_output(tasks["read"].run_id)
    assert read_output.error is None, read_output.error

    details = _wait_terminated(w, cluster_id)
    assert details.cluster_source == compute.ClusterSource.JOB
    assert details.termination_reason
    assert details.termination_reason.code == compute.TerminationReasonCode.JOB_FINISHED
    listed = w.clusters.list(
        filter_by=compute.ListClustersFilterBy(cluster_sources=[compute.ClusterSource.JOB])
    )
    assert cluster_id in [c.cluster_id for c in listed]
    assert connect_server.read_server(server.home / "clusters" / cluster_id) is None
    first, second = tasks["write"], tasks["read"]
    print(  # the figure docs/ARCHITECTURE.md quotes: the second task pays no JVM start
        f"\nshared job cluster: first task {first.execution_duration} ms "
        f"(cluster start included), second {second.execution_duration} ms"
    )


def test_a_task_on_a_terminated_all_purpose_cluster_starts_it(
    server: RunningServer, w: WorkspaceClient
) -> None:
    details = w.clusters.create(
        cluster_name="all-purpose", spark_version="15.4.x-scala2.12", num_workers=0
    ).result(timeout=TIMEOUT)
    cluster_id = details.cluster_id
    assert cluster_id
    w.clusters.delete(cluster_id).result(timeout=TIMEOUT)
    server.write_file(
        "/Shared/e2e/count.py",
        "# Databricks notebook source\ndbutils.notebook.exit(str(spark.range(4).count()))\n",
    )
    run = w.jobs.submit(
        run_name="on an existing cluster",
        tasks=[
            jobs.SubmitTask(
                task_key="count",
                existing_cluster_id=cluster_id,
                notebook_task=jobs.NotebookTask(notebook_path="/Shared/e2e/count"),
            )
        ],
    ).result(timeout=TIMEOUT)
    assert run.state and run.state.result_state == jobs.RunResultState.SUCCESS, run.state
    (task,) = run.tasks or []
    output = w.jobs.get_run_output(task.run_id)
    assert output.notebook_output and output.notebook_output.result == "4"
    assert task.cluster_instance and task.cluster_instance.cluster_id == cluster_id
    # an all-purpose cluster outlives the run
    assert w.clusters.get(cluster_id).state == compute.State.RUNNING
    w.clusters.delete(cluster_id).result(timeout=TIMEOUT)
