"""Benchmark the trigger service: what a tick costs with 10,000 scheduled jobs, and how late
scheduled runs start.

1. **Tick cost** (target: < 50 ms with 10,000 scheduled jobs). ``--jobs`` jobs (10,000), one
   tiny task each, whose Quartz schedules are a realistic mix in ten time zones: 76 % hourly at
   one minute of the hour, 18 % daily at varied times, 5 % weekday/monthly ones (``MON-FRI``,
   ``SAT,SUN``, ``6L``, ``2#1``, ``L``, ``LW``, ``15W``), 1 % every 5 minutes and 0.2 % every
   15-30 seconds, so ~168 jobs are due in a typical minute. They are created in one
   transaction, then on a :class:`~brickyard.clock.FakeClock` (days ahead of the real clock):
   - the **arm tick** (the first one: computes every job's first fire time), timed alone;
   - **idle ticks** (nothing due), ``--idle-ticks`` of them: p50/p99;
   - **typical ticks**, one per whole minute for ``--minutes`` minutes: the jobs of that
     minute fire and their runs are created; p50/p99, and the cost per fired job
     ((tick - idle p50) / fired).
   **Baseline**, same store and process, measured before any job exists: the idle tick of an
   EMPTY store, i.e. the fixed cost of a tick (one read transaction, an empty index range).
2. **Fire lateness** (target: p99 < 1 s). On a new set of services over the same store (the
   10,000 jobs stay, idle: their next fires are days ahead on the system clock), ``--lateness-
   jobs`` jobs (300) with ``S/10 * * * * ?`` for S = 0..9 (each fires every 10 s, 30 jobs at
   every whole second) and the server's own trigger loop (``Services.start_triggers``:
   ``TriggerService.serve`` in a thread, SYSTEM clock) for ``--seconds`` (40). Lateness = a
   run's ``start_time`` - its ``trigger_time`` (the scheduled time), read from the store.
   Checked: every fire time between arming and the end (less a 2 s margin) happened exactly
   once per job, no fire at a time the schedule does not hold, no duplicate, and no idle job
   fired; a clear ``FAIL`` otherwise.

Both parts run on SQLite and, when ``BRICKYARD_TEST_POSTGRES_URL`` is set, on PostgreSQL too
(a fresh schema, dropped at the end). The engine is NOT started: fired runs stay PENDING, so
the figures are the trigger service's own (the jobs allow 1000 concurrent runs, so no fire is
SKIPPED for an earlier run that would long have finished in real life).

    .venv/bin/python bench/triggers.py
    BRICKYARD_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/triggers.py --json bench/results/triggers.json
    .venv/bin/python bench/triggers.py --backends sqlite --minutes 10 --seconds 20
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from sqlalchemy import create_engine, text

from brickyard import storage
from brickyard.app import Services, build_services
from brickyard.clock import Clock, FakeClock, SystemClock
from brickyard.cron import java_timezone, parse_cron
from brickyard.settings import Settings
from brickyard.spec import parse_job_settings
from brickyard.storage.database import normalize_url
from brickyard.triggers import TickReport

POSTGRES_URL_VARIABLE: Final = "BRICKYARD_TEST_POSTGRES_URL"
TARGET_TICK_MS: Final = 50.0
TARGET_LATENESS_MS: Final = 1000.0
WARMUP_TICKS: Final = 20
"""Unrecorded idle ticks before each idle series (connection pool, statement caches)."""
END_MARGIN_MS: Final = 2000
"""Fires this close to the end of the lateness window may or may not have happened yet."""
BUSY_LOAD: Final = 1.0
"""A 1-minute load average above this before the start means someone else was busy."""
FAKE_START_AHEAD_DAYS: Final = 3
"""Part 1's fake clock runs this far ahead of the real one, so that part 2 (system clock)
finds the 10,000 jobs armed days in the future: present in the store, idle."""

ZONES: Final = (
    "UTC",
    "Europe/Paris",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Europe/London",
    "America/Sao_Paulo",
    "Asia/Kathmandu",
)
"""Time zones of the mix: DST in both hemispheres, and +5:30 / +5:45 offsets (an hourly job at
minute m there fires at another minute of the UTC hour)."""

CALENDAR_SHAPES: Final = (
    "0 {m} {h} ? * MON-FRI",
    "0 {m} {h} ? * SAT,SUN",
    "0 {m} {h} ? * 6L",
    "0 {m} {h} ? * 2#1",
    "0 {m} {h} L * ?",
    "0 {m} {h} LW * ?",
    "0 {m} {h} 15W * ?",
    "0 {m} {h} 1 * ?",
)
"""The weekday and monthly schedules (``{m}``/``{h}`` filled in per job)."""

FAST_SHAPES: Final = ("0/15 * * * * ?", "0/20 * * * * ?", "*/30 * * * * ?")

NOOP_SCRIPT: Final = "# a tiny task: nothing to do\n"


# --- statistics -----------------------------------------------------------------------------


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (p99 of 60 samples is their maximum)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """p50/p99/max (and mean) of some milliseconds."""

    p50: float
    p99: float
    max: float
    mean: float
    count: int

    @classmethod
    def of(cls, samples_ms: Sequence[float]) -> Summary:
        """Summarise ``samples_ms`` (all zeros when there are none)."""
        if not samples_ms:
            return cls(p50=0.0, p99=0.0, max=0.0, mean=0.0, count=0)
        return cls(
            p50=percentile(samples_ms, 0.50),
            p99=percentile(samples_ms, 0.99),
            max=max(samples_ms),
            mean=statistics.fmean(samples_ms),
            count=len(samples_ms),
        )


# --- the jobs -------------------------------------------------------------------------------


def schedule_mix(count: int) -> list[tuple[str, str]]:
    """``count`` (quartz_cron_expression, timezone_id) pairs, deterministic: per 500 jobs, 380
    hourly, 89 daily, 25 weekday/monthly, 5 every 5 minutes, 1 every 15-30 seconds. Each kind
    takes its minutes from its own counter, so the hourly jobs spread evenly over the hour."""
    mix: list[tuple[str, str]] = []
    seen: Counter[str] = Counter()
    for index in range(count):
        bucket = index % 500
        kind = (
            "hourly"
            if bucket < 380
            else "daily"
            if bucket < 469
            else "calendar"
            if bucket < 494
            else "five"
            if bucket < 499
            else "fast"
        )
        nth = seen[kind]
        seen[kind] += 1
        # the zone changes every 60 jobs of a kind, so each zone gets every minute of the hour
        # (a zone tied to the minute would pile the +5:45 zone's jobs on a few UTC minutes)
        zone = ZONES[(nth // 60) % len(ZONES)]
        minute, hour = nth % 60, (nth * 7) % 24
        if kind == "hourly":
            expression = f"0 {minute} * * * ?"
        elif kind == "daily":
            expression = f"0 {minute} {hour} * * ?"
        elif kind == "calendar":
            shape = CALENDAR_SHAPES[nth % len(CALENDAR_SHAPES)]
            expression = shape.format(m=minute, h=hour)
        elif kind == "five":
            expression = f"0 {nth % 5}/5 * * * ?"
        else:
            expression = FAST_SHAPES[nth % len(FAST_SHAPES)]
        mix.append((expression, zone))
    return mix


def job_settings(name: str, expression: str, zone: str) -> dict[str, Any]:
    """A scheduled job with one tiny task, as the Jobs API stores it."""
    return {
        "name": name,
        "max_concurrent_runs": 1000,
        "schedule": {"quartz_cron_expression": expression, "timezone_id": zone},
        "tasks": [
            {"task_key": "tiny", "spark_python_task": {"python_file": "/Workspace/bench/noop.py"}}
        ],
    }


def check_schedules(schedules: Sequence[tuple[str, str]]) -> None:
    """Every schedule must be one the API would accept (a benchmark of rejected jobs measures
    nothing): each distinct pair parsed once, one job validated as the API does."""
    for expression, zone in sorted(set(schedules)):
        parse_cron(expression)
        java_timezone(zone)
    expression, zone = schedules[0]
    parse_job_settings(job_settings("check", expression, zone))


def create_jobs(services: Services, schedules: Sequence[tuple[str, str]], prefix: str) -> list[int]:
    """Store one job per schedule in ONE transaction; their ids."""
    now = services.clock.now_ms()
    with services.database.transaction() as conn:
        return [
            storage.create_job(
                conn, job_settings(f"{prefix} {index}", expression, zone), now_ms=now
            ).job_id
            for index, (expression, zone) in enumerate(schedules)
        ]


def prepare_home(home: Path) -> None:
    """Write the tiny task's script where the jobs point (``/Workspace/bench/noop.py``)."""
    folder = home / "workspace" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "noop.py").write_text(NOOP_SCRIPT, encoding="utf-8")


