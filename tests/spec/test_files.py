from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from brickyard.errors import JobFileError, JobValidationError
from brickyard.spec import load_job_file
from support.seeds import ADF_SEED, JOB_SEEDS, SEEDS_DIR

SIMPLE: dict[str, Any] = {
    "name": "simple",
    "tasks": [{"task_key": "a", "notebook_task": {"notebook_path": "./nb.py"}}],
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_examples_load_and_round_trip(example_path: Path, example_raw: dict[str, Any]) -> None:
    loaded = load_job_file(example_path)
    assert loaded.settings.to_api() == example_raw
    assert loaded.path == example_path
    assert loaded.base_dir == example_path.parent
    assert loaded.job_key is None


def test_the_seed_folder_holds_exactly_the_listed_seeds() -> None:
    assert sorted(SEEDS_DIR.glob("*.json")) == sorted([*JOB_SEEDS, ADF_SEED])


def test_adf_pipeline_is_refused_clearly() -> None:
    path = ADF_SEED
    with pytest.raises(JobFileError) as info:
        load_job_file(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert "Azure Data Factory pipeline" in message
    assert "\n" not in message


@pytest.mark.parametrize("suffix", [".json", ".yml", ".yaml", ".YAML"])
def test_plain_settings_in_each_format(tmp_path: Path, suffix: str) -> None:
    text = json.dumps(SIMPLE) if suffix == ".json" else yaml.safe_dump(SIMPLE)
    loaded = load_job_file(write(tmp_path, f"job{suffix}", text))
    assert loaded.settings.to_api() == SIMPLE


def test_relative_path_becomes_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "job.json", json.dumps(SIMPLE))
    monkeypatch.chdir(tmp_path)
    loaded = load_job_file(Path("job.json"))
    assert loaded.path == tmp_path / "job.json"
    assert loaded.path.is_absolute()
    assert loaded.base_dir == tmp_path


def test_jobs_get_response(tmp_path: Path) -> None:
    text = json.dumps({"job_id": 12, "created_time": 1, "settings": SIMPLE})
    assert load_job_file(write(tmp_path, "got.json", text)).settings.to_api() == SIMPLE


def test_job_settings_with_a_settings_field_but_no_job_id_stay_settings(tmp_path: Path) -> None:
    raw = {**SIMPLE, "settings": {"kept": True}}
    assert load_job_file(write(tmp_path, "j.json", json.dumps(raw))).settings.to_api() == raw


BUNDLE = """
bundle:
  name: my_bundle
variables:
  warehouse_id: {default: abc}
resources:
  jobs:
    etl:
      name: etl-${bundle.target}
      parameters: [{name: run_date, default: "{{job.trigger.time.iso_date}}"}]
      schedule: {quartz_cron_expression: "0 0 2 * * ?", timezone_id: UTC}
      tasks:
        - task_key: ingest
          notebook_task:
            notebook_path: ../src/ingest.py
            base_parameters: {day: 2026-11-21, count: 3}
        - task_key: load
          depends_on: [{task_key: ingest}]
          sql_task: {warehouse_id: "${var.warehouse_id}", file: {path: ../src/load.sql}}
      permissions: [{level: CAN_MANAGE_RUN, user_name: a@b.com}]
"""


def test_bundle_with_one_job(tmp_path: Path) -> None:
    loaded = load_job_file(write(tmp_path, "databricks.yml", BUNDLE))
    settings = loaded.settings
    assert loaded.job_key == "etl"
    assert settings.name == "etl-${bundle.target}"
    api = settings.to_api()
    assert "permissions" not in api
    assert api["tasks"][1]["sql_task"]["warehouse_id"] == "${var.warehouse_id}"
    # YAML dates stay text, numbers become parameter strings.
    assert api["tasks"][0]["notebook_task"]["base_parameters"] == {
        "day": "2026-11-21",
        "count": "3",
    }
    assert api["parameters"] == [{"name": "run_date", "default": "{{job.trigger.time.iso_date}}"}]


TWO_JOBS = """
resources:
  jobs:
    first: {name: one, tasks: [{task_key: a, notebook_task: {notebook_path: /a}}]}
    second: {name: two, tasks: [{task_key: b, notebook_task: {notebook_path: /b}}]}
"""


def test_bundle_with_several_jobs_needs_a_key(tmp_path: Path) -> None:
    path = write(tmp_path, "b.yml", TWO_JOBS)
    with pytest.raises(JobFileError, match=r"several jobs \(first, second\)"):
        load_job_file(path)
    assert load_job_file(path, job_key="second").settings.name == "two"


def test_bundle_unknown_key(tmp_path: Path) -> None:
    path = write(tmp_path, "b.yml", TWO_JOBS)
    with pytest.raises(JobFileError, match=r"no job 'third' \(jobs: first, second\)"):
        load_job_file(path, job_key="third")


def test_bundle_without_jobs(tmp_path: Path) -> None:
    with pytest.raises(JobFileError, match=re.escape("resources.jobs defines no jobs")):
        load_job_file(write(tmp_path, "b.yml", "resources:\n  jobs: {}\n"))


def test_bundle_job_must_be_an_object(tmp_path: Path) -> None:
    with pytest.raises(JobFileError, match=re.escape("resources.jobs.etl must be an object")):
        load_job_file(write(tmp_path, "b.yml", "resources:\n  jobs:\n    etl:\n"))


def test_job_key_on_a_plain_job_file(tmp_path: Path) -> None:
    with pytest.raises(JobFileError, match="not a bundle"):
        load_job_file(write(tmp_path, "j.json", json.dumps(SIMPLE)), job_key="etl")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(JobFileError, match=f"^{re.escape(str(path))}: no such file$"):
        load_job_file(path)


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "dir.json"
    folder.mkdir()
    with pytest.raises(JobFileError, match="is a directory"):
        load_job_file(folder)


def test_unreadable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bin.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(JobFileError, match="cannot read the file"):
        load_job_file(path)


def test_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(JobFileError, match=r"unsupported file type \.toml"):
        load_job_file(write(tmp_path, "job.toml", "x = 1"))


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", '{\n  "name": "x",\n  "tasks": [,]\n}')
    with pytest.raises(JobFileError) as info:
        load_job_file(path)
    assert str(info.value).startswith(f"{path}: invalid JSON at line 3, column 13:")


def test_invalid_yaml_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yml", "name: x\ntasks:\n  - task_key: a\n   bad: [\n")
    with pytest.raises(JobFileError) as info:
        load_job_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}: invalid YAML at line ")
    assert ", column " in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("l.json", "[1, 2]", "a list"),
        ("s.yml", "just text", "a str"),
        ("e.yml", "", "an empty document"),
    ],
)
def test_top_level_must_be_an_object(tmp_path: Path, name: str, text: str, kind: str) -> None:
    with pytest.raises(JobFileError, match=f"the top level must be an object, got {kind}"):
        load_job_file(write(tmp_path, name, text))


def test_validation_errors_name_the_file(tmp_path: Path) -> None:
    raw = {
        "name": "x",
        "tasks": [
            {
                "task_key": "a",
                "depends_on": [{"task_key": "zz"}],
                "notebook_task": {"notebook_path": "/a"},
            }
        ],
    }
    path = write(tmp_path, "j.json", json.dumps(raw))
    with pytest.raises(JobValidationError) as info:
        load_job_file(path)
    assert info.value.source == str(path)
    assert (
        str(info.value)
        == f"{path}: tasks[0].depends_on[0].task_key: task 'a' depends on unknown task 'zz'"
    )
