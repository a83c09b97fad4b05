"""Shared fixtures for the params tests: a run context with known values."""

from __future__ import annotations

import pytest

from brickyard.params import ResolutionContext
from support.contexts import make_run_context, make_task_context


@pytest.fixture
def run_ctx() -> ResolutionContext:
    """A run-level context (no current task)."""
    return make_run_context()


@pytest.fixture
def ctx(run_ctx: ResolutionContext) -> ResolutionContext:
    """A task-level context of task ``load`` with upstream task ``ingest``."""
    return make_task_context(run_ctx)
