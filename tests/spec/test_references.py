from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brickyard.spec.references import (
    Reference,
    find_references,
    is_known,
    is_valid_form,
    reference_problem,
)

TASKS = frozenset({"ingest", "my-task"})


def one(text: str) -> Reference:
    refs = find_references(text)
    assert len(refs) == 1, refs
    return refs[0]


def test_reference_positions_and_parts() -> None:
    text = "job_{{job.run_id}}_x"
    ref = one(text)
    assert ref == Reference("{{job.run_id}}", ("job", "run_id"), 4, 18)
    assert text[ref.start : ref.end] == ref.raw
    assert ref.namespace == "job"


def test_several_references_in_order() -> None:
    refs = find_references("{{job.id}}-{{task.name}}/{{ job.run_id }}")
    assert [r.parts for r in refs] == [("job", "id"), ("task", "name"), ("job", "run_id")]
    assert refs[2].raw == "{{ job.run_id }}"


def test_spaces_inside_braces() -> None:
    assert one("{{   job.id\t}}").parts == ("job", "id")


def test_backticks_unquote() -> None:
    ref = one("{{job.parameters.`param$@ x.y`}}")
    assert ref.parts == ("job", "parameters", "param$@ x.y")
    assert one("{{tasks.`my-task`.values.`a.b`}}").parts == ("tasks", "my-task", "values", "a.b")


@pytest.mark.parametrize(
    "text",
    [
        "{{my.value}",
        "{job.id}}",
        "{{job..id}}",
        "{{.job}}",
        "{{job.}}",
        "{{job id}}",
        "{{secrets/scope/key}}",
        "{{job-id}}",
        "{{}}",
        "{{``}}",
        "{{job.`unterminated}}",
        "plain text",
        "${var.x}",
    ],
)
def test_not_references(text: str) -> None:
    assert find_references(text) == []


def test_triple_braces_find_the_inner_reference() -> None:
    ref = one("{{{job.id}}}")
    assert ref.raw == "{{job.id}}"
    assert ref.start == 1


@given(st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=50))
def test_text_without_braces_has_no_references(text: str) -> None:
    assert find_references(text) == []


VALID = [
    "{{job.id}}",
    "{{job.name}}",
    "{{job.run_id}}",
    "{{job.repair_count}}",
    "{{job.start_date}}",
    "{{job.parameters.env}}",
    "{{job.parameters.`a-b.c`}}",
    "{{job.trigger.type}}",
    "{{job.trigger.file_arrival.location}}",
    "{{job.trigger.table_update.updated_tables}}",
    "{{job.trigger.table_update.`main.s.t`.version}}",
    "{{job.trigger.table_update.`main.s.t`.commit_timestamp.iso_date}}",
    "{{task.name}}",
    "{{task.run_id}}",
    "{{task.execution_count}}",
    "{{task.notebook_path}}",
    "{{tasks.ingest.run_id}}",
    "{{tasks.ingest.result_state}}",
    "{{tasks.ingest.error_code}}",
    "{{tasks.ingest.execution_count}}",
    "{{tasks.ingest.notebook_path}}",
    "{{tasks.ingest.values.rows}}",
    "{{tasks.`my-task`.values.`k$`}}",
    "{{tasks.ingest.output.rows}}",
    "{{tasks.ingest.output.first_row}}",
    "{{tasks.ingest.output.first_row.col}}",
    "{{input}}",
    "{{input.key}}",
    "{{input.a.b}}",
    "{{workspace.id}}",
    "{{workspace.url}}",
    "{{job_id}}",
    "{{run_id}}",
    "{{parent_run_id}}",
    "{{task_key}}",
    "{{start_date}}",
    "{{start_time}}",
    "{{task_retry_count}}",
]
TIME_ARGS = [
    "iso_weekday",
    "is_weekday",
    "iso_date",
    "iso_datetime",
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "timestamp_ms",
]
VALID += [f"{{{{job.start_time.{arg}}}}}" for arg in TIME_ARGS]
VALID += [f"{{{{job.trigger.time.{arg}}}}}" for arg in TIME_ARGS]
VALID += [f"{{{{backfill.{arg}}}}}" for arg in TIME_ARGS]


@pytest.mark.parametrize("text", VALID)
def test_valid_references(text: str) -> None:
    ref = one(text)
    assert is_known(ref)
    assert is_valid_form(ref.parts)
    assert reference_problem(ref, TASKS) is None


INVALID = [
    "{{job.naem}}",
    "{{job.notebook_url}}",
    "{{job}}",
    "{{job.start_time}}",
    "{{job.start_time.iso_dat}}",
    "{{job.start_time.iso_date.x}}",
    "{{job.parameters}}",
    "{{job.parameters.a.b}}",
    "{{job.trigger}}",
    "{{job.trigger.time}}",
    "{{job.trigger.kind}}",
    "{{job.trigger.file_arrival}}",
    "{{job.trigger.table_update}}",
    "{{job.trigger.table_update.t.commit_timestamp}}",
    "{{job.trigger.table_update.t.size}}",
    "{{task}}",
    "{{task.key}}",
    "{{task.name.x}}",
    "{{tasks}}",
    "{{tasks.ingest}}",
    "{{tasks.ingest.value}}",
    "{{tasks.ingest.values}}",
    "{{tasks.ingest.values.a.b}}",
    "{{tasks.ingest.output}}",
    "{{tasks.ingest.output.first_row.a.b}}",
    "{{tasks.ingest.output.all}}",
    "{{workspace}}",
    "{{workspace.name}}",
    "{{backfill}}",
    "{{backfill.date}}",
    "{{job_id.x}}",
    "{{run_id.y}}",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_references_in_known_namespaces(text: str) -> None:
    ref = one(text)
    assert is_known(ref)
    assert reference_problem(ref, TASKS) == f"unknown dynamic value reference {text}"


def test_reference_to_unknown_task() -> None:
    ref = one("{{tasks.ghost.values.x}}")
    assert reference_problem(ref, TASKS) == (
        "dynamic value reference {{tasks.ghost.values.x}} names task 'ghost', not in this job"
    )


@pytest.mark.parametrize("text", ["{{my.value}}", "{{foo}}", "{{env.HOME}}", "{{Job.id}}"])
def test_unknown_namespaces_are_not_problems(text: str) -> None:
    ref = one(text)
    assert not is_known(ref)
    assert reference_problem(ref, TASKS) is None
