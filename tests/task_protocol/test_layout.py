"""The run folder layout."""

from __future__ import annotations

from pathlib import Path

from brickyard.task_protocol import TaskFiles, attempt_dir


def test_attempt_folder_and_file_names(tmp_path: Path) -> None:
    folder = attempt_dir(tmp_path, 12, 15, "ingest")
    assert folder == tmp_path / "12" / "15-ingest"
    files = TaskFiles.of(folder)
    assert files.folder == folder
    assert [p.name for p in (files.spec, files.result, files.pid)] == [
        "spec.json",
        "result.json",
        "pid.json",
    ]
    assert [p.name for p in (files.stdout, files.stderr, files.output_notebook)] == [
        "stdout.log",
        "stderr.log",
        "notebook.ipynb",
    ]


def test_relative_folders_are_made_absolute() -> None:
    files = TaskFiles.of(Path("runs/1/2-t"))
    assert files.spec.is_absolute() and files.spec == Path.cwd() / "runs/1/2-t/spec.json"
