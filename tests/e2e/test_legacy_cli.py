"""The real legacy ``databricks-cli`` 0.18.0 against a real server (jobs-api.md §9.2).

The CLI drops the port from ``DATABRICKS_HOST`` and always connects to port 80, so each test
serves a fresh home on 127.0.0.1:80. Tests holding port 80 never overlap, not even across
xdist workers: each takes an exclusive file lock first (xdist's ``loadgroup`` cannot keep them
on one worker: it renames items through ``Node._nodeid``, which pytest 9 no longer reads).
Without the right to bind port 80 (not root) the tests skip.

The CLI speaks Jobs API 2.0 unless told ``--version 2.1``; it sends ``Content-Type: text/json``
and ids as strings, and prints the raw error body with exit code 1 on any non-2xx answer.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from support.api_server import RunningServer, start_server, wait_for_run

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DATABRICKS = str(Path(sys.executable).with_name("databricks"))
PORT = 80
PORT_LOCK = Path(tempfile.gettempdir()) / "brickyard-tests-port-80.lock"
"""Held while a test serves on port 80, so two xdist workers never try at once."""

VERSIONS = [pytest.param(None, id="api-2.0"), pytest.param("2.1", id="api-2.1")]
"""The CLI's default Jobs API (2.0, no flag) and ``--version 2.1``."""


@dataclass
class LegacyCli:
    """``databricks`` as a subprocess talking to the server on port 80."""

    server: RunningServer
    env: dict[str, str]
    folder: Path

    def __call__(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: PLW1510 - tests assert on returncode
            [DATABRICKS, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
        )

    def ok(self, *args: str, timeout: float = 120) -> str:
        """The stdout of a command that must succeed."""
        result = self(*args, timeout=timeout)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    def json(self, *args: str) -> Any:
        """The JSON a successful command prints."""
        return json.loads(self.ok(*args))

    def json_file(self, name: str, body: dict[str, Any]) -> str:
        """A request file for ``--json-file``."""
        path = self.folder / name
        path.write_text(json.dumps(body))
        return str(path)

    def script(self, workspace_path: str, source: str) -> str:
        """A Python file in the server's workspace (for ``spark_python_task``)."""
        return self.server.write_file(workspace_path, source)


def _version_args(version: str | None) -> list[str]:
    return ["--version", version] if version else []


@pytest.fixture
def port_80_lock() -> Iterator[None]:
    """Exclusive use of port 80 among the tests; skips when port 80 cannot be bound."""
    with PORT_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _require_port_80()
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _require_port_80() -> None:
    with socket.socket() as sock:
        # uvicorn binds with SO_REUSEADDR too, so a previous test's TIME_WAIT is no obstacle
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", PORT))
        except PermissionError:
            pytest.skip("binding port 80 needs root (the legacy CLI always connects to port 80)")
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                pytest.skip("port 80 is in use by another program")
            raise


@pytest.fixture
def cli(port_80_lock: None, tmp_path: Path) -> Iterator[LegacyCli]:
    """A server over a fresh home on port 80 and the CLI configured for it."""
    running, thread = start_server(tmp_path / "home", port=PORT)
    assert running.url == "http://127.0.0.1:80"
    home = tmp_path / "user"  # no ~/.databrickscfg or ~/.netrc of the machine interferes
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("DATABRICKS_")}
    for proxy in ("http_proxy", "https_proxy", "all_proxy"):
        env.pop(proxy, None)
        env.pop(proxy.upper(), None)
    env.update(
        HOME=str(home),
        DATABRICKS_HOST="http://127.0.0.1",
        DATABRICKS_TOKEN=running.token,
        NO_PROXY="127.0.0.1,localhost",
    )
    try:
        yield LegacyCli(running, env, tmp_path)
    finally:
        thread.stop()
        running.services.close()


def _single_task_job(name: str, script: str) -> dict[str, Any]:
    """A job in the 2.0 shape: the task's fields at the top level."""
    return {
        "name": name,
        "existing_cluster_id": "0101-120000-abcdefgh",
        "spark_python_task": {"python_file": script, "parameters": ["from-job"]},
        "max_retries": 0,
        "timeout_seconds": 300,
    }


def _multi_task_job(name: str, script: str) -> dict[str, Any]:
    return {
        "name": name,
        "tasks": [
            {
                "task_key": "main",
                "new_cluster": {"spark_version": "15.4.x-scala2.12", "num_workers": 1},
                "spark_python_task": {"python_file": script, "parameters": ["from-job"]},
            }
        ],
    }


