"""The token routes, driven by the real ``databricks.sdk.WorkspaceClient``: create (the new
token works at once and inherits the caller's rights), list (own, valid tokens only), delete
(own tokens; admins any; refused at once afterwards)."""

from __future__ import annotations

import httpx
import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import InvalidParameterValue, ResourceDoesNotExist

from brickyard import storage
from support.api_server import RunningServer

TOKEN = "/api/2.0/token"
TASKS = [{"task_key": "main", "spark_python_task": {"python_file": "/noop.py"}}]


def _user_token(server: RunningServer, user: str, *, expiry: int = -1) -> str:
    value = f"dapi-test-{user}-{expiry}"
    with server.services.database.transaction() as conn:
        storage.create_token(
            conn,
            token_id=f"id-{user}-{expiry}",
            value=value,
            user_name=user,
            is_admin=False,
            comment="seeded",
            now_ms=1,
            expiry_time=expiry,
        )
    return value


def _sdk(server: RunningServer, token: str | None = None) -> WorkspaceClient:
    return WorkspaceClient(host=server.url, token=token or server.token)


def test_create_returns_a_working_token_with_its_info(server: RunningServer) -> None:
    w = _sdk(server)
    created = w.tokens.create(comment="ci", lifetime_seconds=3600)
    assert created.token_value is not None and created.token_value.startswith("dapi")
    info = created.token_info
    assert info is not None and info.token_id and info.comment == "ci"
    assert info.creation_time is not None and info.expiry_time is not None
    assert info.expiry_time - info.creation_time == 3_600_000
    listed = _sdk(server, created.token_value).tokens.list()
    assert info.token_id in [t.token_id for t in listed]


def test_a_token_without_lifetime_never_expires(api: httpx.Client) -> None:
    response = api.post(f"{TOKEN}/create", json={})
    assert response.status_code == 200, response.text
    info = response.json()["token_info"]
    assert info["expiry_time"] == -1
    assert info["comment"] == ""


def test_lifetime_may_arrive_as_a_string_but_must_be_positive(api: httpx.Client) -> None:
    response = api.post(f"{TOKEN}/create", json={"lifetime_seconds": "60"})
    assert response.status_code == 200, response.text
    info = response.json()["token_info"]
    assert info["expiry_time"] - info["creation_time"] == 60_000
    for bad in (0, -5, 10**20):
        refused = api.post(f"{TOKEN}/create", json={"lifetime_seconds": bad})
        assert refused.status_code == 400
        assert refused.json()["message"].startswith("lifetime_seconds must be a positive")
    nonsense = api.post(f"{TOKEN}/create", json={"lifetime_seconds": "soon"})
    assert nonsense.status_code == 400
    assert "lifetime_seconds" in nonsense.json()["message"]


def test_a_token_inherits_its_creators_rights(server: RunningServer) -> None:
    with server.client() as api:
        job_id = api.post("/api/2.2/jobs/create", json={"name": "j", "tasks": TASKS}).json()[
            "job_id"
        ]
    bob_value = _sdk(server, _user_token(server, "bob")).tokens.create().token_value
    assert bob_value is not None
    with server.client(bob_value) as bob:
        response = bob.get("/api/2.2/jobs/get", params={"job_id": job_id})
        assert response.status_code == 403, "bob's new token is not an admin token"
        mine = bob.get(f"{TOKEN}/list").json()["token_infos"]
        assert {t["token_id"] for t in mine} >= {"id-bob--1"}
    admin_value = _sdk(server).tokens.create().token_value
    assert admin_value is not None
    with server.client(admin_value) as admin:
        assert admin.get("/api/2.2/jobs/get", params={"job_id": job_id}).status_code == 200


def test_list_shows_the_callers_valid_tokens_only(server: RunningServer) -> None:
    bob = _user_token(server, "bob")
    _user_token(server, "bob", expiry=2)  # long expired
    _user_token(server, "carol")
    listed = _sdk(server, bob).tokens.list()
    assert [(t.token_id, t.comment, t.expiry_time) for t in listed] == [("id-bob--1", "seeded", -1)]
    admins = {t.token_id for t in _sdk(server).tokens.list()}
    assert "id-bob--1" not in admins and "id-carol--1" not in admins


def test_deleting_a_token_refuses_it_at_once(server: RunningServer) -> None:
    w = _sdk(server)
    created = w.tokens.create(comment="short-lived")
    assert created.token_value is not None and created.token_info is not None
    doomed = _sdk(server, created.token_value)
    assert doomed.tokens.list()  # now cached by the server
    w.tokens.delete(created.token_info.token_id or "")
    with httpx.Client(base_url=server.url) as client:
        response = client.get(
            f"{TOKEN}/list", headers={"Authorization": f"Bearer {created.token_value}"}
        )
    assert response.status_code == 401
    assert created.token_info.token_id not in [t.token_id for t in w.tokens.list()]


def test_a_user_may_delete_only_their_own_tokens(server: RunningServer) -> None:
    bob = _sdk(server, _user_token(server, "bob"))
    _user_token(server, "carol")
    with pytest.raises(ResourceDoesNotExist, match="Token id-carol--1 does not exist"):
        bob.tokens.delete("id-carol--1")
    _sdk(server).tokens.delete("id-carol--1")  # an admin may
    with server.services.database.read() as conn:
        assert [t.user_name for t in storage.list_tokens(conn, user_name="carol")] == []
    bob.tokens.delete("id-bob--1")
    with server.services.database.read() as conn:
        assert storage.list_tokens(conn, user_name="bob") == []


def test_delete_needs_an_existing_token_id(server: RunningServer) -> None:
    w = _sdk(server)
    with pytest.raises(ResourceDoesNotExist):
        w.tokens.delete("nope")
    with server.client() as api:
        response = api.post(f"{TOKEN}/delete", json={})
    assert response.status_code == 400
    assert "token_id" in response.json()["message"]
    with pytest.raises(InvalidParameterValue):
        w.api_client.do("POST", f"{TOKEN}/delete", body={"token_id": None})


def test_tokens_are_served_under_2_0_only(api: httpx.Client) -> None:
    assert api.get("/api/2.2/token/list").status_code == 404
    assert api.get(f"{TOKEN}/list").status_code == 200
