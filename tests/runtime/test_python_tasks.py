"""python_wheel tasks through real task processes, against a hand-made installed package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def _install_fake_package(site: Path) -> None:
    """An installed distribution 'my-reporting' (module my_reporting) with entry points."""
    package = site / "my_reporting"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "import sys\ndef main():\n    print('main argv', sys.argv)\ndef failing():\n    return 4\n"
    )
    (package / "cli.py").write_text(
        "import sys\n"
        "def run():\n"
        "    print('cli argv', sys.argv)\n"
        "    dbutils.jobs.taskValues.set('ran', 'cli')\n"
        "def other():\n"
        "    print('other group')\n"
    )
    dist_info = site / "my_reporting-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: my-reporting\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text(
        "[my_plugins]\nreport-main = my_reporting.cli:other\n\n"
        "[console_scripts]\nreport-main = my_reporting.cli:run\n\n"
        "[other]\nonly_here = my_reporting.cli:other\n"
    )


@pytest.fixture
def wheel_fields(tmp_path: Path) -> dict[str, Any]:
    site = tmp_path / "site"
    _install_fake_package(site)
    return {"sys_path": [str(site)]}


def _run(task_env: Any, fields: dict[str, Any], package: str, entry: str) -> Any:
    spec = task_env.spec(
        "python_wheel", package_name=package, entry_point=entry, argv=["--x=1"], **fields
    )
    return task_env.run(spec)


def test_entry_point_from_metadata_prefers_console_scripts(
    task_env: Any, wheel_fields: dict[str, Any]
) -> None:
    run = _run(task_env, wheel_fields, "my_reporting", "report_main")
    assert run.result["status"] == "SUCCESS", run.result
    assert "cli argv ['my_reporting', '--x=1']" in run.stdout
    assert run.result["task_values"] == {"ran": "cli"}


def test_entry_point_from_any_group(task_env: Any, wheel_fields: dict[str, Any]) -> None:
    run = _run(task_env, wheel_fields, "My-Reporting", "only_here")
    assert run.result["status"] == "SUCCESS", run.result
    assert "other group" in run.stdout


def test_falls_back_to_package_attribute(task_env: Any, wheel_fields: dict[str, Any]) -> None:
    run = _run(task_env, wheel_fields, "my-reporting", "main")
    assert run.result["status"] == "SUCCESS", run.result
    assert "main argv ['my-reporting', '--x=1']" in run.stdout


def test_non_zero_return_fails(task_env: Any, wheel_fields: dict[str, Any]) -> None:
    run = _run(task_env, wheel_fields, "my_reporting", "failing")
    assert run.result["status"] == "FAILED"
    assert run.result["error"] == "exited with code 4"


def test_missing_entry_point_is_resource_not_found(
    task_env: Any, wheel_fields: dict[str, Any]
) -> None:
    run = _run(task_env, wheel_fields, "my_reporting", "nope")
    assert run.result["status"] == "FAILED"
    assert run.result["termination_code"] == "RESOURCE_NOT_FOUND"
    assert "entry point 'nope' not found in package 'my_reporting'" in run.result["error"]


def test_missing_package_is_resource_not_found(task_env: Any) -> None:
    run = _run(task_env, {}, "not_installed_pkg", "main")
    assert run.result["termination_code"] == "RESOURCE_NOT_FOUND"
    assert "package 'not_installed_pkg'" in run.result["error"]


def test_import_error_inside_the_package_is_a_code_failure(task_env: Any, tmp_path: Path) -> None:
    site = tmp_path / "site2"
    (site / "broken_pkg").mkdir(parents=True)
    (site / "broken_pkg" / "__init__.py").write_text("import missing_dependency_xyz\n")
    run = _run(task_env, {"sys_path": [str(site)]}, "broken_pkg", "main")
    assert run.result["termination_code"] == "RUN_EXECUTION_ERROR"
    assert "missing_dependency_xyz" in run.result["error"]
