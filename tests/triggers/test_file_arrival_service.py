"""File-arrival triggers through the trigger service, on real directories and fsspec."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import fsspec

from brickyard.states import TriggerType
from brickyard.triggers.file_arrival import resolve_location
from support.trigger_harness import START, Triggers

MANY = {"max_concurrent_runs": 100}


def _arrival(url: str, **timers: int) -> dict[str, object]:
    return {"file_arrival": {"url": url, **timers}}


def _job(triggers: Triggers, url: str, **timers: int) -> int:
    job_id = triggers.create_job(
        trigger=_arrival(url, **timers),
        parameters=[{"name": "where", "default": "{{job.trigger.file_arrival.location}}"}],
        **MANY,
    )
    triggers.tick_at(START)  # set up: what is there now never fires
    return job_id


def test_files_present_at_set_up_never_fire_and_new_ones_do(
    triggers: Triggers, tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    (landing / "old").mkdir(parents=True)
    (landing / "old" / "a.csv").write_text("old")
    job_id = _job(triggers, str(landing))
    assert triggers.tick_at(START + timedelta(seconds=10)).run_ids == ()
    (landing / "day=1").mkdir()
    (landing / "day=1" / "b.csv").write_text("new")  # recursive: a new sub-folder counts
    triggers.tick_at(START + timedelta(seconds=20))
    (run,) = triggers.runs(job_id)
    assert run.trigger is TriggerType.FILE_ARRIVAL
    assert run.job_parameters[0]["value"] == str(landing)


def test_an_overwritten_file_is_not_new(triggers: Triggers, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("1")
    job_id = _job(triggers, str(tmp_path))
    (tmp_path / "a.csv").write_text("2")
    assert triggers.tick_at(START + timedelta(seconds=10)).run_ids == ()
    assert triggers.runs(job_id) == []


def test_wait_after_last_change_debounces_a_burst_of_files(
    triggers: Triggers, tmp_path: Path
) -> None:
    job_id = _job(triggers, str(tmp_path), wait_after_last_change_seconds=60)
    (tmp_path / "1.csv").write_text("x")
    triggers.tick_at(START + timedelta(seconds=10))
    (tmp_path / "2.csv").write_text("x")
    triggers.tick_at(START + timedelta(seconds=40))
    assert triggers.tick_at(START + timedelta(seconds=90)).run_ids == ()
    assert triggers.trigger(job_id).due_time is not None
    triggers.tick_at(START + timedelta(seconds=100))  # 60 s of quiet since the 2nd file
    assert len(triggers.runs(job_id)) == 1


def test_min_time_between_triggers_holds_new_files_back(triggers: Triggers, tmp_path: Path) -> None:
    job_id = _job(triggers, str(tmp_path), min_time_between_triggers_seconds=300)
    (tmp_path / "1.csv").write_text("x")
    triggers.tick_at(START + timedelta(seconds=10))
    (tmp_path / "2.csv").write_text("x")
    triggers.tick_at(START + timedelta(seconds=20))
    assert len(triggers.runs(job_id)) == 1
    assert triggers.tick_at(START + timedelta(seconds=300)).run_ids == ()
    triggers.tick_at(START + timedelta(seconds=310))
    assert len(triggers.runs(job_id)) == 2


def test_seen_files_survive_a_restart(triggers: Triggers, tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("x")
    job_id = _job(triggers, str(tmp_path))
    (tmp_path / "new.csv").write_text("x")
    triggers.tick_at(START + timedelta(seconds=10))
    triggers.restart()
    triggers.tick_at(START + timedelta(seconds=20))
    triggers.tick_at(START + timedelta(seconds=30))
    assert len(triggers.runs(job_id)) == 1


def test_a_deleted_file_that_comes_back_is_new(triggers: Triggers, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x")
    job_id = _job(triggers, str(tmp_path))
    (tmp_path / "a.csv").unlink()
    triggers.tick_at(START + timedelta(seconds=10))
    (tmp_path / "a.csv").write_text("again")
    triggers.tick_at(START + timedelta(seconds=20))
    assert len(triggers.runs(job_id)) == 1


def test_volumes_paths_watch_the_brickyard_home(triggers: Triggers) -> None:
    url = "/Volumes/main/raw/landing/orders"
    job_id = _job(triggers, url)
    folder = triggers.services.settings.volumes_root / "main/raw/landing/orders"
    folder.mkdir(parents=True)
    (folder / "o.json").write_text("{}")
    triggers.tick_at(START + timedelta(seconds=10))
    (run,) = triggers.runs(job_id)
    assert run.job_parameters[0]["value"] == url


def test_an_fsspec_url_is_watched_through_its_filesystem(triggers: Triggers) -> None:
    root = f"memory://landing-{uuid.uuid4().hex}"
    memory = fsspec.filesystem("memory")
    memory.pipe(f"{root}/old.txt", b"x")
    job_id = _job(triggers, root)
    memory.pipe(f"{root}/in/new.txt", b"y")
    triggers.tick_at(START + timedelta(seconds=10))
    assert len(triggers.runs(job_id)) == 1


def test_a_location_that_does_not_exist_yet_fires_when_files_appear(
    triggers: Triggers, tmp_path: Path
) -> None:
    job_id = _job(triggers, str(tmp_path / "later"))
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "f").write_text("x")
    triggers.tick_at(START + timedelta(seconds=10))
    assert len(triggers.runs(job_id)) == 1


def test_dbfs_paths_map_into_the_home(triggers: Triggers) -> None:
    settings = triggers.services.settings
    assert resolve_location("dbfs:/landing", settings).path == str(settings.dbfs_root / "landing")
    assert resolve_location("dbfs:/Volumes/c/s/v", settings).path == str(
        settings.volumes_root / "c/s/v"
    )
