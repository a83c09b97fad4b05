"""The Secrets API 2.0 against a real server: shapes, errors, who may read values, that values
never leak into messages or logs, concurrent writes, and the SDK."""

from __future__ import annotations

import base64
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk import errors as sdk_errors
from databricks.sdk.service.workspace import ScopeBackendType

from brickyard import secret_store, storage
from support.api_server import RunningServer, wait_for_run

BASE = "/api/2.0/secrets"
VALUE = "s3cr3t-value-7f1c"


def assert_error(response: httpx.Response, status_code: int, error_code: str, text: str) -> None:
    assert response.status_code == status_code, response.text
    body = response.json()
    assert body["error_code"] == error_code
    assert text in body["message"]
    assert VALUE not in response.text


def create_scope(api: httpx.Client, scope: str, **fields: Any) -> httpx.Response:
    return api.post(f"{BASE}/scopes/create", json={"scope": scope, **fields})


def user_token(server: RunningServer) -> str:
    """A token of a user who is not an admin."""
    value = "dapi" + uuid.uuid4().hex
    with server.services.database.transaction() as conn:
        storage.create_token(
            conn,
            token_id=uuid.uuid4().hex,
            value=value,
            user_name="someone@example.com",
            is_admin=False,
            comment="test user",
            now_ms=server.services.clock.now_ms(),
        )
    return value


def test_scopes_are_created_listed_and_deleted(api: httpx.Client) -> None:
    assert api.get(f"{BASE}/scopes/list").json() == {}
    assert create_scope(api, "prod.db-1_x", initial_manage_principal="users").json() == {}
    assert create_scope(api, "alpha", scope_backend_type="databricks").json() == {}
    assert api.get(f"{BASE}/scopes/list").json() == {
        "scopes": [
            {"name": "alpha", "backend_type": "DATABRICKS"},
            {"name": "prod.db-1_x", "backend_type": "DATABRICKS"},
        ]
    }
    assert_error(
        create_scope(api, "alpha"), 409, "RESOURCE_ALREADY_EXISTS", "Scope alpha already exists!"
    )
    for bad in ("has space", "", "a/b", "x" * 129):
        assert_error(create_scope(api, bad), 400, "INVALID_PARAMETER_VALUE", "'scope'")
    azure = create_scope(api, "kv", scope_backend_type="AZURE_KEYVAULT")
    assert_error(azure, 400, "INVALID_PARAMETER_VALUE", "scope_backend_type")
    assert_error(
        api.post(f"{BASE}/scopes/create", json={}), 400, "INVALID_PARAMETER_VALUE", "scope"
    )

    assert api.post(f"{BASE}/scopes/delete", json={"scope": "alpha"}).json() == {}
    missing = api.post(f"{BASE}/scopes/delete", json={"scope": "alpha"})
    assert_error(missing, 404, "RESOURCE_DOES_NOT_EXIST", "Scope alpha does not exist!")
    assert [s["name"] for s in api.get(f"{BASE}/scopes/list").json()["scopes"]] == ["prod.db-1_x"]


