"""The ``spark`` key of spec.json: written and read back, left out when None, checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from brickyard.task_protocol import (
    ProtocolError,
    PythonFilePayload,
    RuntimeSpec,
    SparkMode,
    SparkSessionSpec,
    read_runtime_spec,
    write_runtime_spec,
)

BASE: dict[str, Any] = {
    "version": 1,
    "kind": "python_file",
    "task_key": "t",
    "job_id": None,
    "job_run_id": 1,
    "task_run_id": 2,
    "python_file": "/x.py",
    "result_file": "/r.json",
}


def spec_with(spark: SparkSessionSpec | None) -> RuntimeSpec:
    return RuntimeSpec(
        task_key="t",
        job_id=3,
        job_run_id=1,
        task_run_id=2,
        attempt_number=0,
        result_file=Path("/r.json"),
        payload=PythonFilePayload(Path("/x.py")),
        spark=spark,
    )


@pytest.mark.parametrize(
    "spark",
    [
        SparkSessionSpec(
            mode=SparkMode.LOCAL,
            conf={"spark.sql.defaultCatalog": "main"},
            jars=("/cache/catalog.jar",),
            app_name="etl",
            master="local[2]",
        ),
        SparkSessionSpec(mode=SparkMode.CLUSTER),
    ],
)
def test_a_session_spec_round_trips_through_spec_json(
    spark: SparkSessionSpec, tmp_path: Path
) -> None:
    path = tmp_path / "spec.json"
    write_runtime_spec(path, spec_with(spark))
    assert read_runtime_spec(path).spark == spark


def test_no_session_is_left_out_of_the_file_and_an_old_file_reads_as_none(
    tmp_path: Path,
) -> None:
    path = tmp_path / "spec.json"
    write_runtime_spec(path, spec_with(None))
    assert "spark" not in json.loads(path.read_text())
    assert RuntimeSpec.from_json(BASE).spark is None
    assert RuntimeSpec.from_json({**BASE, "spark": None}).spark is None


def test_a_cluster_spec_written_by_hand_takes_the_defaults() -> None:
    spark = RuntimeSpec.from_json({**BASE, "spark": {"mode": "cluster"}}).spark
    assert spark == SparkSessionSpec(SparkMode.CLUSTER, {}, (), "brickyard", None)


@pytest.mark.parametrize(
    ("spark", "message"),
    [
        ({"mode": "yarn"}, "spark: mode 'yarn' is not one of cluster, local"),
        ({}, "spark: field 'mode' must be a string"),
        ({"mode": "local", "jars": "a.jar"}, "spark: field 'jars' must be a list of strings"),
        ({"mode": "local", "conf": {"k": 1}}, "spark: field 'conf' must be an object of strings"),
        ("local", "field 'spark' must be an object or null"),
    ],
)
def test_a_bad_session_spec_names_the_field(spark: Any, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        RuntimeSpec.from_json({**BASE, "spark": spark}, source="spec.json")
