"""Resolution contexts with known values, for the params and the parameter-rule tests."""

from __future__ import annotations

from brickyard.params import ResolutionContext, TaskIdentity, UpstreamTask
from brickyard.states import TriggerType

# 2026-11-21 (a Saturday) 02:05:09.123 UTC
START_MS = 1_795_226_709_123
# 2026-11-20 (a Friday) 02:00:00.000 UTC
TRIGGER_MS = 1_795_140_000_000


def make_run_context() -> ResolutionContext:
    """A run-level context (no current task)."""
    return ResolutionContext(
        job_id=12,
        job_name="ETL Daily",
        run_id=100,
        repair_count=0,
        start_time_ms=START_MS,
        trigger_time_ms=TRIGGER_MS,
        trigger_type=TriggerType.PERIODIC,
        job_parameters={"env": "dev", "a-b": "x"},
        workspace_id="1",
        workspace_url="http://localhost:8000",
    )


def make_task_context(run_ctx: ResolutionContext) -> ResolutionContext:
    """A task-level context of task ``load`` with upstream task ``ingest``."""
    return run_ctx.with_task(
        TaskIdentity("load", 105, 2, "/ETL/load"),
        tasks={
            "ingest": UpstreamTask(
                run_id=101,
                result_state="UPSTREAM_FAILED",
                error_code="RunExecutionError",
                execution_count=3,
                notebook_path="/ETL/ingest",
                values={
                    "n": 5,
                    "f": 1.5,
                    "ok": True,
                    "no": False,
                    "s": "text",
                    "lst": [1, "a"],
                    "obj": {"k": [1, 2], "é": "ü"},
                    "nothing": None,
                    "k$": "special",
                },
            )
        },
    )
