"""``brickyard token create|list|delete`` on the store directly, with the server stopped and
running."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from brickyard import storage
from brickyard.api.auth import Authenticator
from brickyard.cli.main import app
from brickyard.clock import SystemClock
from brickyard.errors import UnauthenticatedError
from brickyard.settings import Settings
from support.api_server import start_server


def _cli(*args: str) -> Result:
    return CliRunner().invoke(app, ["token", *args])


def _records() -> list[storage.TokenRecord]:
    database = storage.Database.open(Settings.from_env().database_url)
    try:
        with database.read() as conn:
            return storage.list_tokens(conn)
    finally:
        database.dispose()


def _who(value: str) -> tuple[str, bool]:
    database = storage.Database.open(Settings.from_env().database_url)
    try:
        principal = Authenticator(database, SystemClock()).authenticate(f"Bearer {value}")
    finally:
        database.dispose()
    return principal.user_name, principal.is_admin


def test_create_prints_the_value_alone_on_stdout_and_how_to_use_it(home: Path) -> None:
    result = _cli("create", "--comment", "laptop")
    assert result.exit_code == 0, result.output
    value = result.stdout.strip()
    assert value.startswith("dapi") and "\n" not in value
    assert f"export DATABRICKS_TOKEN={value}" in result.stderr
    assert "export DATABRICKS_HOST=http://localhost:8000" in result.stderr
    assert _who(value) == ("admin", True)
    (record,) = _records()
    assert (record.comment, record.expiry_time) == ("laptop", storage.NEVER_EXPIRES)


def test_a_named_user_gets_a_plain_token_unless_admin_is_asked(home: Path) -> None:
    alice = _cli("create", "--user", "alice").stdout.strip()
    bob = _cli("create", "--user", "bob", "--admin").stdout.strip()
    assert _who(alice) == ("alice", False)
    assert _who(bob) == ("bob", True)


def test_lifetime_sets_the_expiry(home: Path) -> None:
    result = _cli("create", "--user", "alice", "--lifetime-seconds", "120")
    assert result.exit_code == 0, result.output
    (record,) = _records()
    assert record.expiry_time - record.creation_time == 120_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--lifetime-seconds", "0"],
            "--lifetime-seconds 0: expected a positive number of seconds up to 3153600000 "
            "(100 years)",
        ),
        (
            ["--lifetime-seconds", "99999999999999999"],
            "--lifetime-seconds 99999999999999999: expected a positive number of seconds up to "
            "3153600000 (100 years)",
        ),
        (["--user", " "], "--user: the user name must not be empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(home: Path, args: list[str], message: str) -> None:
    result = _cli("create", *args)
    assert result.exit_code == 2
    assert result.stderr == f"brickyard: {message}\n"
    assert _records() == []


def test_list_shows_every_users_tokens_and_marks_expired_ones(home: Path) -> None:
    _cli("create", "--user", "alice", "--comment", "ci")
    _cli("create")
    database = storage.Database.open(Settings.from_env().database_url)
    try:
        with database.transaction() as conn:
            storage.create_token(
                conn,
                token_id="old",
                value="dapi-old",
                user_name="carol",
                is_admin=False,
                comment="",
                now_ms=1,
                expiry_time=2,
            )
    finally:
        database.dispose()
    lines = _cli("list").stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("old  carol") and "(expired)" in lines[0]
    assert any(" alice " in line and " user " in line and line.endswith("ci") for line in lines)
    assert any(" admin " in line and "expires never" in line for line in lines)
    only = _cli("list", "--user", "alice").stdout.splitlines()
    assert len(only) == 1 and " alice " in only[0]


def test_list_with_no_tokens_says_so(home: Path) -> None:
    result = _cli("list")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no tokens" in result.stderr


def test_delete_revokes_and_an_unknown_id_is_bad_input(home: Path) -> None:
    value = _cli("create", "--user", "alice").stdout.strip()
    (record,) = _records()
    result = _cli("delete", record.token_id)
    assert result.exit_code == 0, result.output
    assert f"deleted token {record.token_id}" in result.stdout
    with pytest.raises(UnauthenticatedError):
        _who(value)
    again = _cli("delete", record.token_id)
    assert again.exit_code == 2
    assert f"Token {record.token_id} does not exist." in again.stderr


def test_a_token_created_while_the_server_runs_works_at_once(home: Path) -> None:
    running, thread = start_server(home)
    try:
        value = _cli("create", "--user", "alice").stdout.strip()
        with running.client(value) as client:
            response = client.get("/api/2.0/token/list")
        assert response.status_code == 200, response.text
        assert [t["token_id"] for t in response.json()["token_infos"]] == [
            r.token_id for r in _records() if r.user_name == "alice"
        ]
    finally:
        thread.stop()
        running.services.close()