def test_put_list_get_delete_and_the_store_tasks_read(
    server: RunningServer, api: httpx.Client
) -> None:
    assert create_scope(api, "app").status_code == 200
    assert api.get(f"{BASE}/list", params={"scope": "app"}).json() == {}
    before = server.services.clock.now_ms()
    put = api.post(
        f"{BASE}/put", json={"scope": "app", "key": "db.password", "string_value": VALUE}
    )
    assert put.status_code == 200 and put.json() == {}
    as_bytes = base64.b64encode("héllo".encode()).decode()
    assert (
        api.post(
            f"{BASE}/put", json={"scope": "app", "key": "greeting", "bytes_value": as_bytes}
        ).json()
        == {}
    )
    after = server.services.clock.now_ms()

    listed = api.get(f"{BASE}/list", params={"scope": "app"})
    assert VALUE not in listed.text
    secrets = listed.json()["secrets"]
    assert [sorted(item) for item in secrets] == [["key", "last_updated_timestamp"]] * 2
    assert [item["key"] for item in secrets] == ["db.password", "greeting"]
    assert all(before <= item["last_updated_timestamp"] <= after for item in secrets)

    store = server.services.settings.secrets_file
    assert secret_store.get_secret(store, "app", "db.password") == VALUE
    assert secret_store.get_secret(store, "app", "greeting") == "héllo"

    got = api.get(f"{BASE}/get", params={"scope": "app", "key": "db.password"}).json()
    assert got == {"key": "db.password", "value": base64.b64encode(VALUE.encode()).decode()}

    assert api.post(f"{BASE}/delete", json={"scope": "app", "key": "greeting"}).json() == {}
    again = api.post(f"{BASE}/delete", json={"scope": "app", "key": "greeting"})
    assert_error(again, 404, "RESOURCE_DOES_NOT_EXIST", "key: greeting")
    missing = api.get(f"{BASE}/get", params={"scope": "app", "key": "greeting"})
    assert_error(missing, 404, "RESOURCE_DOES_NOT_EXIST", "greeting")
    unknown_scope = api.get(f"{BASE}/list", params={"scope": "nope"})
    assert_error(unknown_scope, 404, "RESOURCE_DOES_NOT_EXIST", "Scope nope does not exist!")


def test_put_refuses_bad_requests_without_echoing_the_value(api: httpx.Client) -> None:
    assert create_scope(api, "app").status_code == 200
    encoded = base64.b64encode(VALUE.encode()).decode()

    def put(**fields: Any) -> httpx.Response:
        return api.post(f"{BASE}/put", json={"scope": "app", "key": "k", **fields})

    no_scope = api.post(f"{BASE}/put", json={"scope": "ghost", "key": "k", "string_value": VALUE})
    assert_error(no_scope, 404, "RESOURCE_DOES_NOT_EXIST", "Scope ghost does not exist!")
    both = put(string_value=VALUE, bytes_value=encoded)
    assert_error(
        both, 400, "INVALID_PARAMETER_VALUE", "Exactly one of string_value and bytes_value"
    )
    assert_error(put(), 400, "INVALID_PARAMETER_VALUE", "Exactly one of")
    assert_error(put(bytes_value=VALUE + "%%"), 400, "INVALID_PARAMETER_VALUE", "'bytes_value'")
    not_text = put(bytes_value=base64.b64encode(b"\xff\xfe" + VALUE.encode()).decode())
    assert_error(not_text, 400, "INVALID_PARAMETER_VALUE", "not UTF-8")
    too_big = put(string_value=VALUE * 10_000)
    assert_error(too_big, 400, "INVALID_PARAMETER_VALUE", "128 KB")
    not_a_string = put(string_value={"v": VALUE})
    assert_error(not_a_string, 400, "INVALID_PARAMETER_VALUE", "string_value")
    bad_key = api.post(f"{BASE}/put", json={"scope": "app", "key": "a b", "string_value": VALUE})
    assert_error(bad_key, 400, "INVALID_PARAMETER_VALUE", "'key'")
    assert api.get(f"{BASE}/list", params={"scope": "app"}).json() == {}


def test_only_admins_read_values(server: RunningServer, api: httpx.Client) -> None:
    assert create_scope(api, "app").status_code == 200
    api.post(f"{BASE}/put", json={"scope": "app", "key": "k", "string_value": VALUE})
    with server.client(user_token(server)) as user:
        denied = user.get(f"{BASE}/get", params={"scope": "app", "key": "k"})
        assert_error(denied, 403, "PERMISSION_DENIED", "admin token")
        # Existence is not revealed either.
        hidden = user.get(f"{BASE}/get", params={"scope": "nope", "key": "k"})
        assert_error(hidden, 403, "PERMISSION_DENIED", "admin token")
        assert [
            s["key"] for s in user.get(f"{BASE}/list", params={"scope": "app"}).json()["secrets"]
        ] == ["k"]


