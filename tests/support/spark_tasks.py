"""Spark task processes for tests: the ``spark`` key of a task's spec.json (a LOCAL session over
a lakehouse, or CLUSTER), a real Spark Connect server that a real control socket answers for,
and source-notebook helpers."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brickyard.compute.spark.connect_server import RunningServer, start_server, stop_server
from brickyard.compute.spark.installation import SparkInstallation
from brickyard.compute.spark.lakehouse import catalog_conf, catalog_jar
from brickyard.compute.spark.sizing import plan_cluster
from brickyard.engine.control import ControlRequest, ControlServer
from brickyard.executors.spark_sessions import LOCAL_SESSION_CONF
from brickyard.spec import ClusterSpec
from support.spark import lakehouse_conf

HEADER = "# Databricks notebook source\n"
SEP = "\n\n# COMMAND ----------\n\n"


def nb(*cells: str) -> str:
    """A Python source notebook of ``cells``."""
    return HEADER + SEP.join(cells) + "\n"


def magic(*lines: str) -> str:
    """A magic cell (``# MAGIC`` before each line)."""
    return "\n".join(f"# MAGIC {line}" for line in lines)


def code_cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def local_session(installation: SparkInstallation, home: Path) -> dict[str, Any]:
    """The ``spark`` object executors write for a task without a cluster (as process_plan
    does: the lakehouse catalogs, the compiled catalog jar, local[1] on this 2-core box)."""
    return {
        "mode": "local",
        "conf": {
            **LOCAL_SESSION_CONF,
            **catalog_conf(home / "lakehouse"),
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "2",
        },
        "jars": [str(catalog_jar(installation, home / "spark"))],
        "app_name": "test",
        "master": "local[1]",
    }


CLUSTER_SESSION: dict[str, Any] = {"mode": "cluster", "app_name": "test"}


@dataclass
class Cluster:
    """A running Connect server and the control socket that answers ``spark_cluster``."""

    server: RunningServer
    control: ControlServer
    home: Path
    answers: list[Callable[[Mapping[str, Any]], Mapping[str, Any]]]
    requests: list[Mapping[str, Any]]

    def fields(self) -> dict[str, Any]:
        """spec.json fields of a task on this cluster."""
        return {"spark": CLUSTER_SESSION, "control_socket": str(self.control.path)}


@contextlib.contextmanager
def running_cluster(installation: SparkInstallation, home: Path) -> Iterator[Cluster]:
    """A Connect server over the lakehouse under ``home``, and a control socket whose
    ``spark_cluster`` op answers with its address (or with ``Cluster.answers`` queued)."""
    plan = plan_cluster(
        ClusterSpec(num_workers=0, spark_conf={"spark.sql.shuffle.partitions": "2"}),
        cluster_id="c-1",
        cluster_name="shared",
    )
    server = start_server(
        installation,
        plan,
        home / "clusters" / "c-1",
        extra_conf=lakehouse_conf(installation, home),
    )
    requests: list[Mapping[str, Any]] = []
    answers: list[Callable[[Mapping[str, Any]], Mapping[str, Any]]] = []

    def spark_cluster(payload: Mapping[str, Any]) -> Mapping[str, Any]:
        requests.append(payload)
        if answers:
            return answers.pop(0)(payload)
        return {
            "ok": True,
            "remote": server.connect_url,
            "cluster_id": "c-1",
            "spark_context_id": 4711,
        }

    def deliver(request: ControlRequest) -> None:
        request.reply({"ok": False, "error": f"no engine here for {request.payload.get('op')}"})

    control = ControlServer(deliver, {"spark_cluster": spark_cluster})
    try:
        yield Cluster(server, control, home, answers, requests)
    finally:
        control.close()
        stop_server(server)
