"""Benchmark the Jobs API of a real ``brickyard server`` (started here as a subprocess).

1. **runs/get latency**: ``GET /api/2.2/jobs/runs/get?run_id=R`` of a FINISHED run of a job of
   100 independent tiny ``spark_python_task`` tasks, from 1 and from 32 concurrent clients
   (``--clients``): a warm-up (``--warmup`` seconds), then ``--requests`` requests; p50, p99
   and requests/s. Baseline in the same run: the same client loop against
   ``GET /.well-known/databricks-config``, the cheapest route (the HTTP stack alone).
2. **run-now to first task start**: a one-task job whose script records ``time.time_ns()`` as
   its first statement, started ``--runs`` times one after the other; the time from the
   run-now response to that statement, and the server's own record (task run ``start_time``
   minus run ``start_time``). Baseline: the same job through the engine directly, in a process
   of its own (the code path of ``brickyard run``, with the fork server already warm), timed
   from ``Engine.submit`` returning: what starting a task costs without the API in front.

The load generator is this process: asyncio (uvloop when installed), one keep-alive HTTP/1.1
connection per client, pre-built requests and a minimal response parser. It costs 0.03-0.1 ms
of CPU per request; an httpx client costs 0.7 ms (``httpx.Client``) to 1.2 ms
(``httpx.AsyncClient``), more than the server spends on the baseline route, and would take
most of a core from a 2-core machine. The server still shares the cores with it; both CPU
times are reported.

    .venv/bin/python bench/api.py
    .venv/bin/python bench/api.py --requests 5000 --clients 1,8,32 --runs 40
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import json
import math
import os
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

TOKEN = "dapi-bench-admin-token"
"""The admin token handed to the server in ``BRICKYARD_TOKEN``."""

WIDE_TASKS = 100
RUNS_GET = "/api/2.2/jobs/runs/get?run_id={run_id}"
BASELINE_PATH = "/.well-known/databricks-config"
SERVER_START_TIMEOUT = 120.0
RUN_TIMEOUT = 120.0
BUSY_LOAD = 1.0
"""A 1-minute load average above this before the start means someone else was busy."""

NOOP_SCRIPT = "# a tiny task: nothing to do\n"
FIRST_STATEMENT_SCRIPT = """\
_started_ns = __import__("time").time_ns()  # the first statement: when task code begins
import os
import sys

target = os.path.join({starts!r}, sys.argv[1])
with open(target + ".tmp", "w") as out:
    out.write(str(_started_ns))
os.replace(target + ".tmp", target)  # the reader never sees a half-written file
"""
"""The task of part 2: writes its first statement's wall clock to ``<home>/starts/<run id>``."""


# --- statistics -----------------------------------------------------------------------------


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (p99 of 20 samples is their maximum)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """p50/p99 (and mean) of some milliseconds."""

    p50: float
    p99: float
    mean: float
    count: int

    @classmethod
    def of(cls, samples_ms: Sequence[float]) -> Summary:
        """Summarise ``samples_ms``."""
        return cls(
            p50=percentile(samples_ms, 0.50),
            p99=percentile(samples_ms, 0.99),
            mean=statistics.fmean(samples_ms),
            count=len(samples_ms),
        )


# --- the server -----------------------------------------------------------------------------


def default_brickyard() -> str:
    """The ``brickyard`` next to this interpreter (a venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("brickyard")
    return str(beside) if beside.exists() else "brickyard"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def clean_env(home: Path) -> dict[str, str]:
    """This environment without any ``BRICKYARD_*`` variable, with ``BRICKYARD_HOME=home``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BRICKYARD_")}
    env["BRICKYARD_HOME"] = str(home)
    return env