def test_values_never_reach_the_logs(
    server: RunningServer, api: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    create_scope(api, "app")
    api.post(f"{BASE}/put", json={"scope": "app", "key": "k", "string_value": VALUE})
    api.post(
        f"{BASE}/put", json={"scope": "app", "key": "k", "string_value": VALUE, "bytes_value": "x"}
    )
    api.post(f"{BASE}/put", json={"scope": "nope", "key": "k", "string_value": VALUE})
    api.get(f"{BASE}/get", params={"scope": "app", "key": "k"})
    assert caplog.records  # the capture works: the client logs its requests
    assert all(VALUE not in record.getMessage() for record in caplog.records)
    assert VALUE not in caplog.text


def test_concurrent_puts_are_all_kept(api: httpx.Client) -> None:
    assert create_scope(api, "load").status_code == 200

    def put(index: int) -> int:
        body = {"scope": "load", "key": f"key{index:02}", "string_value": f"v{index}"}
        return api.post(f"{BASE}/put", json=body).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(put, range(40))) == {200}
    keys = [
        item["key"] for item in api.get(f"{BASE}/list", params={"scope": "load"}).json()["secrets"]
    ]
    assert keys == [f"key{index:02}" for index in range(40)]


def test_a_task_reads_a_secret_put_through_the_api(
    server: RunningServer, api: httpx.Client
) -> None:
    assert create_scope(api, "app").status_code == 200
    api.post(f"{BASE}/put", json={"scope": "app", "key": "k", "string_value": VALUE})
    server.write_file(
        "/jobs/read_secret.py",
        """\
        # Databricks notebook source
        value = dbutils.secrets.get("app", "k")
        dbutils.notebook.exit(str(len(value)) + ":" + value[::-1])
        """,
    )
    submitted = api.post(
        "/api/2.1/jobs/runs/submit",
        json={
            "run_name": "secret",
            "tasks": [{"task_key": "t", "notebook_task": {"notebook_path": "/jobs/read_secret"}}],
        },
    )
    run = wait_for_run(api, submitted.json()["run_id"])
    assert run["state"]["result_state"] == "SUCCESS", run["state"]
    output = api.get(
        "/api/2.1/jobs/runs/get-output", params={"run_id": run["tasks"][0]["run_id"]}
    ).json()
    assert output["notebook_output"]["result"] == f"{len(VALUE)}:{VALUE[::-1]}"


def test_the_sdk_drives_the_secrets_api(server: RunningServer) -> None:
    w = WorkspaceClient(host=server.url, token=server.token)
    w.secrets.create_scope("sdk", scope_backend_type=ScopeBackendType.DATABRICKS)
    with pytest.raises(sdk_errors.ResourceAlreadyExists):
        w.secrets.create_scope("sdk")
    assert [(s.name, s.backend_type) for s in w.secrets.list_scopes()] == [
        ("sdk", ScopeBackendType.DATABRICKS)
    ]
    w.secrets.put_secret("sdk", "token", string_value=VALUE)
    w.secrets.put_secret("sdk", "blob", bytes_value=base64.b64encode(b"raw").decode())
    listed = list(w.secrets.list_secrets("sdk"))
    assert [s.key for s in listed] == ["blob", "token"]
    assert all(isinstance(s.last_updated_timestamp, int) for s in listed)
    got = w.secrets.get_secret("sdk", "token")
    assert base64.b64decode(got.value or "").decode() == VALUE

    w.secrets.delete_secret("sdk", "token")
    with pytest.raises(sdk_errors.ResourceDoesNotExist):
        w.secrets.delete_secret("sdk", "token")
    with pytest.raises(sdk_errors.NotFound):
        list(w.secrets.list_secrets("ghost"))
    with pytest.raises(sdk_errors.ResourceDoesNotExist):
        w.secrets.put_secret("ghost", "k", string_value=VALUE)

    user = WorkspaceClient(host=server.url, token=user_token(server))
    with pytest.raises(sdk_errors.PermissionDenied):
        user.secrets.get_secret("sdk", "blob")
    w.secrets.delete_scope("sdk")
    assert list(w.secrets.list_scopes()) == []
