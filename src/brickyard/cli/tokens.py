"""``brickyard token`` (create, list, delete): personal access tokens for the API server.

The commands work on the store directly, so they work whether the server is running or not. A
running server notices a deleted token within a few seconds (its token cache is short-lived).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from brickyard import storage
from brickyard.cli.errors import fail, reported
from brickyard.cli.store import open_store
from brickyard.clock import SystemClock
from brickyard.errors import ResourceNotFoundError
from brickyard.settings import Settings
from brickyard.storage import (
    ADMIN_USER,
    MAX_LIFETIME_SECONDS,
)
from brickyard.storage import AUTH_CACHE_SECONDS as CACHE_SECONDS

app = typer.Typer(
    help="Personal access tokens for the API server (Authorization: Bearer <token>).",
    no_args_is_help=True,
)


@app.command("create")
@reported
def create(
    user: Annotated[
        str | None,
        typer.Option(help=f"The user the token acts as (default: {ADMIN_USER}, an admin)"),
    ] = None,
    admin: Annotated[
        bool, typer.Option("--admin", help="Make the token an admin token (any user)")
    ] = False,
    comment: Annotated[str, typer.Option(help="A note shown by 'token list'")] = "",
    lifetime_seconds: Annotated[
        int | None, typer.Option(help="Seconds until the token expires (default: never)")
    ] = None,
) -> None:
    """Create a token and print its value (shown this once only)."""
    user_name = ADMIN_USER if user is None else user.strip()
    if not user_name:
        raise fail("--user: the user name must not be empty")
    if lifetime_seconds is not None and not 0 < lifetime_seconds <= MAX_LIFETIME_SECONDS:
        raise fail(
            f"--lifetime-seconds {lifetime_seconds}: expected a positive number of seconds "
            f"up to {MAX_LIFETIME_SECONDS} (100 years)"
        )
    is_admin = admin or user is None
    now = SystemClock().now_ms()
    with open_store() as database, database.transaction() as conn:
        value, record = storage.issue_token(
            conn,
            user_name=user_name,
            is_admin=is_admin,
            comment=comment,
            now_ms=now,
            lifetime_seconds=lifetime_seconds,
        )
    # The value alone goes to stdout, so TOKEN=$(brickyard token create) works; the rest is help.
    typer.echo(value)
    kind = "admin token" if is_admin else "token"
    typer.echo(
        f"Created {kind} {record.token_id} for user {user_name} "
        f"(expires: {_show_time(record.expiry_time)}). The value is shown only once; use it with:\n"
        f"  export DATABRICKS_HOST={Settings.from_env().base_url}\n"
        f"  export DATABRICKS_TOKEN={value}",
        err=True,
    )


@app.command("list")
@reported
def list_(
    user: Annotated[str | None, typer.Option(help="Only this user's tokens")] = None,
) -> None:
    """List tokens (every user's, expired ones marked): id, user, admin, created, expires,
    comment."""
    with open_store() as database, database.read() as conn:
        records = storage.list_tokens(conn, user_name=user)
    now = SystemClock().now_ms()
    if not records:
        typer.echo("no tokens", err=True)
        return
    for record in records:
        expires = _show_time(record.expiry_time)
        if record.is_expired(now):
            expires += " (expired)"
        role = "admin" if record.is_admin else "user"
        line = (
            f"{record.token_id}  {record.user_name:<16} {role:<5}  "
            f"created {_show_time(record.creation_time)}  expires {expires}  {record.comment}"
        )
        typer.echo(line.rstrip())


@app.command("delete")
@reported
def delete(
    token_id: Annotated[str, typer.Argument(help="The token id 'token list' shows")],
) -> None:
    """Revoke a token."""
    try:
        with open_store() as database, database.transaction() as conn:
            storage.delete_token(conn, token_id)
    except ResourceNotFoundError as error:
        raise fail(f"{error} ('brickyard token list' shows the ids)") from None
    typer.echo(f"deleted token {token_id} (a running server refuses it within {CACHE_SECONDS:g} s)")


def _show_time(epoch_ms: int) -> str:
    if epoch_ms == storage.NEVER_EXPIRES:
        return "never"
    moment = dt.datetime.fromtimestamp(epoch_ms / 1000, tz=dt.UTC).astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z")