@dataclass
class Server:
    """A started ``brickyard server``: its process, address and home."""

    process: subprocess.Popen[bytes]
    port: int
    home: Path
    log: Path

    @property
    def url(self) -> str:
        """The base URL."""
        return f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        """User + system CPU seconds the server process has used so far (its own threads,
        not the fork server or the tasks)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        # fields[0] is the state (field 3 of proc(5)); utime and stime are fields 14 and 15
        ticks = int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def log_tail(self) -> str:
        """The end of the server's output, for error messages."""
        lines = self.log.read_text(errors="replace").splitlines()
        return "\n".join(lines[-30:])


@contextmanager
def running_server(brickyard: list[str], home: Path) -> Iterator[Server]:
    """Start ``brickyard server`` over ``home`` on a free port; wait until it answers; stop it
    with SIGTERM at the end."""
    port = free_port()
    env = clean_env(home) | {"BRICKYARD_TOKEN": TOKEN}
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*brickyard, "server", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    server = Server(process, port, home, log)
    try:
        wait_until_serving(server)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_serving(server: Server) -> None:
    """Poll ``GET /.well-known/databricks-config`` until it answers 200."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    with httpx.Client(base_url=server.url, timeout=5) as client:
        while True:
            if server.process.poll() is not None:
                raise SystemExit(
                    f"brickyard server exited with {server.process.returncode}:\n"
                    + server.log_tail()
                )
            try:
                if client.get(BASELINE_PATH).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("brickyard server did not answer in time:\n" + server.log_tail())
            time.sleep(0.05)


def api_client(server: Server) -> httpx.Client:
    """An httpx client for the control calls (create, run-now, polling)."""
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )


def call(client: httpx.Client, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    """One API call that must succeed; its JSON body."""
    response = client.request(method, path, **kwargs)
    if response.status_code != 200:
        raise SystemExit(f"{method} {path} answered {response.status_code}: {response.text}")
    body: dict[str, Any] = response.json()
    return body


def wait_for_run(client: httpx.Client, run_id: int, interval: float = 0.05) -> dict[str, Any]:
    """Poll runs/get until the run is TERMINATED (or SKIPPED/INTERNAL_ERROR); it must succeed."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while True:
        run = call(client, "GET", "/api/2.2/jobs/runs/get", params={"run_id": run_id})
        state = run["state"]
        if state["life_cycle_state"] in ("TERMINATED", "SKIPPED", "INTERNAL_ERROR"):
            if state.get("result_state") != "SUCCESS":
                raise SystemExit(f"run {run_id} did not succeed: {json.dumps(state)}")
            return run
        if time.monotonic() > deadline:
            raise SystemExit(f"run {run_id} did not finish within {RUN_TIMEOUT:.0f} s")
        time.sleep(interval)


# --- the jobs -------------------------------------------------------------------------------


def prepare_home(home: Path) -> None:
    """Write the task scripts into ``<home>/workspace/bench/`` (``/Workspace/bench/...``)."""
    folder = home / "workspace" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (home / "starts").mkdir(exist_ok=True)
    (folder / "noop.py").write_text(NOOP_SCRIPT, encoding="utf-8")
    script = FIRST_STATEMENT_SCRIPT.format(starts=str(home / "starts"))
    (folder / "first.py").write_text(script, encoding="utf-8")


def wide_job() -> dict[str, Any]:
    """100 independent tasks running the tiny script."""
    tasks = [
        {"task_key": f"t{n:03d}", "spark_python_task": {"python_file": "/Workspace/bench/noop.py"}}
        for n in range(1, WIDE_TASKS + 1)
    ]
    return {"name": f"bench wide{WIDE_TASKS}", "tasks": tasks}


def first_task_job() -> dict[str, Any]:
    """One task recording when its code starts, in a file named by the job run id."""
    task = {
        "task_key": "first",
        "spark_python_task": {
            "python_file": "/Workspace/bench/first.py",
            "parameters": ["{{job.run_id}}"],
        },
    }
    return {"name": "bench first task", "tasks": [task]}


