"""plan_task_process: the spec.json the executors write (read back by the protocol's one
reader, as the runtime does) and the process that runs it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from brickyard.compute.environments import PythonEnvironment
from brickyard.executors.process_plan import files_plan, plan_task_process
from brickyard.task_protocol import PythonFilePayload, RuntimeKind, TaskFiles, read_runtime_spec

TASK = {"task_key": "ingest", "spark_python_task": {"python_file": "x.py"}, "job_cluster_key": "c"}
JOB = {"job_clusters": [{"job_cluster_key": "c", "new_cluster": {"spark_env_vars": {"K": "V"}}}]}


def test_every_field_and_a_round_trip_through_the_runtime(runner: Any, tmp_path: Path) -> None:
    request = runner.request(
        TASK,
        job=JOB,
        upstream_task_values={"up": {"n": 1}},
        job_parameters={"env": "dev"},
        control_socket=tmp_path / "engine.sock",
        attempt_number=2,
    )
    files = TaskFiles.of(request.task_dir)
    files.result.parent.mkdir(parents=True)
    files.result.write_text("{}")  # left by an earlier process: must not survive
    environment = PythonEnvironment("k", "/env/bin/python", ("/env/site-packages",))

    plan = plan_task_process(
        request,
        payload=PythonFilePayload(tmp_path / "x.py", ("a",)),
        cwd=tmp_path,
        environment=environment,
    )

    assert not files.result.exists()
    raw = json.loads(files.spec.read_text())
    # What the Spark session key holds is tests/executors/test_spark_sessions.py's business.
    raw.pop("spark", None)
    settings = request.settings
    assert raw == {
        "version": 1,
        "kind": "python_file",
        "task_key": "ingest",
        "job_id": 12,
        "job_run_id": 100,
        "task_run_id": request.task_run_id,
        "attempt_number": 2,
        "python_file": str(tmp_path / "x.py"),
        "argv": ["a"],
        "job_parameters": {"env": "dev"},
        "cwd": str(tmp_path),
        "env": {"K": "V"},
        "sys_path": ["/env/site-packages"],
        "task_values": {"up": {"n": 1}},
        "result_file": str(files.result),
        "home": str(settings.home),
        "workspace_root": str(settings.workspace_root),
        "dbfs_root": str(settings.dbfs_root),
        "volumes_root": str(settings.volumes_root),
        "secrets_file": str(settings.secrets_file),
        "pip_cache_root": str(settings.environments_root / "pip"),
        "control_socket": str(tmp_path / "engine.sock"),
    }
    parsed = read_runtime_spec(files.spec)
    assert parsed.kind is RuntimeKind.PYTHON_FILE
    assert parsed.task_values == {"up": {"n": 1}}
    assert parsed.attempt_number == 2

    process = plan.process
    assert process.runtime_spec == files.spec
    assert (process.stdout_path, process.stderr_path) == (files.stdout, files.stderr)
    assert process.python == "/env/bin/python"
    assert process.sys_path == ("/env/site-packages",)
    assert process.env == {"K": "V"}
    assert plan.result_file == files.result


def test_base_environment_leaves_the_interpreter_choice_to_the_launcher(
    runner: Any, tmp_path: Path
) -> None:
    request = runner.request({"task_key": "t", "spark_python_task": {"python_file": "x.py"}})
    plan = plan_task_process(
        request,
        payload=PythonFilePayload(Path("x.py")),
        cwd=tmp_path,
        environment=PythonEnvironment("base", sys.executable, ()),
    )
    assert plan.process.python is None
    assert plan.process.sys_path == ()
    assert json.loads(plan.process.runtime_spec.read_text())["control_socket"] is None  # type: ignore[union-attr]


def test_files_plan_of_a_known_folder(tmp_path: Path) -> None:
    files = TaskFiles.of(tmp_path / "7-t")
    plan = files_plan(tmp_path / "7-t")
    assert plan.result_file == files.result
    assert (plan.process.stdout_path, plan.process.stderr_path) == (files.stdout, files.stderr)
    assert plan.process.runtime_spec == files.spec