# --- the stores -----------------------------------------------------------------------------


@dataclass
class PostgresSchema:
    """A throw-away schema on a PostgreSQL server; ``url`` selects it through ``search_path``."""

    admin_url: str
    name: str

    @property
    def url(self) -> str:
        """The URL brickyard opens (the schema is first on the search path)."""
        base = normalize_url(self.admin_url).render_as_string(hide_password=False)
        separator = "&" if "?" in base else "?"
        return f"{base}{separator}options={quote(f'-csearch_path={self.name}')}"

    def execute(self, sql: str) -> None:
        """Run one statement outside any transaction."""
        engine = create_engine(normalize_url(self.admin_url), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    def server_version(self) -> str:
        """``SHOW server_version``."""
        engine = create_engine(normalize_url(self.admin_url))
        try:
            with engine.connect() as conn:
                return str(conn.execute(text("SHOW server_version")).scalar_one())
        finally:
            engine.dispose()


@contextmanager
def store_environment(backend: str, home: Path) -> Iterator[dict[str, str]]:
    """The ``BRICKYARD_*`` variables of a fresh store on ``backend`` under ``home``; a
    PostgreSQL schema is created for it and dropped afterwards."""
    prepare_home(home)
    environ = {"BRICKYARD_HOME": str(home)}
    if backend == "sqlite":
        yield environ
        return
    admin_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not admin_url:
        raise SystemExit(f"--backends postgresql needs {POSTGRES_URL_VARIABLE}")
    schema = PostgresSchema(admin_url, f"brickyard_bench_{uuid.uuid4().hex[:12]}")
    schema.execute(f'CREATE SCHEMA "{schema.name}"')
    try:
        yield environ | {"BRICKYARD_DATABASE_URL": schema.url}
    finally:
        schema.execute(f'DROP SCHEMA IF EXISTS "{schema.name}" CASCADE')


def open_services(environ: dict[str, str], clock: Clock) -> Services:
    """The services the server would build over this store (no control socket)."""
    return build_services(Settings.from_env(environ), clock=clock, control_socket=False)


# --- part 1: tick cost ----------------------------------------------------------------------


@dataclass
class TickResults:
    """Part 1 on one backend (milliseconds unless said otherwise)."""

    backend: str
    jobs: int
    empty_idle: Summary
    create_jobs_s: float
    arm_ms: float
    arm_evaluated: int
    idle: Summary
    typical: Summary
    typical_cpu: Summary
    fired: list[int] = field(default_factory=list)
    typical_ms: list[float] = field(default_factory=list)
    per_fired_ms: float = 0.0
    per_fired_p50_ms: float = 0.0


def tick_at(services: Services, clock: FakeClock, now_ms: int) -> tuple[float, float, TickReport]:
    """Move the fake clock to ``now_ms`` (the runs' start times come from it) and time one
    tick there: wall ms, CPU ms of this process, the tick's report."""
    clock.advance((now_ms - clock.now_ms()) / 1000)
    cpu = time.process_time()
    started = time.perf_counter()
    report = services.triggers.run_once(now_ms)
    elapsed = time.perf_counter() - started
    return elapsed * 1000, (time.process_time() - cpu) * 1000, report


def idle_ticks(services: Services, clock: FakeClock, start_ms: int, ticks: int) -> Summary:
    """``ticks`` ticks 1 ms apart from ``start_ms`` (after unrecorded warm-up ones), each of
    which must find nothing due."""
    samples: list[float] = []
    for index in range(WARMUP_TICKS + ticks):
        elapsed, _, report = tick_at(services, clock, start_ms + index)
        if report.evaluated:
            raise SystemExit(
                f"an idle tick at +{index} ms evaluated {report.evaluated} trigger(s): "
                "the schedule mix left no idle window there"
            )
        if index >= WARMUP_TICKS:
            samples.append(elapsed)
    return Summary.of(samples)


def measure_ticks(
    backend: str, environ: dict[str, str], *, jobs: int, idle: int, minutes: int
) -> TickResults:
    """Part 1: the empty-store baseline, 10,000 jobs created, armed, idle and typical ticks."""
    real_now = time.time_ns() // 1_000_000
    hour_ms = 3_600_000
    # a whole hour, days ahead: minute ticks land on whole minutes of every zone of the mix
    start = (real_now // hour_ms + 1) * hour_ms + FAKE_START_AHEAD_DAYS * 86_400_000
    clock = FakeClock(start)
    services = open_services(environ, clock)
    try:
        gc.collect()
        empty = idle_ticks(services, clock, start, idle)
        schedules = schedule_mix(jobs)
        check_schedules(schedules)
        print(f"  [{backend}] creating {jobs} jobs ...", file=sys.stderr, flush=True)
        began = time.perf_counter()
        create_jobs(services, schedules, "bench")
        create_s = time.perf_counter() - began
        gc.collect()
        # armed at :31 of the first minute: nothing of the mix is due before :40
        arm_at = start + 31_000
        arm_ms, _, arm_report = tick_at(services, clock, arm_at)
        if arm_report.run_ids:
            raise SystemExit(f"the arm tick fired {len(arm_report.run_ids)} run(s)")
        loaded = idle_ticks(services, clock, arm_at + 1, idle)
        print(f"  [{backend}] {minutes} typical (minute) ticks ...", file=sys.stderr, flush=True)
        gc.collect()
        walls: list[float] = []
        cpus: list[float] = []
        fired: list[int] = []
        for minute in range(1, minutes + 1):
            elapsed, cpu, report = tick_at(services, clock, start + minute * 60_000)
            walls.append(elapsed)
            cpus.append(cpu)
            fired.append(len(report.run_ids))
    finally:
        services.close()
    per_fired = [
        (wall - loaded.p50) / count for wall, count in zip(walls, fired, strict=True) if count
    ]
    total_fired = sum(fired)
    return TickResults(
        backend=backend,
        jobs=jobs,
        empty_idle=empty,
        create_jobs_s=create_s,
        arm_ms=arm_ms,
        arm_evaluated=arm_report.evaluated,
        idle=loaded,
        typical=Summary.of(walls),
        typical_cpu=Summary.of(cpus),
        fired=fired,
        typical_ms=walls,
        per_fired_ms=(sum(walls) - len(walls) * loaded.p50) / total_fired if total_fired else 0,
        per_fired_p50_ms=statistics.median(per_fired) if per_fired else 0.0,
    )


# --- part 2: fire lateness ------------------------------------------------------------------


@dataclass
class LatenessResults:
    """Part 2 on one backend."""

    backend: str
    jobs: int
    idle_jobs: int
    seconds: float
    arm_ms: float
    lateness: Summary
    fires: int
    expected: int
    missing: int
    duplicates: int
    unexpected: int
    idle_fired: int
    loop_cpu_percent: float
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every expected fire exactly once, nothing else."""
        return not (self.missing or self.duplicates or self.unexpected or self.idle_fired)


def expected_fires(offset_s: int, after_ms: int, until_ms: int) -> set[int]:
    """The fire times of ``S/10 * * * * ?`` (S = ``offset_s``) in ``(after_ms, until_ms]``:
    every whole second congruent to S modulo 10 (computed without the cron library, so the
    check does not trust the code it checks)."""
    first = (after_ms // 10_000) * 10_000 + offset_s * 1000
    while first <= after_ms:
        first += 10_000
    return set(range(first, until_ms + 1, 10_000))


def measure_lateness(
    backend: str, environ: dict[str, str], *, jobs: int, idle_jobs: int, seconds: float
) -> LatenessResults:
    """Part 2: ``jobs`` every-10-s jobs next to the idle ones, the real trigger loop on the
    system clock for ``seconds``; lateness and exactly-once from the store."""
    services = open_services(environ, SystemClock())
    try:
        offsets = [index % 10 for index in range(jobs)]
        schedules = [
            (f"{offset}/10 * * * * ?", ZONES[index % len(ZONES)])
            for index, offset in enumerate(offsets)
        ]
        check_schedules(schedules)
        job_ids = create_jobs(services, schedules, "every 10 s")
        offset_of = dict(zip(job_ids, offsets, strict=True))
        # arm them here, at a known time: a fire at or before it is rightly never run
        armed_at = services.clock.now_ms()
        began = time.perf_counter()
        services.triggers.run_once(armed_at)
        arm_ms = (time.perf_counter() - began) * 1000
        print(
            f"  [{backend}] the trigger loop runs for {seconds:g} s ...",
            file=sys.stderr,
            flush=True,
        )
        cpu = time.process_time()
        services.start_triggers()
        time.sleep(seconds)
        stopped_at = services.clock.now_ms()
        services.stop_triggers()
        loop_cpu = time.process_time() - cpu
        with services.database.read() as conn:
            runs = storage.list_runs(
                conn, start_time_from=armed_at, start_time_to=stopped_at + 60_000, limit=10**6
            )
    finally:
        services.close()
    by_job: dict[int, list[int]] = defaultdict(list)
    lateness: list[float] = []
    idle_fired = 0
    for run in runs:
        if run.job_id not in offset_of:
            idle_fired += 1
            continue
        by_job[run.job_id].append(run.trigger_time)
        lateness.append(float(run.start_time - run.trigger_time))
    problems: list[str] = []
    missing = duplicates = unexpected = expected = 0
    for job_id, offset in offset_of.items():
        wanted = expected_fires(offset, armed_at, stopped_at - END_MARGIN_MS)
        allowed = wanted | expected_fires(offset, stopped_at - END_MARGIN_MS, stopped_at)
        got = Counter(by_job.get(job_id, []))
        expected += len(wanted)
        lost = sorted(wanted - got.keys())
        twice = sorted(t for t, n in got.items() if n > 1)
        odd = sorted(t for t in got if t not in allowed)
        missing += len(lost)
        duplicates += sum(got[t] - 1 for t in twice)
        unexpected += len(odd)
        for label, times in (("missing", lost), ("duplicate", twice), ("unexpected", odd)):
            if times and len(problems) < 10:
                problems.append(f"job {job_id} ({offset}/10): {label} fire(s) at {times[:5]}")
    return LatenessResults(
        backend=backend,
        jobs=jobs,
        idle_jobs=idle_jobs,
        seconds=(stopped_at - armed_at) / 1000,
        arm_ms=arm_ms,
        lateness=Summary.of(lateness),
        fires=len(lateness),
        expected=expected,
        missing=missing,
        duplicates=duplicates,
        unexpected=unexpected,
        idle_fired=idle_fired,
        loop_cpu_percent=100 * loop_cpu / max(seconds, 1e-9),
        problems=problems,
    )


# --- the report -----------------------------------------------------------------------------


def print_ticks(results: Sequence[TickResults]) -> None:
    """Part 1's table, one block per backend."""
    print("1. Tick cost (TriggerService.run_once), fake clock")
    for r in results:
        fired = Summary.of([float(count) for count in r.fired])
        print(
            f"   [{r.backend}] {r.jobs} scheduled jobs, created in one transaction in "
            f"{r.create_jobs_s:.1f} s"
        )
        header = f"   {'tick':44} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'count':>6}"
        print(header)
        print("   " + "-" * (len(header) - 3))
        rows = [
            ("idle, EMPTY store (baseline)", r.empty_idle),
            (f"idle, {r.jobs} jobs (nothing due)", r.idle),
            (f"typical: one minute's jobs fire (~{fired.p50:.0f})", r.typical),
            ("  CPU of this process in that tick", r.typical_cpu),
        ]
        for label, summary in rows:
            print(
                f"   {label:44} {summary.p50:8.2f} {summary.p99:8.2f} {summary.max:8.2f} "
                f"{summary.count:6d}"
            )
        print(
            f"   arm tick (first fire time of {r.arm_evaluated} jobs): {r.arm_ms:.0f} ms "
            f"({r.arm_ms * 1000 / max(r.arm_evaluated, 1):.0f} us per job)"
        )
        print(
            f"   fired per typical tick: p50 {fired.p50:.0f}, min {min(r.fired)}, "
            f"max {max(r.fired)}, {sum(r.fired)} in all"
        )
        print(
            f"   per fired job (tick - idle p50) / fired: {r.per_fired_ms:.2f} ms overall, "
            f"{r.per_fired_p50_ms:.2f} ms median of ticks"
        )
        print(
            f"   idle tick / empty-store baseline: x{r.idle.p50 / r.empty_idle.p50:.2f} (p50), "
            f"x{r.idle.p99 / r.empty_idle.p99:.2f} (p99); typical tick / baseline: "
            f"x{r.typical.p50 / r.empty_idle.p50:.0f} (p50)"
        )
        verdict = "met" if r.typical.p99 < TARGET_TICK_MS else "MISSED"
        print(
            f"   target (typical tick < {TARGET_TICK_MS:.0f} ms): {verdict} "
            f"(p50 {r.typical.p50:.1f} ms, p99 {r.typical.p99:.1f} ms); idle tick: "
            f"{'met' if r.idle.p99 < TARGET_TICK_MS else 'MISSED'}"
        )
        print()


def print_lateness(results: Sequence[LatenessResults]) -> None:
    """Part 2's table, one block per backend, with the exactly-once verdict."""
    print("2. Fire lateness (run start_time - trigger_time), real trigger loop, system clock")
    for r in results:
        print(
            f"   [{r.backend}] {r.jobs} jobs 'S/10 * * * * ?' + {r.idle_jobs} idle jobs, "
            f"{r.seconds:.1f} s; arming the {r.jobs}: {r.arm_ms:.0f} ms"
        )
        s = r.lateness
        print(
            f"   lateness ms: p50 {s.p50:.0f}, p99 {s.p99:.0f}, max {s.max:.0f}, mean "
            f"{s.mean:.1f}; fires {r.fires} (expected {r.expected} + the last "
            f"{END_MARGIN_MS / 1000:g} s); trigger loop CPU {r.loop_cpu_percent:.0f} % of a core"
        )
        if r.ok:
            print(
                "   exactly once: OK (every expected fire once, no duplicate, nothing "
                "unexpected, no idle job fired)"
            )
        else:
            print(
                f"   FAIL: exactly once violated: {r.missing} missing, {r.duplicates} "
                f"duplicate, {r.unexpected} unexpected, {r.idle_fired} idle-job fire(s)"
            )
            for problem in r.problems:
                print(f"     {problem}")
        verdict = "met" if s.p99 < TARGET_LATENESS_MS else "MISSED"
        print(f"   target (p99 < {TARGET_LATENESS_MS:.0f} ms): {verdict}")
        print()


def parse_backends(text: str) -> list[str]:
    """``sqlite,postgresql`` -> the list (only those two are known)."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in ("sqlite", "postgresql")]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"--backends {text!r}: expected sqlite and/or postgresql, comma-separated"
        )
    return names


def machine_line(backends: Sequence[str]) -> str:
    """Cores, Python, and the PostgreSQL server version when one is used."""
    line = f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    admin_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if "postgresql" in backends and admin_url:
        version = PostgresSchema(admin_url, "").server_version()
        line += f", PostgreSQL {version} on {normalize_url(admin_url).host}"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Benchmark the trigger service: tick cost and fire lateness."
    )
    parser.add_argument("--jobs", type=int, default=10_000, help="scheduled jobs (10000)")
    parser.add_argument("--idle-ticks", type=int, default=1000, help="idle ticks timed (1000)")
    parser.add_argument("--minutes", type=int, default=60, help="typical minute ticks (60)")
    parser.add_argument(
        "--lateness-jobs", type=int, default=300, help="every-10-s jobs of part 2 (300)"
    )
    parser.add_argument(
        "--seconds", type=float, default=40.0, help="how long part 2's loop runs (40)"
    )
    parser.add_argument(
        "--backends",
        type=parse_backends,
        default=None,
        help=f"sqlite and/or postgresql (default: sqlite, plus postgresql when "
        f"{POSTGRES_URL_VARIABLE} is set)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    arguments = parser.parse_args()
    if min(arguments.jobs, arguments.idle_ticks, arguments.minutes, arguments.lateness_jobs) < 1:
        parser.error("--jobs, --idle-ticks, --minutes and --lateness-jobs must be at least 1")
    if arguments.seconds < 5:
        parser.error("--seconds must be at least 5")
    backends: list[str] = arguments.backends or (
        ["sqlite", "postgresql"] if os.environ.get(POSTGRES_URL_VARIABLE) else ["sqlite"]
    )

    load_before = os.getloadavg()[0]
    ticks: list[TickResults] = []
    lateness: list[LatenessResults] = []
    root = Path(tempfile.mkdtemp(prefix="brickyard-bench-triggers-"))
    try:
        for backend in backends:
            print(f"{backend}: part 1, tick cost ...", file=sys.stderr, flush=True)
            with store_environment(backend, root / backend) as environ:
                ticks.append(
                    measure_ticks(
                        backend,
                        environ,
                        jobs=arguments.jobs,
                        idle=arguments.idle_ticks,
                        minutes=arguments.minutes,
                    )
                )
                print(f"{backend}: part 2, fire lateness ...", file=sys.stderr, flush=True)
                lateness.append(
                    measure_lateness(
                        backend,
                        environ,
                        jobs=arguments.lateness_jobs,
                        idle_jobs=arguments.jobs,
                        seconds=arguments.seconds,
                    )
                )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    load_after = os.getloadavg()[0]

    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(machine_line(backends) + f"; SQLite store in {tempfile.gettempdir()}")
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")
    if load_before > BUSY_LOAD:
        print(
            "WARNING: the machine was busy before the benchmark started; other processes "
            "compete for the cores and inflate every figure"
        )
    print()
    print_ticks(ticks)
    print_lateness(lateness)
    if arguments.json:
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "python": sys.version.split()[0],
            "cores": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": load_after,
            "ticks": [asdict(result) for result in ticks],
            "lateness": [asdict(result) | {"ok": result.ok} for result in lateness],
        }
        arguments.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {arguments.json}")
    if not all(result.ok for result in lateness):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