def wait_for_start(home: Path, run_id: int) -> int:
    """The wall-clock ns the task of run ``run_id`` recorded as its first statement."""
    path = home / "starts" / str(run_id)
    deadline = time.monotonic() + RUN_TIMEOUT
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"the task of run {run_id} never started (no {path})")
        time.sleep(0.0005)
    return int(path.read_text())


# --- part 1: the load generator -------------------------------------------------------------


class HttpConnection:
    """One keep-alive HTTP/1.1 connection that sends one pre-built GET request, again and again.

    Deliberately minimal (the server answers with ``Content-Length``): the less the client
    costs, the more of the shared cores the server gets.
    """

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._request = request

    @classmethod
    async def open(cls, port: int, path: str) -> HttpConnection:
        """Connect to the server and prepare the request for ``path``."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {TOKEN}\r\nAccept: application/json\r\n"
            "User-Agent: brickyard-bench\r\n\r\n"
        ).encode("ascii")
        return cls(reader, writer, request)

    async def fetch(self) -> int:
        """Send the request, read the whole response; its body length. Non-200 is fatal."""
        self._writer.write(self._request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = -1
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length < 0:
            raise SystemExit(f"a response without Content-Length: {head!r}")
        body = await self._reader.readexactly(length)
        if status != 200:
            raise SystemExit(f"the server answered {status}: {body[:500]!r}")
        return length

    async def close(self) -> None:
        """Close the connection."""
        self._writer.close()
        await self._writer.wait_closed()


@dataclass(frozen=True)
class LoadResult:
    """One route at one concurrency."""

    route: str
    clients: int
    requests: int
    latency_ms: Summary
    requests_per_second: float
    server_cpu_ms_per_request: float
    client_cpu_ms_per_request: float
    response_bytes: int


async def generate_load(
    server: Server, path: str, route: str, clients: int, requests: int, warmup: float
) -> LoadResult:
    """``clients`` connections each sending a request as soon as its previous one is answered
    (closed loop): ``warmup`` seconds unrecorded, then ``requests`` recorded ones in all."""
    connections = [await HttpConnection.open(server.port, path) for _ in range(clients)]
    warm_until = time.perf_counter() + warmup

    async def warm(connection: HttpConnection) -> None:
        while time.perf_counter() < warm_until:
            await connection.fetch()

    await asyncio.gather(*(warm(connection) for connection in connections))
    latencies_ns: list[int] = []
    remaining = requests
    sizes: list[int] = []

    async def measure(connection: HttpConnection) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter_ns()
            size = await connection.fetch()
            latencies_ns.append(time.perf_counter_ns() - started)
            if not sizes:
                sizes.append(size)

    server_cpu = server.cpu_seconds()
    client_cpu = time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(measure(connection) for connection in connections))
    elapsed = time.perf_counter() - started
    server_cpu = server.cpu_seconds() - server_cpu
    client_cpu = time.process_time() - client_cpu
    for connection in connections:
        await connection.close()
    return LoadResult(
        route=route,
        clients=clients,
        requests=requests,
        latency_ms=Summary.of([ns / 1e6 for ns in latencies_ns]),
        requests_per_second=requests / elapsed,
        server_cpu_ms_per_request=server_cpu * 1000 / requests,
        client_cpu_ms_per_request=client_cpu * 1000 / requests,
        response_bytes=sizes[0],
    )


def run_async(coroutine: Coroutine[Any, Any, LoadResult]) -> LoadResult:
    """Run ``coroutine`` on uvloop when it is installed (cheaper per request), else asyncio."""
    factory: Callable[[], asyncio.AbstractEventLoop] | None = None
    try:
        import uvloop

        factory = uvloop.new_event_loop
    except ImportError:
        pass
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(coroutine)


def event_loop_name() -> str:
    """Which event loop the load generator uses."""
    try:
        return f"uvloop {importlib.metadata.version('uvloop')}"
    except importlib.metadata.PackageNotFoundError:
        return "asyncio"


def measure_runs_get(
    server: Server, clients: Sequence[int], requests: int, warmup: float
) -> tuple[int, list[LoadResult]]:
    """Part 1: run the 100-task job to the end, then load runs/get and the baseline route."""
    with api_client(server) as client:
        job_id = call(client, "POST", "/api/2.2/jobs/create", json=wide_job())["job_id"]
        run_id = call(client, "POST", "/api/2.2/jobs/run-now", json={"job_id": job_id})["run_id"]
        run = wait_for_run(client, run_id, interval=0.2)
        if len(run.get("tasks", [])) != WIDE_TASKS:
            raise SystemExit(f"runs/get of run {run_id} shows {len(run.get('tasks', []))} tasks")
    routes = [
        ("well-known (baseline)", BASELINE_PATH),
        ("runs/get", RUNS_GET.format(run_id=run_id)),
    ]
    results = []
    for count in clients:
        for route, path in routes:
            print(f"  {route} x {count} client(s) ...", file=sys.stderr, flush=True)
            coroutine = generate_load(server, path, route, count, requests, warmup)
            results.append(run_async(coroutine))
    return run_id, results


# --- part 2: run-now to the first task start ------------------------------------------------


@dataclass(frozen=True)
class StartSample:
    """One run of the one-task job (milliseconds)."""

    from_response_ms: float
    """The run-now response (or Engine.submit returning) -> the task's first statement."""
    from_request_ms: float
    """The run-now request sent (or Engine.submit called) -> the task's first statement."""
    recorded_task_start_ms: int
    """The store's record: task run start_time - run start_time."""
    run_start_to_first_statement_ms: float
    """The run's recorded start_time -> the task's first statement."""
    request_ms: float
    """The run-now request sent -> its response (or the Engine.submit call)."""