def test_jobs_commands_on_api_2_0(cli: LegacyCli) -> None:
    script = cli.script("/cli/hello.py", "import sys; print('hello', *sys.argv[1:])\n")
    body = _single_task_job("legacy hello", script)
    created = cli(  # the default API is 2.0, and the CLI warns about it
        "jobs", "create", "--json-file", cli.json_file("job.json", body)
    )
    assert created.returncode == 0, created.stderr
    assert "Jobs API 2.0" in created.stderr
    job_id = json.loads(created.stdout)["job_id"]

    job = cli.json("jobs", "get", "--job-id", str(job_id))
    assert job["job_id"] == job_id
    settings = job["settings"]
    assert "tasks" not in settings
    assert settings["spark_python_task"] == body["spark_python_task"]
    assert settings["existing_cluster_id"] == body["existing_cluster_id"]

    table = cli.ok("jobs", "list")
    assert [str(job_id), "legacy hello"] in [line.split(None, 1) for line in table.splitlines()]
    listed = cli.json("jobs", "list", "--output", "JSON")
    assert [j["job_id"] for j in listed["jobs"]] == [job_id]

    renamed = {**body, "name": "legacy renamed"}
    cli.ok(
        "jobs", "reset", "--job-id", str(job_id), "--json-file", cli.json_file("r.json", renamed)
    )
    assert cli.json("jobs", "get", "--job-id", str(job_id))["settings"]["name"] == "legacy renamed"

    # the 2.1-only list options are refused by the CLI itself on 2.0
    refused = cli("jobs", "list", "--all")
    assert "only available in API 2.1" in refused.stderr

    cli.ok("jobs", "delete", "--job-id", str(job_id))
    missing = cli("jobs", "get", "--job-id", str(job_id))
    assert missing.returncode == 1
    assert "Error:" in missing.stdout
    assert f"Job {job_id} does not exist." in missing.stdout
    assert "INVALID_PARAMETER_VALUE" in missing.stdout


def test_jobs_commands_on_api_2_1(cli: LegacyCli) -> None:
    script = cli.script("/cli/hello.py", "print('hello')\n")
    v21 = ["--version", "2.1"]
    first = cli.json(
        "jobs",
        "create",
        *v21,
        "--json-file",
        cli.json_file("job.json", _multi_task_job("Alpha", script)),
    )["job_id"]
    job = cli.json("jobs", "get", "--job-id", str(first), *v21)
    assert job["settings"]["tasks"][0]["task_key"] == "main"
    assert job["settings"]["format"] == "MULTI_TASK"

    # more jobs than one page of 20, so --all pages with offset + has_more
    with cli.server.client() as api:
        others = [
            api.post("/api/2.1/jobs/create", json={"name": f"job {i:02d}"}).json()["job_id"]
            for i in range(24)
        ]
    everything = cli.json("jobs", "list", *v21, "--all", "--output", "JSON")
    assert sorted(j["job_id"] for j in everything["jobs"]) == sorted([first, *others])

    table = cli.ok("jobs", "list", *v21, "--all")
    assert "Alpha" in table and "job 23" in table

    page = cli.json("jobs", "list", *v21, "--limit", "5", "--offset", "20", "--output", "JSON")
    assert [j["job_id"] for j in page["jobs"]] == sorted([first, *others])[20:25]

    named = cli.json("jobs", "list", *v21, "--name", "alpha", "--output", "JSON")
    assert [j["job_id"] for j in named["jobs"]] == [first]

    cli.ok("jobs", "delete", "--job-id", str(first), *v21)
    missing = cli("jobs", "get", "--job-id", str(first), *v21)
    assert missing.returncode == 1
    assert f"Job {first} does not exist." in missing.stdout


@pytest.mark.parametrize("version", VERSIONS)
def test_run_now_then_runs_get_list_and_output(cli: LegacyCli, version: str | None) -> None:
    flags = _version_args(version)
    script = cli.script("/cli/echo.py", "import sys; print('argv', *sys.argv[1:])\n")
    job = _multi_task_job("echo", script) if version else _single_task_job("echo", script)
    job_id = cli.json("jobs", "create", *flags, "--json-file", cli.json_file("job.json", job))[
        "job_id"
    ]

    started = cli.json(
        "jobs", "run-now", "--job-id", str(job_id), "--python-params", '["p1", "p2"]', *flags
    )
    run_id = started["run_id"]
    assert started["number_in_job"] == run_id
    with cli.server.client() as api:
        wait_for_run(api, run_id)

    run = cli.json("runs", "get", "--run-id", str(run_id), *flags)
    assert run["run_id"] == run_id
    assert run["job_id"] == job_id
    assert run["state"]["life_cycle_state"] == "TERMINATED"
    assert run["state"]["result_state"] == "SUCCESS"
    assert isinstance(run["run_page_url"], str)
    if version is None:  # a 2.0 run of a single-task job shows its task at the top level
        assert run["task"]["spark_python_task"]["python_file"] == script
        assert run["cluster_spec"] == {"existing_cluster_id": "0101-120000-abcdefgh"}

    rows = [line.split() for line in cli.ok("runs", "list", *flags).splitlines()]
    assert [str(run_id), "echo", "TERMINATED", "SUCCESS"] in [row[:4] for row in rows]
    listed = cli.json("runs", "list", "--job-id", str(job_id), "--output", "JSON", *flags)
    assert [r["run_id"] for r in listed["runs"]] == [run_id]
    assert cli.json("runs", "list", "--active-only", "--output", "JSON", *flags).get("runs") is None

    [task] = run["tasks"]
    output = cli.json("runs", "get-output", "--run-id", str(task["run_id"]), *flags)
    assert "argv p1 p2" in output["logs"]  # python_params replace the task's parameters
    assert output["metadata"]["state"]["result_state"] == "SUCCESS"


