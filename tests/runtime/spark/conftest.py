"""One real Spark Connect server per test module, with the control socket that names it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.spark import spark_or_skip
from support.spark_tasks import Cluster, running_cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """One Connect server for the module (a JVM start costs ~15 s on 2 cores)."""
    installation = spark_or_skip()
    with running_cluster(installation, tmp_path_factory.mktemp("cluster-home")) as running:
        yield running