def measure_first_start(server: Server, runs: int) -> list[StartSample]:
    """Part 2 through the API: run-now the one-task job ``runs`` times (plus one unrecorded
    warm-up run), one after the other."""
    samples = []
    with api_client(server) as client:
        job_id = call(client, "POST", "/api/2.2/jobs/create", json=first_task_job())["job_id"]
        for attempt in range(runs + 1):
            sent = time.time_ns()
            reply = call(client, "POST", "/api/2.2/jobs/run-now", json={"job_id": job_id})
            answered = time.time_ns()
            run_id = int(reply["run_id"])
            first = wait_for_start(server.home, run_id)
            run = wait_for_run(client, run_id, interval=0.02)
            if attempt == 0:
                continue  # warm-up
            task_start = int(run["tasks"][0]["start_time"])
            samples.append(
                StartSample(
                    from_response_ms=(first - answered) / 1e6,
                    from_request_ms=(first - sent) / 1e6,
                    recorded_task_start_ms=task_start - int(run["start_time"]),
                    run_start_to_first_statement_ms=first / 1e6 - int(run["start_time"]),
                    request_ms=(answered - sent) / 1e6,
                )
            )
    return samples


def engine_worker(home: Path, runs: int) -> None:
    """The baseline of part 2, in a process of its own (``--engine-worker``): the same job
    through the engine directly, as ``brickyard run`` does, with the engine serving in a
    background thread like the server's; prints the samples as JSON."""
    from brickyard import storage
    from brickyard.app import build_services, register_job_file
    from brickyard.engine import RunRequest
    from brickyard.settings import Settings
    from brickyard.spec import load_job_file
    from brickyard.states import TERMINAL_LIFE_CYCLE

    job_file = home / "first.json"
    job_file.write_text(json.dumps(first_task_job()), encoding="utf-8")
    loaded = load_job_file(job_file)
    services = build_services(Settings.from_env({"BRICKYARD_HOME": str(home)}))
    services.start_engine()
    samples = []
    try:
        job = register_job_file(services, loaded)
        for attempt in range(runs + 1):
            request = RunRequest(
                settings=loaded.settings, job_id=job.job_id, base_dir=loaded.base_dir
            )
            called = time.time_ns()
            record = services.engine.submit(request)
            returned = time.time_ns()
            first = wait_for_start(home, record.run_id)
            deadline = time.monotonic() + RUN_TIMEOUT
            while True:
                with services.database.read() as conn:
                    run = storage.read_run(conn, record.run_id)
                    task_runs = storage.list_task_runs(conn, record.run_id)
                if run.life_cycle_state in TERMINAL_LIFE_CYCLE:
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"run {record.run_id} did not finish")
                time.sleep(0.01)
            if attempt == 0:
                continue  # warm-up: the fork server's first task
            samples.append(
                StartSample(
                    from_response_ms=(first - returned) / 1e6,
                    from_request_ms=(first - called) / 1e6,
                    recorded_task_start_ms=task_runs[0].start_time - run.start_time,
                    run_start_to_first_statement_ms=first / 1e6 - run.start_time,
                    request_ms=(returned - called) / 1e6,
                )
            )
    finally:
        services.close()
    json.dump([asdict(sample) for sample in samples], sys.stdout)


