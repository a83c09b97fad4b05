"""``brickyard server``: the Jobs API, the engine and the trigger service in one process."""

from __future__ import annotations

import errno
import os
import socket
import sys
from dataclasses import replace
from typing import Annotated

import typer

from brickyard import storage
from brickyard.cli.errors import fail, reported
from brickyard.settings import Settings

DEFAULT_PORT = 8000


@reported
def server(
    host: Annotated[str, typer.Option(help="The address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on")] = DEFAULT_PORT,
    access_log: Annotated[bool, typer.Option(help="Log every request")] = False,
) -> None:
    """Serve the Databricks Jobs API (point databricks-sdk, the Databricks CLI or Airflow at
    it); runs started through it, and by the jobs' schedules and triggers, execute here. Stop
    with Ctrl-C or SIGTERM: running tasks keep going and the next start picks them up."""
    # The web stack is imported here, not at the top: every other command starts without it.
    from brickyard.api.app import create_app
    from brickyard.api.auth import bootstrap_admin_token
    from brickyard.api.server import serve
    from brickyard.app import build_services

    _check_port_free(host, port)
    settings = Settings.from_env()
    if not os.environ.get("BRICKYARD_BASE_URL"):
        shown_host = "localhost" if host in ("0.0.0.0", "::", "127.0.0.1") else host
        settings = replace(settings, base_url=f"http://{shown_host}:{port}")
    services = build_services(settings, adopt_orphans=True)
    try:
        new_token = bootstrap_admin_token(
            services.database, services.clock, os.environ.get("BRICKYARD_TOKEN")
        )
        with services.database.read() as conn:
            active_triggers = storage.count_active_triggers(conn)
        _print_banner(settings, new_token, active_triggers)
        serve(create_app(settings, services), host=host, port=port, access_log=access_log)
    finally:
        services.close()


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            reason = "the port is in use" if exc.errno == errno.EADDRINUSE else exc.strerror
            raise fail(f"--port {port}: cannot listen on {host}:{port}: {reason}") from None


def _print_banner(settings: Settings, new_token: str | None, triggers: dict[str, int]) -> None:
    url = settings.base_url
    lines = [
        f"brickyard server on {url}  (home {settings.home})",
        f"  API        {url}/api/2.2/jobs/list   (also /api/2.0 and /api/2.1)",
        f"  OpenAPI    {url}/openapi.json   docs {url}/docs",
        "  Triggers   "
        + (
            ", ".join(
                f"{count} {kind.replace('_', ' ')}" for kind, count in sorted(triggers.items())
            )
            + " active ('brickyard jobs pause JOB' stops one)"
            if triggers
            else "no job has an active schedule or trigger"
        ),
    ]
    if new_token:
        lines += [
            "",
            "  An admin token was created. It is shown this once; keep it:",
            f"    {new_token}",
        ]
        token_hint = new_token
    else:
        lines += [
            "",
            "  Tokens: the one in BRICKYARD_TOKEN, or make one with 'brickyard token create'.",
        ]
        token_hint = "<token>"
    lines += [
        "",
        "  Point the Databricks clients at it:",
        f"    export DATABRICKS_HOST={url} DATABRICKS_TOKEN={token_hint}",
        "",
        "  Ctrl-C or SIGTERM stops the server; running tasks keep going and are picked up "
        "at the next start.",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
