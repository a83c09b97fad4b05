"""Tokens are stored as hashes, found by value, listed, and revoked (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from brickyard import storage
from brickyard.errors import ResourceNotFoundError

NOW = 1_763_700_000_000


def _create(db: storage.Database, token_id: str, value: str, user: str = "alice") -> None:
    with db.transaction() as conn:
        storage.create_token(
            conn,
            token_id=token_id,
            value=value,
            user_name=user,
            is_admin=False,
            comment=f"for {user}",
            now_ms=NOW,
            expiry_time=NOW + 1000,
        )


def test_a_token_is_found_by_its_value_and_never_stored_in_clear(db: storage.Database) -> None:
    _create(db, "t1", "dapi-secret-value")
    with db.read() as conn:
        found = storage.find_token(conn, "dapi-secret-value")
        missing = storage.find_token(conn, "dapi-other")
        stored = conn.exec_driver_sql("SELECT token_hash FROM tokens").scalars().all()
    assert found is not None
    assert (found.token_id, found.user_name, found.comment) == ("t1", "alice", "for alice")
    assert missing is None
    assert stored == [storage.hash_token("dapi-secret-value")]
    assert "dapi-secret-value" not in stored


def test_expiry_is_checked_against_the_given_time(db: storage.Database) -> None:
    _create(db, "t1", "v1")
    with db.read() as conn:
        token = storage.read_token(conn, "t1")
    assert not token.is_expired(NOW + 999)
    assert token.is_expired(NOW + 1000)


def test_tokens_are_listed_per_user_and_counted(db: storage.Database) -> None:
    _create(db, "t1", "v1", "alice")
    _create(db, "t2", "v2", "bob")
    with db.read() as conn:
        assert [t.token_id for t in storage.list_tokens(conn)] == ["t1", "t2"]
        assert [t.token_id for t in storage.list_tokens(conn, user_name="bob")] == ["t2"]
        assert storage.count_tokens(conn) == 2


def test_deleting_a_token_revokes_it_and_unknown_ids_are_reported(db: storage.Database) -> None:
    _create(db, "t1", "v1")
    with db.transaction() as conn:
        storage.delete_token(conn, "t1")
    with db.read() as conn:
        assert storage.find_token(conn, "v1") is None
    with (
        pytest.raises(ResourceNotFoundError, match="Token t1 does not exist"),
        db.transaction() as conn,
    ):
        storage.delete_token(conn, "t1")