def measure_engine_baseline(home: Path, runs: int) -> list[StartSample]:
    """Run :func:`engine_worker` as a subprocess over ``home``; its samples."""
    command = [sys.executable, __file__, "--engine-worker", str(home), "--runs", str(runs)]
    completed = subprocess.run(
        command, env=clean_env(home), capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(f"the engine baseline failed:\n{completed.stderr[-3000:]}")
    return [StartSample(**sample) for sample in json.loads(completed.stdout)]


# --- the report -----------------------------------------------------------------------------


def print_load_table(run_id: int, results: Sequence[LoadResult]) -> None:
    """Part 1's table: each route and concurrency, with the ratio to the baseline route."""
    print(f"1. GET runs/get of a finished {WIDE_TASKS}-task run (run {run_id})")
    header = (
        f"   {'route':22} {'clients':>7} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'req/s':>8} {'srv CPU ms/req':>14} {'client CPU':>10} {'bytes':>7}"
    )
    print(header)
    print("   " + "-" * (len(header) - 3))
    for result in results:
        print(
            f"   {result.route:22} {result.clients:7d} {result.requests:8d} "
            f"{result.latency_ms.p50:8.2f} {result.latency_ms.p99:8.2f} "
            f"{result.requests_per_second:8.0f} {result.server_cpu_ms_per_request:14.2f} "
            f"{result.client_cpu_ms_per_request:10.2f} {result.response_bytes:7d}"
        )
    baseline = {r.clients: r for r in results if r.route != "runs/get"}
    print()
    for result in results:
        base = baseline.get(result.clients)
        if result.route == "runs/get" and base is not None:
            print(
                f"   runs/get / baseline at {result.clients} client(s): "
                f"p50 x{result.latency_ms.p50 / base.latency_ms.p50:.1f}, "
                f"p99 x{result.latency_ms.p99 / base.latency_ms.p99:.1f}, "
                f"req/s x{result.requests_per_second / base.requests_per_second:.2f}"
            )
    print("   target: runs/get p99 < 10 ms at 32 clients")
    print()


def print_start_table(server: Sequence[StartSample], engine: Sequence[StartSample]) -> None:
    """Part 2's table: the API path, its record, and the engine-direct baseline."""
    rows = [
        ("server: run-now request -> response", server, "request_ms"),
        ("server: run-now response -> task's first statement", server, "from_response_ms"),
        ("server: run-now sent -> task's first statement", server, "from_request_ms"),
        ("server record: task start_time - run start_time", server, "recorded_task_start_ms"),
        (
            "server: run start_time -> task's first statement",
            server,
            "run_start_to_first_statement_ms",
        ),
        ("baseline: submit() call", engine, "request_ms"),
        ("baseline: submit() returned -> first statement", engine, "from_response_ms"),
        ("baseline record: task start_time - run start_time", engine, "recorded_task_start_ms"),
        ("baseline: run start_time -> first statement", engine, "run_start_to_first_statement_ms"),
    ]
    print(f"2. run-now -> first task process start, one-task job, {len(server)} runs each")
    header = f"   {'measure':53} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}"
    print(header)
    print("   " + "-" * (len(header) - 3))
    for label, samples, name in rows:
        summary = Summary.of([float(getattr(sample, name)) for sample in samples])
        print(f"   {label:53} {summary.p50:8.1f} {summary.p99:8.1f} {summary.mean:8.1f}")
    server_p50 = Summary.of([s.from_response_ms for s in server]).p50
    engine_p50 = Summary.of([s.from_response_ms for s in engine]).p50
    if engine_p50 > 0:
        print(
            f"\n   server / baseline (p50, from response / submit): x{server_p50 / engine_p50:.2f}"
        )
    print("   target: < 50 ms from run-now to the first task start")
    if len(server) <= 100:
        print(f"   (p99 of {len(server)} samples is their maximum; record times are whole ms)")
    print()


def parse_clients(text: str) -> list[int]:
    """``1,32`` -> [1, 32]."""
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--clients {text!r}: expected numbers like 1,32"
        ) from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"--clients {text!r}: each count must be at least 1")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark the Jobs API of a real `brickyard server`."
    )
    parser.add_argument(
        "--requests", type=int, default=3000, help="recorded requests per route and concurrency"
    )
    parser.add_argument(
        "--clients",
        type=parse_clients,
        default=[1, 32],
        help="concurrent clients, comma-separated (default 1,32)",
    )
    parser.add_argument("--runs", type=int, default=20, help="run-now samples (default 20)")
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="unrecorded seconds before each load (2)"
    )
    parser.add_argument(
        "--brickyard",
        default=default_brickyard(),
        help="the brickyard command (default: the one beside this python)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--engine-worker", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.requests < 1 or arguments.runs < 1 or arguments.warmup < 0:
        parser.error("--requests and --runs must be at least 1, --warmup at least 0")
    if arguments.engine_worker is not None:
        engine_worker(arguments.engine_worker, arguments.runs)
        return

    brickyard = shlex.split(arguments.brickyard)
    load_before = os.getloadavg()[0]
    root = Path(tempfile.mkdtemp(prefix="brickyard-bench-api-"))
    try:
        server_home, engine_home = root / "server", root / "engine"
        prepare_home(server_home)
        prepare_home(engine_home)
        with running_server(brickyard, server_home) as server:
            print(f"server pid {server.process.pid} on {server.url}", file=sys.stderr)
            print("part 1: runs/get load ...", file=sys.stderr, flush=True)
            run_id, loads = measure_runs_get(
                server, arguments.clients, arguments.requests, arguments.warmup
            )
            print("part 2: run-now -> first task start ...", file=sys.stderr, flush=True)
            starts = measure_first_start(server, arguments.runs)
        print("part 2 baseline: the engine directly ...", file=sys.stderr, flush=True)
        engine_starts = measure_engine_baseline(engine_home, arguments.runs)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    load_after = os.getloadavg()[0]

    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; the load generator "
        f"({event_loop_name()}, one process, raw keep-alive HTTP/1.1) shares these cores "
        "with the server"
    )
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")
    if load_before > BUSY_LOAD:
        print(
            "WARNING: the machine was busy before the benchmark started; other processes "
            "compete for the cores and inflate the latencies (CPU ms/request is less affected)"
        )
    print()
    print_load_table(run_id, loads)
    print_start_table(starts, engine_starts)
    if arguments.json:
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "python": sys.version.split()[0],
            "cores": os.cpu_count(),
            "brickyard_command": arguments.brickyard,
            "warmup_seconds": arguments.warmup,
            "load_average_before": load_before,
            "load_average_after": load_after,
            "runs_get": [asdict(result) for result in loads],
            "first_task_start_server": [asdict(sample) for sample in starts],
            "first_task_start_engine": [asdict(sample) for sample in engine_starts],
        }
        arguments.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {arguments.json}")


if __name__ == "__main__":
    main()
