"""The example pipelines run end to end through the ``brickyard`` command."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support.seeds import EXAMPLES_DIR as EXAMPLES
from support.seeds import SEEDS_DIR

SEED = SEEDS_DIR / "seed-complex-etl-pipeline.json"


def test_branching_example_ends_success_with_failures(cli: Any, latest_tasks: Any) -> None:
    result = cli("run", str(EXAMPLES / "branching" / "job.json"), "--output", "json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["state"]["result_state"] == "SUCCESS_WITH_FAILURES"
    results = {key: t["state"]["result_state"] for key, t in latest_tasks(body).items()}
    assert results["check_volume"] == "SUCCESS"
    assert latest_tasks(body)["check_volume"]["condition_task"]["outcome"] == "true"
    assert results["process_full"] == "SUCCESS" and results["process_sample"] == "EXCLUDED"
    assert results["validate_strict"] == "FAILED"
    assert results["on_failure"] == "SUCCESS" and results["cleanup"] == "SUCCESS"
    flaky = [t for t in body["tasks"] if t["task_key"] == "flaky_export"]
    assert [t["state"]["result_state"] for t in flaky] == ["FAILED", "SUCCESS"]


@pytest.fixture
def reporting_wheel(tmp_path: Path) -> Path:
    """The example's report wheel, built from its sources into a copy of the example."""
    example = tmp_path / "complex-etl"
    shutil.copytree(EXAMPLES / "complex-etl", example, ignore=shutil.ignore_patterns("dist"))
    source = example / "wheels" / "reporting"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(source / "dist"),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return example


def test_complex_etl_example_validates_clean_once_its_wheel_is_built(
    cli: Any, reporting_wheel: Path
) -> None:
    result = cli("validate", str(reporting_wheel / "job.json"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "no errors and no warnings"
    assert result.stdout.endswith("valid (8 tasks)\n")


def test_complex_etl_example_runs_and_writes_its_outputs(
    cli: Any, reporting_wheel: Path, latest_tasks: Any
) -> None:
    result = cli("run", str(reporting_wheel / "job.json"), "--output", "json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["state"]["result_state"] == "SUCCESS"
    assert len(latest_tasks(body)) == 8
    outputs = cli.home / "dbfs" / "complex_etl"
    report = outputs / "reports" / "daily_report.md"
    assert report.exists() and report.stat().st_size > 0
    assert list((outputs / "silver").glob("*.csv"))
    # the executed notebooks are kept for later viewing
    validate = latest_tasks(body)["validate_source"]
    notebooks = list(
        (cli.home / "runs" / str(body["run_id"])).glob(f"{validate['run_id']}-*/*.ipynb")
    )
    assert notebooks, "the executed notebook is kept"


def test_seed_job_runs_unchanged_from_the_workspace(cli: Any, latest_tasks: Any) -> None:
    notebooks = EXAMPLES / "complex-etl" / "notebooks"
    assert cli("workspace", "import", str(notebooks / "ETL"), "/ETL").returncode == 0
    assert cli("workspace", "import", str(notebooks / "Analytics"), "/Analytics").returncode == 0
    listed = cli("workspace", "ls", "/ETL")
    assert "/ETL/00_Validate" in listed.stdout
    # The notebooks read the example's data relative to their own folder (../../data from
    # <home>/workspace/ETL, as Databricks runs a notebook in its own folder).
    shutil.copytree(EXAMPLES / "complex-etl" / "data", cli.home / "data")
    # Every notebook task of the seed, with its original workspace paths; send_report needs
    # the report wheel installed, which the seed leaves to the cluster.
    result = cli(
        "run", str(SEED), "--only", "+analytics_sales,+analytics_customer", "--output", "json"
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["state"]["result_state"] == "SUCCESS"
    assert set(latest_tasks(body)) == {
        "validate_source",
        "ingest_crm",
        "ingest_erp",
        "ingest_web",
        "transform_join",
        "analytics_sales",
        "analytics_customer",
    }
