from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brickyard.errors import InvalidInputError
from brickyard.params import (
    ReferenceResolutionError,
    ResolutionContext,
    TableUpdate,
    TaskIdentity,
    UpstreamTask,
    format_time,
    reference_text,
    resolve_text,
)
from brickyard.states import TriggerType

START_MS = 1_795_226_709_123
TRIGGER_MS = 1_795_140_000_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{job.id}}", "12"),
        ("{{job.name}}", "ETL Daily"),
        ("{{job.run_id}}", "100"),
        ("job_{{job.run_id}}_x", "job_100_x"),
        ("{{ job.run_id }}", "100"),
        ("{{job.repair_count}}", "0"),
        ("{{job.start_date}}", "2026-11-21"),
        ("{{job.parameters.env}}", "dev"),
        ("{{job.parameters.`a-b`}}", "x"),
        ("{{job.trigger.type}}", "periodic"),
        ("{{job.trigger.time.iso_date}}", "2026-11-20"),
        ("{{job.trigger.time.is_weekday}}", "true"),
        ("{{job.trigger.time.iso_weekday}}", "5"),
        ("{{job.trigger.time.iso_datetime}}", "2026-11-20T02:00:00.000Z"),
        ("{{job.start_time.iso_weekday}}", "6"),
        ("{{job.start_time.is_weekday}}", "false"),
        ("{{job.start_time.iso_date}}", "2026-11-21"),
        ("{{job.start_time.iso_datetime}}", "2026-11-21T02:05:09.123Z"),
        ("{{job.start_time.year}}", "2026"),
        ("{{job.start_time.month}}", "11"),
        ("{{job.start_time.day}}", "21"),
        ("{{job.start_time.hour}}", "02"),
        ("{{job.start_time.minute}}", "05"),
        ("{{job.start_time.second}}", "09"),
        ("{{job.start_time.timestamp_ms}}", str(START_MS)),
        ("{{task.name}}", "load"),
        ("{{task.run_id}}", "105"),
        ("{{task.execution_count}}", "2"),
        ("{{task.notebook_path}}", "/ETL/load"),
        ("{{tasks.ingest.run_id}}", "101"),
        ("{{tasks.ingest.result_state}}", "upstream_failed"),
        ("{{tasks.ingest.error_code}}", "RunExecutionError"),
        ("{{tasks.ingest.execution_count}}", "3"),
        ("{{tasks.ingest.notebook_path}}", "/ETL/ingest"),
        ("{{tasks.ingest.values.n}}", "5"),
        ("{{tasks.ingest.values.f}}", "1.5"),
        ("{{tasks.ingest.values.ok}}", "true"),
        ("{{tasks.ingest.values.no}}", "false"),
        ("{{tasks.ingest.values.s}}", "text"),
        ("{{tasks.ingest.values.lst}}", '[1,"a"]'),
        ("{{tasks.ingest.values.obj}}", '{"k":[1,2],"é":"ü"}'),
        ("{{tasks.ingest.values.nothing}}", "null"),
        ("{{tasks.ingest.values.`k$`}}", "special"),
        ("{{workspace.id}}", "1"),
        ("{{workspace.url}}", "http://localhost:8000"),
        ("{{backfill.iso_date}}", ""),
        ("{{job.trigger.file_arrival.location}}", ""),
        ("{{job.trigger.table_update.updated_tables}}", ""),
        ("{{job.trigger.table_update.`a.b.c`.version}}", ""),
        # deprecated names
        ("{{job_id}}", "12"),
        ("{{run_id}}", "105"),
        ("{{parent_run_id}}", "100"),
        ("{{task_key}}", "load"),
        ("{{start_date}}", "2026-11-21"),
        ("{{start_time}}", str(START_MS)),
        ("{{task_retry_count}}", "1"),
    ],
)
def test_every_reference_form(ctx: ResolutionContext, text: str, expected: str) -> None:
    assert resolve_text(text, ctx) == expected


@pytest.mark.parametrize(
    "text",
    [
        "{{my.value}}",
        "{{job.id}",
        "{{secrets/scope/key}}",
        "{{ not a ref }}",
        "${var.x}",
        "plain",
        "{{Job.id}}",
    ],
)
def test_literal_text_is_left_alone(ctx: ResolutionContext, text: str) -> None:
    assert resolve_text(text, ctx) == text


def test_mixed_text(ctx: ResolutionContext) -> None:
    text = "{{my.value}}/{{job.id}}/{{secrets/s/k}}/{{task.name}}-{{input"
    assert resolve_text(text, ctx) == "{{my.value}}/12/{{secrets/s/k}}/load-{{input"


