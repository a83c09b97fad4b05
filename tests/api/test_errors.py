"""Every error leaves the API as a Databricks error body with the status clients expect."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import OperationalError

from brickyard.api.errors import STATUS_BY_ERROR_CODE, install_error_handlers
from brickyard.errors import (
    ConflictError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    ResourceNotFoundError,
    UnauthenticatedError,
)
from support.api_server import ServerThread, free_port

RAISED = {
    "bad": InvalidInputError("limit: must be between 1 and 100"),
    "missing-job": NotFoundError("Job 7 does not exist."),
    "missing-path": ResourceNotFoundError("Path (/x) doesn't exist."),
    "state": InvalidStateError("Run 3 is still active"),
    "conflict": ConflictError("Scope s already exists!"),
    "who": UnauthenticatedError("Invalid access token."),
    "nope": PermissionDeniedError("User bob does not have CAN_MANAGE permission on job 1."),
    "store": OperationalError("SELECT 1", {}, Exception("database is locked")),
    "bug": ZeroDivisionError("division by zero"),
}


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/raise/{name}")
    def raise_(name: str) -> None:
        raise RAISED[name]

    @app.get("/typed")
    def typed(limit: int) -> dict[str, int]:
        return {"limit": limit}

    port = free_port()
    server = ServerThread(app, "127.0.0.1", port)
    server.start()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
        yield http
    server.stop()


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("bad", 400, "INVALID_PARAMETER_VALUE"),
        ("missing-job", 400, "INVALID_PARAMETER_VALUE"),
        ("missing-path", 404, "RESOURCE_DOES_NOT_EXIST"),
        ("state", 400, "INVALID_STATE"),
        ("conflict", 409, "RESOURCE_ALREADY_EXISTS"),
        ("who", 401, "UNAUTHENTICATED"),
        ("nope", 403, "PERMISSION_DENIED"),
        ("store", 503, "TEMPORARILY_UNAVAILABLE"),
        ("bug", 500, "INTERNAL_ERROR"),
    ],
)
def test_errors_become_databricks_bodies(
    client: httpx.Client, name: str, status: int, code: str
) -> None:
    response = client.get(f"/raise/{name}")
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error_code", "message"}
    assert body["error_code"] == code
    assert STATUS_BY_ERROR_CODE[code] == status
    if name not in ("store", "bug"):
        assert body["message"] == str(RAISED[name])


def test_internal_errors_never_say_what_the_sdk_retries_on(client: httpx.Client) -> None:
    message = client.get("/raise/bug").json()["message"]
    assert "Unexpected error" not in message and "ZeroDivisionError" in message


def test_a_503_tells_clients_when_to_retry(client: httpx.Client) -> None:
    assert client.get("/raise/store").headers["Retry-After"] == "1"


def test_unknown_paths_and_methods_are_endpoint_not_found(client: httpx.Client) -> None:
    for response in (client.get("/api/2.2/jobs/nothing"), client.post("/typed")):
        assert response.status_code == 404
        assert response.json()["error_code"] == "ENDPOINT_NOT_FOUND"
    assert client.get("/nothing").json()["message"] == "No API found for 'GET /nothing'"


def test_bad_query_parameters_name_the_field(client: httpx.Client) -> None:
    response = client.get("/typed", params={"limit": "many"})
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert response.json()["message"].startswith("limit:")
