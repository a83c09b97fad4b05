"""Tokens in headers: bearer and Basic, unknown, expired and revoked ones; the first start's
admin token."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from brickyard import storage
from brickyard.api.auth import (
    ADMIN_USER,
    CACHE_SECONDS,
    Authenticator,
    bootstrap_admin_token,
    new_token_value,
)
from brickyard.clock import FakeClock
from brickyard.errors import UnauthenticatedError


@pytest.fixture
def database(tmp_path: Path) -> Iterator[storage.Database]:
    db = storage.Database.open(f"sqlite:///{tmp_path / 'b.db'}")
    yield db
    db.dispose()


def _add(db: storage.Database, value: str, *, expiry: int = -1, admin: bool = False) -> None:
    with db.transaction() as conn:
        storage.create_token(
            conn,
            token_id=value[-6:],
            value=value,
            user_name="alice",
            is_admin=admin,
            comment="",
            now_ms=0,
            expiry_time=expiry,
        )


def test_bearer_and_basic_headers_name_the_same_caller(database: storage.Database) -> None:
    _add(database, "dapi-alice-0001")
    auth = Authenticator(database, FakeClock())
    bearer = auth.authenticate("Bearer dapi-alice-0001")
    basic = base64.b64encode(b"alice:dapi-alice-0001").decode()
    assert bearer == auth.authenticate(f"Basic {basic}")
    assert (bearer.user_name, bearer.is_admin) == ("alice", False)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "Missing authorization"),
        ("", "Missing authorization"),
        ("Bearer nope", "Invalid access token"),
        ("Token abc", "Unsupported authorization"),
        ("Basic !!!", "Malformed Basic"),
    ],
)
def test_bad_headers_are_refused(
    database: storage.Database, header: str | None, message: str
) -> None:
    with pytest.raises(UnauthenticatedError, match=message):
        Authenticator(database, FakeClock()).authenticate(header)


def test_expired_tokens_are_refused(database: storage.Database) -> None:
    clock = FakeClock()
    _add(database, "dapi-expiring-01", expiry=clock.now_ms() + 1000)
    auth = Authenticator(database, clock)
    auth.authenticate("Bearer dapi-expiring-01")
    clock.advance(2)
    with pytest.raises(UnauthenticatedError, match="expired"):
        auth.authenticate("Bearer dapi-expiring-01")


def test_revocation_takes_effect_at_once_when_forgotten_and_after_the_cache_otherwise(
    database: storage.Database,
) -> None:
    clock = FakeClock()
    _add(database, "dapi-revoked-01")
    auth = Authenticator(database, clock)
    principal = auth.authenticate("Bearer dapi-revoked-01")
    with database.transaction() as conn:
        storage.delete_token(conn, principal.token_id)
    auth.authenticate("Bearer dapi-revoked-01")  # still cached
    clock.advance(CACHE_SECONDS + 0.1)
    with pytest.raises(UnauthenticatedError):
        auth.authenticate("Bearer dapi-revoked-01")
    _add(database, "dapi-revoked-02")
    principal = auth.authenticate("Bearer dapi-revoked-02")
    with database.transaction() as conn:
        storage.delete_token(conn, principal.token_id)
    auth.forget(principal.token_id)
    with pytest.raises(UnauthenticatedError):
        auth.authenticate("Bearer dapi-revoked-02")


def test_the_first_start_creates_one_admin_token_and_shows_it_once(
    database: storage.Database,
) -> None:
    clock = FakeClock()
    value = bootstrap_admin_token(database, clock, None)
    assert value is not None and value.startswith("dapi") and len(value) == 36
    assert bootstrap_admin_token(database, clock, None) is None
    principal = Authenticator(database, clock).authenticate(f"Bearer {value}")
    assert (principal.user_name, principal.is_admin) == (ADMIN_USER, True)


def test_a_given_token_is_stored_once_as_an_admin_token(database: storage.Database) -> None:
    clock = FakeClock()
    given = new_token_value()
    assert bootstrap_admin_token(database, clock, given) is None
    assert bootstrap_admin_token(database, clock, given) is None
    with database.read() as conn:
        assert storage.count_tokens(conn) == 1
    assert Authenticator(database, clock).authenticate(f"Bearer {given}").is_admin