@given(st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=40))
def test_text_without_references_is_unchanged(text: str) -> None:
    ctx = ResolutionContext(None, "j", 1, 0, 0, 0, TriggerType.ONE_TIME, {}, "1", "u")
    assert resolve_text(text, ctx) == text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{{tasks.ingest.values.missing}}", "did not set a value 'missing'"),
        ("{{tasks.later.values.x}}", "task 'later' has not run"),
        ("{{tasks.later.result_state}}", "task 'later' has not run"),
        ("{{input}}", "only available inside a for-each task"),
        ("{{input.k}}", "only available inside a for-each task"),
        ("{{job.parameters.nope}}", "the job has no parameter 'nope'"),
        ("{{job.naem}}", "unknown dynamic value reference {{job.naem}}"),
        ("{{tasks.ingest.output.rows}}", "has no SQL output"),
    ],
)
def test_missing_values_raise(ctx: ResolutionContext, text: str, fragment: str) -> None:
    with pytest.raises(ReferenceResolutionError) as info:
        resolve_text(f"x {text} y", ctx)
    assert fragment in str(info.value)
    assert isinstance(info.value, InvalidInputError)


@pytest.mark.parametrize(
    "text",
    ["{{task.name}}", "{{task.run_id}}", "{{run_id}}", "{{task_key}}", "{{task_retry_count}}"],
)
def test_task_references_need_a_task(run_ctx: ResolutionContext, text: str) -> None:
    with pytest.raises(ReferenceResolutionError, match="only available inside a task"):
        resolve_text(text, run_ctx)


def test_run_level_references_without_a_task(run_ctx: ResolutionContext) -> None:
    assert resolve_text("{{job.id}}-{{parent_run_id}}-{{start_date}}", run_ctx) == (
        "12-100-2026-11-21"
    )


def test_unfinished_upstream_result_state_raises(ctx: ResolutionContext) -> None:
    running = dataclasses.replace(ctx, tasks={"ingest": UpstreamTask(101, None, "", 1, None, {})})
    with pytest.raises(ReferenceResolutionError, match="has not finished"):
        resolve_text("{{tasks.ingest.result_state}}", running)


def test_job_id_absent_for_one_time_runs(ctx: ResolutionContext) -> None:
    assert resolve_text("[{{job.id}}][{{job_id}}]", dataclasses.replace(ctx, job_id=None)) == "[][]"


def test_notebook_path_empty_for_other_task_types(ctx: ResolutionContext) -> None:
    other = ctx.with_task(
        TaskIdentity("py", 1, 1, None),
        tasks={"u": UpstreamTask(2, "SUCCESS", "", 1, None, {})},
    )
    assert resolve_text("[{{task.notebook_path}}][{{tasks.u.notebook_path}}]", other) == "[][]"
    assert resolve_text("[{{tasks.u.error_code}}]", other) == "[]"


@pytest.mark.parametrize(
    ("element", "text", "expected"),
    [
        ("a", "{{input}}", "a"),
        (3, "{{input}}", "3"),
        (True, "{{input}}", "true"),
        (None, "{{input}}", "null"),
        ({"k": "v", "n": {"m": 1}}, "{{input}}", '{"k":"v","n":{"m":1}}'),
        ({"k": "v", "n": {"m": 1}}, "{{input.k}}", "v"),
        ({"k": "v", "n": {"m": 1}}, "{{input.n.m}}", "1"),
        ({"a b": 2}, "{{input.`a b`}}", "2"),
        ([1, 2], "{{input}}", "[1,2]"),
    ],
)
def test_for_each_input(ctx: ResolutionContext, element: object, text: str, expected: str) -> None:
    assert ctx.task is not None
    iteration = ctx.with_task(ctx.task, for_each_input=element)
    assert resolve_text(text, iteration) == expected


@pytest.mark.parametrize("element", ["a", 1, {"other": 1}])
def test_for_each_input_missing_key(ctx: ResolutionContext, element: object) -> None:
    assert ctx.task is not None
    iteration = ctx.with_task(ctx.task, for_each_input=element)
    with pytest.raises(ReferenceResolutionError, match="the for-each input has no key 'k'"):
        resolve_text("{{input.k}}", iteration)


def test_backfill_references(ctx: ResolutionContext) -> None:
    backfill = dataclasses.replace(ctx, backfill_time_ms=TRIGGER_MS)
    assert resolve_text("{{backfill.iso_date}} {{backfill.timestamp_ms}}", backfill) == (
        f"2026-11-20 {TRIGGER_MS}"
    )


def test_file_arrival_references(ctx: ResolutionContext) -> None:
    arrival = dataclasses.replace(
        ctx, trigger_type=TriggerType.FILE_ARRIVAL, file_arrival_location="/Volumes/a/b/"
    )
    assert resolve_text("{{job.trigger.file_arrival.location}}", arrival) == "/Volumes/a/b/"
    assert resolve_text("{{job.trigger.type}}", arrival) == "file_arrival"
    # The location outside a file-arrival run is empty even if a stale one is present.
    manual = dataclasses.replace(arrival, trigger_type=TriggerType.ONE_TIME)
    assert resolve_text("[{{job.trigger.file_arrival.location}}]", manual) == "[]"