@pytest.mark.parametrize("version", VERSIONS)
def test_runs_submit_wait_exit_codes(cli: LegacyCli, version: str | None) -> None:
    flags = _version_args(version)
    good = cli.script("/cli/good.py", "print('all good')\n")
    bad = cli.script("/cli/bad.py", "raise SystemExit('bad on purpose')\n")

    def submit_body(name: str, script: str) -> dict[str, Any]:
        if version is None:  # the legacy single-task shape the 2.0 CLI documents
            return {
                "run_name": name,
                "new_cluster": {"spark_version": "13.3.x-scala2.12", "num_workers": 1},
                "spark_python_task": {"python_file": script},
            }
        return {
            "run_name": name,
            "tasks": [{"task_key": "only", "spark_python_task": {"python_file": script}}],
        }

    ok = cli(
        "runs",
        "submit",
        "--json-file",
        cli.json_file("ok.json", submit_body("ok", good)),
        "--wait",
        *flags,
    )
    assert ok.returncode == 0, (ok.stdout, ok.stderr)
    if "Waiting on run to complete" in ok.stderr:  # polled while active: run_page_url shown
        assert "URL: http://127.0.0.1:80/" in ok.stderr
    run_id = json.loads(ok.stdout[: ok.stdout.rindex("}") + 1])["run_id"]
    with cli.server.client() as api:
        run = api.get("/api/2.1/jobs/runs/get", params={"run_id": run_id}).json()
    assert run["run_type"] == "SUBMIT_RUN"
    assert run["state"]["result_state"] == "SUCCESS"

    failed = cli(
        "runs",
        "submit",
        "--json-file",
        cli.json_file("bad.json", submit_body("bad", bad)),
        "--wait",
        *flags,
    )
    assert failed.returncode == 1, (failed.stdout, failed.stderr)
    assert "Run failed with state FAILED" in failed.stdout


def test_runs_cancel(cli: LegacyCli) -> None:
    script = cli.script("/cli/sleep.py", "import time\ntime.sleep(120)\n")
    body = {
        "run_name": "sleeper",
        "existing_cluster_id": "0101-120000-abcdefgh",
        "spark_python_task": {"python_file": script},
    }
    run_id = cli.json("runs", "submit", "--json-file", cli.json_file("s.json", body))["run_id"]
    assert cli.json("runs", "list", "--active-only", "--output", "JSON")["runs"][0]["run_id"] == (
        run_id
    )
    assert cli.json("runs", "cancel", "--run-id", str(run_id)) == {}
    with cli.server.client() as api:
        run = wait_for_run(api, run_id)
    assert run["state"]["result_state"] == "CANCELED"
    missing = cli("runs", "get", "--run-id", "999")
    assert missing.returncode == 1
    assert "Run 999 does not exist." in missing.stdout


def test_fs_cp_ls_and_rm(cli: LegacyCli) -> None:
    # `fs cp` posts a file under 2 GB as one multipart dbfs/put; the way back reads 1 MB chunks
    content = os.urandom(3 * 1024 * 1024 + 5)
    local = cli.folder / "tool-1.0-py3-none-any.whl"
    local.write_bytes(content)
    cli.ok("fs", "mkdirs", "dbfs:/FileStore/wheels")
    cli.ok("fs", "cp", str(local), "dbfs:/FileStore/wheels")  # into the folder, by its name
    stored = cli.server.home / "dbfs" / "FileStore" / "wheels" / local.name
    assert stored.read_bytes() == content
    assert local.name in cli.ok("fs", "ls", "dbfs:/FileStore/wheels")
    refused = cli("fs", "cp", str(local), f"dbfs:/FileStore/wheels/{local.name}")
    assert refused.returncode != 0 and "RESOURCE_ALREADY_EXISTS" in refused.stdout + refused.stderr
    cli.ok("fs", "cp", "--overwrite", str(local), f"dbfs:/FileStore/wheels/{local.name}")
    back = cli.folder / "back.whl"
    cli.ok("fs", "cp", f"dbfs:/FileStore/wheels/{local.name}", str(back))
    assert back.read_bytes() == content
    cli.ok("fs", "rm", "-r", "dbfs:/FileStore/wheels")
    assert not stored.parent.exists()
