"""Schemathesis against the live server: every operation of ``/openapi.json``, fuzzed with the
admin token, must never answer 5xx; and the document itself is valid OpenAPI 3, with ``/docs``
serving it.

Examples are derandomized (Hypothesis seeds them from the test), so CI sends the same requests
every time. Schemathesis' lazy pytest loader does not work on pytest 9 (it writes
``Node._nodeid``), so each operation's strategies are driven by Hypothesis tests inside a
subtest, and the operations are split into groups that xdist can spread over workers. Runs the
fuzzer manages to start (run-now, submit) execute for real in a throwaway home; they may fail,
and are cancelled before the server stops.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.schemas import OpenApiSchema

from support.api_server import RunningServer, start_server, wait_for_run
from support.cluster_runtime import ProcessClusterRuntime

pytestmark = pytest.mark.slow

Operation = APIOperation[Any, Any, Any, Any]
Case = schemathesis.Case[Operation]

EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 6}
"""Per operation. Negative bodies of the job-settings schema are slow to generate, so fewer."""

JOBS_GROUPS = ("/api/2.0/jobs/", "/api/2.1/jobs/", "/api/2.2/jobs/")
OTHER = "other"
"""Every operation outside the jobs groups (workspace, secrets, tokens, permissions, ...)."""


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server over a throwaway home; whatever the fuzzer started is cancelled at the end."""
    # Clusters the fuzzer creates are real processes, but not JVMs (a 2-core machine).
    clusters = ProcessClusterRuntime()
    running, thread = start_server(
        tmp_path_factory.mktemp("fuzz") / "home", cluster_runtime=clusters
    )
    try:
        with running.client() as client:
            _seed(running, client)
        yield running
    finally:
        with running.client() as client:
            _cancel_active_runs(client)
        thread.stop()
        running.services.close()
        clusters.close()


@pytest.fixture(scope="module")
def api_schema(fuzzed_server: RunningServer) -> OpenApiSchema:
    """The server's own OpenAPI document, loaded by schemathesis (which validates it)."""
    schema = schemathesis.openapi.from_url(f"{fuzzed_server.url}/openapi.json")
    assert isinstance(schema, OpenApiSchema)
    return schema


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    """One keep-alive session for every fuzzed call."""
    with requests.Session() as http:
        yield http


@pytest.mark.parametrize("group", [*JOBS_GROUPS, OTHER])
def test_no_operation_answers_a_server_error(
    group: str,
    api_schema: OpenApiSchema,
    fuzzed_server: RunningServer,
    session: requests.Session,
    subtests: pytest.Subtests,
) -> None:
    operations = [op for op in _operations(api_schema) if _group(op) == group]
    if group in JOBS_GROUPS:
        assert len(operations) >= 16  # every jobs and runs route, under each version
    elif not operations:
        pytest.skip("the document has no operations outside the Jobs API")
    auth = {"Authorization": f"Bearer {fuzzed_server.token}"}
    for operation in operations:
        for mode, examples in EXAMPLES.items():

            @settings(
                max_examples=examples,
                derandomize=True,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                # No shrinking: a failure is reported with its request (as curl) anyway, and
                # shrinking one can take minutes of requests.
                phases=[Phase.explicit, Phase.reuse, Phase.generate],
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def no_server_error(case: Case) -> None:
                case.call_and_validate(
                    base_url=fuzzed_server.url,
                    headers=auth,  # replaces any Authorization the generator made up
                    session=session,
                    checks=[not_a_server_error],
                    timeout=30,
                )

            with subtests.test(msg=f"{operation.label} ({mode.value})"):
                no_server_error()


def test_openapi_document_is_openapi_3(api_schema: OpenApiSchema) -> None:
    api_schema.validate()  # against the OpenAPI 3.x meta-schema
    raw = api_schema.raw_schema
    assert str(raw["openapi"]).startswith("3.")
    paths = raw["paths"]
    for version in ("2.0", "2.1", "2.2"):
        assert "post" in paths[f"/api/{version}/jobs/create"]
        assert "get" in paths[f"/api/{version}/jobs/runs/get"]
    body = paths["/api/2.2/jobs/runs/submit"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].startswith("#/components/schemas/")
    assert raw["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert len(_operations(api_schema)) == sum(len(methods) for methods in paths.values())


def test_docs_page_serves(fuzzed_server: RunningServer) -> None:
    response = httpx.get(f"{fuzzed_server.url}/docs", timeout=30)
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "/openapi.json" in response.text


def _operations(schema: OpenApiSchema) -> list[Operation]:
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()  # every operation must parse
        operations.append(result.ok())
    return operations


def _group(operation: Operation) -> str:
    return next((g for g in JOBS_GROUPS if operation.path.startswith(g)), OTHER)


def _seed(server: RunningServer, client: httpx.Client) -> None:
    """A finished two-task job run, so the small ids the fuzzer favours (1, 2, 3) name a real
    job, job run and task runs and the requests reach past the lookups."""
    script = server.write_file("/fuzz/ok.py", "print('ok')\n")
    task = {"spark_python_task": {"python_file": script}}
    settings = {
        "name": "seed",
        "tasks": [
            {"task_key": "a", **task},
            {"task_key": "b", "depends_on": [{"task_key": "a"}], **task},
        ],
    }
    job_id = client.post("/api/2.2/jobs/create", json=settings).json()["job_id"]
    run_id = client.post("/api/2.2/jobs/run-now", json={"job_id": job_id}).json()["run_id"]
    wait_for_run(client, run_id)


def _cancel_active_runs(client: httpx.Client, wait_s: float = 30) -> None:
    """Cancel every active run and wait (bounded) until none is left, so no task process
    outlives the test."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        listed = client.get("/api/2.1/jobs/runs/list", params={"active_only": "true", "limit": 25})
        runs = listed.json().get("runs", []) if listed.status_code == 200 else []
        if not runs:
            return
        for run in runs:
            client.post("/api/2.1/jobs/runs/cancel", json={"run_id": run["run_id"]})
        time.sleep(0.5)
