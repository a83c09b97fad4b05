"""The Libraries API driven by databricks-sdk: install with per-library status (a wheel really
installed by pip, a jar found or not, CRAN refused), libraries waiting for a stopped cluster,
uninstall on restart, and the statuses of all clusters."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import InvalidParameterValue
from databricks.sdk.service import compute, jobs

from support.api_server import RunningServer, start_server
from support.cluster_runtime import ProcessClusterRuntime

TIMEOUT = timedelta(seconds=30)
SETTLED = (compute.LibraryInstallStatus.INSTALLED, compute.LibraryInstallStatus.FAILED)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    runtime = ProcessClusterRuntime()
    running, thread = start_server(tmp_path / "home", cluster_runtime=runtime)
    try:
        yield running
    finally:
        thread.stop()
        running.services.close()
        runtime.close()


@pytest.fixture
def w(server: RunningServer) -> WorkspaceClient:
    return WorkspaceClient(host=server.url, token=server.token)


def _cluster(w: WorkspaceClient) -> str:
    details = w.clusters.create(
        cluster_name="libs", spark_version="15.4.x-scala2.12", num_workers=0
    ).result(timeout=TIMEOUT)
    assert details.cluster_id
    return details.cluster_id


def _settled(w: WorkspaceClient, cluster_id: str) -> list[compute.LibraryFullStatus]:
    deadline = time.monotonic() + 120
    while True:
        statuses = list(w.libraries.cluster_status(cluster_id))
        if statuses and all(s.status in SETTLED for s in statuses):
            return statuses
        assert time.monotonic() < deadline, statuses
        time.sleep(0.2)


def test_each_library_gets_its_own_status(
    w: WorkspaceClient, server: RunningServer, wheel_builder: Callable[..., Path]
) -> None:
    cluster_id = _cluster(w)
    jar = server.home / "dbfs" / "jars" / "udfs.jar"
    jar.parent.mkdir(parents=True)
    jar.write_bytes(b"PK\x03\x04")
    wheel = wheel_builder(server.home / "dist", "clusterlib", module_source="VALUE = 1\n")
    w.libraries.install(
        cluster_id,
        [
            compute.Library(jar="dbfs:/jars/udfs.jar"),
            compute.Library(jar="dbfs:/jars/missing.jar"),
            compute.Library(whl=str(wheel)),
            compute.Library(cran=compute.RCranLibrary(package="forecast")),
        ],
    )
    settled = _settled(w, cluster_id)

    def status_of(name: str) -> compute.LibraryFullStatus:
        (found,) = [s for s in settled if s.library and name in str(s.library.as_dict())]
        return found

    assert status_of("udfs.jar").status == compute.LibraryInstallStatus.INSTALLED
    assert status_of("clusterlib").status == compute.LibraryInstallStatus.INSTALLED
    missing = status_of("missing.jar")
    assert missing.status == compute.LibraryInstallStatus.FAILED
    assert missing.messages and "missing.jar" in missing.messages[0]
    cran = status_of("forecast")
    assert cran.status == compute.LibraryInstallStatus.FAILED
    assert cran.messages and "not R" in cran.messages[0]
    assert settled[0].library == compute.Library(jar="dbfs:/jars/udfs.jar")


def test_libraries_wait_for_a_stopped_cluster_and_uninstall_on_restart(
    w: WorkspaceClient, server: RunningServer
) -> None:
    cluster_id = _cluster(w)
    w.clusters.delete(cluster_id).result(timeout=TIMEOUT)
    jar = server.home / "dbfs" / "a.jar"
    jar.parent.mkdir(parents=True, exist_ok=True)
    jar.write_bytes(b"PK\x03\x04")
    library = compute.Library(jar="dbfs:/a.jar")
    w.libraries.install(cluster_id, [library])
    (pending,) = list(w.libraries.cluster_status(cluster_id))
    assert pending.status == compute.LibraryInstallStatus.PENDING
    w.clusters.start(cluster_id).result(timeout=TIMEOUT)
    (installed,) = _settled(w, cluster_id)
    assert installed.status == compute.LibraryInstallStatus.INSTALLED
    w.libraries.uninstall(cluster_id, [library])
    (marked,) = list(w.libraries.cluster_status(cluster_id))
    assert marked.status == compute.LibraryInstallStatus.UNINSTALL_ON_RESTART
    w.clusters.restart(cluster_id).result(timeout=TIMEOUT)
    assert list(w.libraries.cluster_status(cluster_id)) == []


def test_all_cluster_statuses_lists_clusters_with_libraries(
    w: WorkspaceClient, server: RunningServer
) -> None:
    with_libraries = _cluster(w)
    _cluster(w)
    (server.home / "dbfs").mkdir(exist_ok=True)
    (server.home / "dbfs" / "b.jar").write_bytes(b"PK")
    w.libraries.install(with_libraries, [compute.Library(jar="dbfs:/b.jar")])
    statuses = list(w.libraries.all_cluster_statuses())
    assert [s.cluster_id for s in statuses] == [with_libraries]


def test_a_library_must_name_exactly_one_kind(w: WorkspaceClient) -> None:
    cluster_id = _cluster(w)
    with pytest.raises(InvalidParameterValue, match=r"libraries\[0\] must set exactly one"):
        w.libraries.install(cluster_id, [compute.Library(jar="a.jar", whl="b.whl")])
    with pytest.raises(InvalidParameterValue, match="at least one"):
        w.libraries.install(cluster_id, [])
    with pytest.raises(InvalidParameterValue, match="does not exist"):
        w.libraries.install("0000-nope", [compute.Library(jar="a.jar")])


def test_tasks_on_the_cluster_import_its_python_libraries(
    w: WorkspaceClient, server: RunningServer, wheel_builder: Callable[..., Path]
) -> None:
    cluster_id = _cluster(w)
    wheel = wheel_builder(server.home / "dist", "onthecluster", module_source="VALUE = 'ok'\n")
    w.libraries.install(cluster_id, [compute.Library(whl=str(wheel))])
    (status,) = _settled(w, cluster_id)
    assert status.status == compute.LibraryInstallStatus.INSTALLED
    script = server.write_file(
        "/Shared/uses_lib.py", "import onthecluster\nprint(onthecluster.VALUE)\n"
    )
    run = w.jobs.submit(
        run_name="uses the cluster's library",
        tasks=[
            jobs.SubmitTask(
                task_key="main",
                existing_cluster_id=cluster_id,
                spark_python_task=jobs.SparkPythonTask(python_file=script),
            )
        ],
    ).result(timeout=TIMEOUT)
    assert run.state and run.state.result_state == jobs.RunResultState.SUCCESS, run.state
    (task,) = run.tasks or []
    assert "ok" in (w.jobs.get_run_output(task.run_id).logs or "")
