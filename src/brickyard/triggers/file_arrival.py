"""File-arrival triggers: start a run when new files appear under a location.

The location is listed recursively every poll (``BRICKYARD_FILE_ARRIVAL_POLL_SECONDS``,
default 10 s). When the trigger is set up, the files already there are recorded as seen and
never fire; after that, a path not seen before is new (an overwritten file is not; a file
deleted and created again is). New files wait as *pending* until both debounce rules allow a
run: ``wait_after_last_change_seconds`` of quiet since the last new file, and
``min_time_between_triggers_seconds`` since the previous run. The run sees the location as
``{{job.trigger.file_arrival.location}}``. Seen and pending paths are persisted with the
trigger, so a restart does not fire again for old files.

Locations: ``/Volumes/...`` and ``dbfs:/...`` map into the brickyard home as for every other
path (:func:`brickyard.compute.paths.storage_path`); ``file:`` and absolute paths are local;
any other URL (``s3://``, ``memory://``...) goes through fsspec, with the filesystem package
for its scheme installed (:func:`brickyard.spec.trigger_validation.check_location`, which
refuses any other location when the job is saved).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import fsspec

from brickyard import storage
from brickyard.compute.paths import storage_path
from brickyard.errors import InvalidInputError
from brickyard.settings import Settings
from brickyard.spec.trigger_validation import check_location
from brickyard.states import TriggerType
from brickyard.triggers.outcome import Fire, Outcome

logger = logging.getLogger(__name__)

_DBFS = "dbfs:"
_FILE = "file:"


@dataclass(frozen=True)
class Location:
    """Where a file-arrival trigger looks: a filesystem and a path on it."""

    filesystem: fsspec.AbstractFileSystem
    path: str

    def list_files(self) -> set[str]:
        """Every file under the location, recursively (empty when it does not exist yet)."""
        if not self.filesystem.exists(self.path):
            return set()
        found = self.filesystem.find(self.path, withdirs=False, detail=False)
        return {str(name) for name in found}


def resolve_location(url: str, settings: Settings) -> Location:
    """The filesystem and path a ``file_arrival.url`` names."""
    check_location(url)
    text = url.strip()
    in_home = storage_path(text, settings)
    if in_home is not None:
        return _local(str(in_home))
    if text.lower().startswith(_FILE):
        return _local("/" + text[len(_FILE) :].lstrip("/"))
    if text.startswith("/"):
        return _local(text)
    filesystem, path = fsspec.core.url_to_fs(text)
    return Location(filesystem, str(path))


def _local(path: str) -> Location:
    return Location(fsspec.filesystem("file"), path)


def evaluate_file_arrival(
    record: storage.JobTriggerRecord, now_ms: int, *, settings: Settings
) -> Outcome:
    """Poll the location once and decide whether new files start a run."""
    poll_ms = int(settings.file_arrival_poll_seconds * 1000)
    url = str(record.config.get("url", ""))
    try:
        files = resolve_location(url, settings).list_files()
    except InvalidInputError:
        raise
    except Exception as error:  # an unreachable store: try again at the next poll
        logger.warning("file arrival: cannot list %s for job %s: %s", url, record.job_id, error)
        return Outcome(due_time=now_ms + poll_ms)
    state = record.state
    if "seen" not in state:  # set up: what is there already never fires
        return Outcome(due_time=now_ms + poll_ms, state={"seen": sorted(files), "pending": []})
    return _advance(record, state, files, now_ms, poll_ms, url)


def _advance(
    record: storage.JobTriggerRecord,
    state: dict[str, Any],
    files: set[str],
    now_ms: int,
    poll_ms: int,
    url: str,
) -> Outcome:
    seen = set(state.get("seen", [])) & files  # a deleted file is new if it comes back
    pending = set(state.get("pending", [])) & files
    last_change = state.get("last_change")
    last_trigger = state.get("last_trigger")
    new = files - seen - pending
    if new:
        pending |= new
        last_change = now_ms
    ready_at = _ready_at(record.config, last_change, last_trigger) if pending else None
    fires: tuple[Fire, ...] = ()
    if ready_at is not None and ready_at <= now_ms:
        fires = (Fire(TriggerType.FILE_ARRIVAL, now_ms, file_arrival_location=url),)
        seen |= pending
        pending = set()
        last_trigger = now_ms
        ready_at = None
    next_poll = now_ms + poll_ms
    new_state = {
        "seen": sorted(seen),
        "pending": sorted(pending),
        "last_change": last_change,
        "last_trigger": last_trigger,
    }
    return Outcome(
        due_time=next_poll if ready_at is None else min(next_poll, ready_at),
        fires=fires,
        state=None if new_state == state else new_state,
        last_fire_time=now_ms if fires else None,
    )


def _ready_at(config: dict[str, Any], last_change: int | None, last_trigger: int | None) -> int:
    """When pending files may start a run under the two debounce rules."""
    ready = 0
    wait = config.get("wait_after_last_change_seconds")
    if wait is not None and last_change is not None:
        ready = last_change + int(wait) * 1000
    gap = config.get("min_time_between_triggers_seconds")
    if gap is not None and last_trigger is not None:
        ready = max(ready, last_trigger + int(gap) * 1000)
    return ready