def test_table_update_references(ctx: ResolutionContext) -> None:
    table = dataclasses.replace(
        ctx,
        trigger_type=TriggerType.TABLE,
        table_updates={
            "main.s.a": TableUpdate(version=7, commit_timestamp_ms=TRIGGER_MS),
            "main.s.b": TableUpdate(),
        },
    )
    assert resolve_text("{{job.trigger.table_update.updated_tables}}", table) == (
        '["main.s.a","main.s.b"]'
    )
    assert resolve_text("{{job.trigger.table_update.`main.s.a`.version}}", table) == "7"
    assert (
        resolve_text("{{job.trigger.table_update.`main.s.a`.commit_timestamp.iso_date}}", table)
        == "2026-11-20"
    )
    assert resolve_text("[{{job.trigger.table_update.`main.s.b`.version}}]", table) == "[]"
    assert (
        resolve_text("[{{job.trigger.table_update.`main.s.b`.commit_timestamp.day}}]", table)
        == "[]"
    )
    assert resolve_text("[{{job.trigger.table_update.`x.y.z`.version}}]", table) == "[]"


@pytest.mark.parametrize(
    ("trigger", "text"),
    [
        (TriggerType.PERIODIC, "periodic"),
        (TriggerType.ONE_TIME, "onetime"),
        (TriggerType.RETRY, "retry"),
        (TriggerType.RUN_JOB_TASK, "run_job_task"),
        (TriggerType.FILE_ARRIVAL, "file_arrival"),
        (TriggerType.TABLE, "table"),
        (TriggerType.CONTINUOUS, "continuous"),
        (TriggerType.CONTINUOUS_RESTART, "continuous"),
        (TriggerType.JOB_COMPLETION, "job_completion"),
    ],
)
def test_trigger_type_text(ctx: ResolutionContext, trigger: TriggerType, text: str) -> None:
    assert resolve_text("{{job.trigger.type}}", dataclasses.replace(ctx, trigger_type=trigger)) == (
        text
    )


def test_sql_output_references(ctx: ResolutionContext) -> None:
    rows = ({"a": 1, "b": "x"}, {"a": 2, "b": None})
    with_rows = dataclasses.replace(
        ctx, tasks={"q": UpstreamTask(1, "SUCCESS", "", 1, None, {}, sql_output_rows=rows)}
    )
    assert (
        resolve_text("{{tasks.q.output.rows}}", with_rows) == '[{"a":1,"b":"x"},{"a":2,"b":null}]'
    )
    assert resolve_text("{{tasks.q.output.first_row}}", with_rows) == '{"a":1,"b":"x"}'
    assert resolve_text("{{tasks.q.output.first_row.b}}", with_rows) == "x"
    with pytest.raises(ReferenceResolutionError, match="no column 'c'"):
        resolve_text("{{tasks.q.output.first_row.c}}", with_rows)
    empty = dataclasses.replace(
        ctx, tasks={"q": UpstreamTask(1, "SUCCESS", "", 1, None, {}, sql_output_rows=())}
    )
    assert resolve_text("{{tasks.q.output.rows}}", empty) == "[]"
    with pytest.raises(ReferenceResolutionError, match="returned no rows"):
        resolve_text("{{tasks.q.output.first_row}}", empty)


@pytest.mark.parametrize(
    ("ms", "arg", "expected"),
    [
        (0, "iso_datetime", "1970-01-01T00:00:00.000Z"),
        (0, "iso_weekday", "4"),
        (0, "is_weekday", "true"),
        (1_704_067_199_999, "iso_datetime", "2023-12-31T23:59:59.999Z"),
        (1_704_067_200_000, "year", "2024"),
        (1_704_067_200_000, "month", "01"),
        (1_704_067_200_000, "day", "01"),
        (1_704_067_200_000, "hour", "00"),
    ],
)
def test_format_time(ms: int, arg: str, expected: str) -> None:
    assert format_time(ms, arg) == expected


def test_weekend_days_are_not_weekdays() -> None:
    saturday = 1_795_219_200_000  # 2026-11-21 00:00 UTC
    sunday = saturday + 86_400_000
    monday = sunday + 86_400_000
    assert [format_time(t, "iso_weekday") for t in (saturday, sunday, monday)] == ["6", "7", "1"]
    assert [format_time(t, "is_weekday") for t in (saturday, sunday, monday)] == [
        "false",
        "false",
        "true",
    ]
    # UTC, not local time: 23:30 UTC on Friday is still a weekday.
    assert format_time(saturday - 30 * 60_000, "is_weekday") == "true"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("s", "s"),
        (1, "1"),
        (1.25, "1.25"),
        (True, "true"),
        (None, "null"),
        ({"a": [1]}, '{"a":[1]}'),
    ],
)
def test_reference_text(value: object, expected: str) -> None:
    assert reference_text(value) == expected
