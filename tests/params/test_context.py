from __future__ import annotations

import dataclasses

import pytest

from brickyard.params import ABSENT, ResolutionContext, TaskIdentity, UpstreamTask


def test_absent_is_a_falsy_singleton() -> None:
    assert not ABSENT
    assert repr(ABSENT) == "ABSENT"
    assert type(ABSENT)() is ABSENT


def test_with_task_sets_identity_and_keeps_the_rest(run_ctx: ResolutionContext) -> None:
    identity = TaskIdentity("t", 7, 1, None)
    per_task = run_ctx.with_task(identity)
    assert per_task.task == identity
    assert per_task.tasks == {}
    assert not per_task.in_for_each
    assert per_task.run_id == run_ctx.run_id
    assert run_ctx.task is None


def test_with_task_for_each_input(run_ctx: ResolutionContext) -> None:
    upstream = {"u": UpstreamTask(1, "SUCCESS", "", 1, None, {})}
    first = run_ctx.with_task(TaskIdentity("t", 7, 1, None), tasks=upstream, for_each_input=None)
    assert first.in_for_each
    assert first.for_each_input is None
    assert first.tasks == upstream
    # tasks=None keeps what the context had, for_each_input defaults to absent.
    second = first.with_task(TaskIdentity("t2", 8, 1, None))
    assert second.tasks == upstream
    assert not second.in_for_each


def test_with_job_parameters(run_ctx: ResolutionContext) -> None:
    assert run_ctx.with_job_parameters({"x": "1"}).job_parameters == {"x": "1"}


def test_contexts_are_frozen(run_ctx: ResolutionContext) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        run_ctx.run_id = 5  # type: ignore[misc]
