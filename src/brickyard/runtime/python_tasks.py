"""Run ``python_file`` and ``python_wheel`` tasks in this process."""

from __future__ import annotations

import importlib
import re
import runpy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from brickyard.errors import TaskLaunchError


def run_python_file(python_file: Path, argv: tuple[str, ...]) -> None:
    """Run a script as ``__main__`` with ``sys.argv = [python_file, *argv]``."""
    if not python_file.is_file():
        raise TaskLaunchError(f"python_file {python_file}: the file does not exist")
    sys.argv = [str(python_file), *argv]
    # Like `python script.py`: the script's folder comes first on sys.path.
    sys.path.insert(0, str(python_file.parent))
    runpy.run_path(str(python_file), run_name="__main__")


def run_python_wheel(package_name: str, entry_point: str | None, argv: tuple[str, ...]) -> None:
    """Call a package's entry point with ``sys.argv = [package_name, *argv]``.

    A non-zero integer returned by the entry point fails the task, as it would through a
    console script wrapper (``sys.exit(main())``).
    """
    if not entry_point:
        raise TaskLaunchError(f"python_wheel package {package_name!r}: entry_point is missing")
    function = find_entry_point(package_name, entry_point)
    sys.argv = [package_name, *argv]
    returned = function()
    if isinstance(returned, int) and not isinstance(returned, bool) and returned != 0:
        raise SystemExit(returned)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def find_entry_point(package_name: str, entry_point: str) -> Callable[[], Any]:
    """The callable behind ``entry_point`` of the installed distribution ``package_name``.

    Looks in the distribution's entry points (any group, console_scripts first), else calls
    ``<package_name>.<entry_point>``; neither → :class:`TaskLaunchError` RESOURCE_NOT_FOUND.
    """
    # importlib.metadata pulls in email, zipfile and csv (~15 ms): only wheel tasks pay for it.
    from importlib.metadata import EntryPoint, distributions

    wanted_package, wanted_entry = _normalise(package_name), _normalise(entry_point)
    matches: list[EntryPoint] = []
    for distribution in distributions():
        name = distribution.metadata["Name"]
        if name and _normalise(name) == wanted_package:
            matches.extend(
                ep for ep in distribution.entry_points if _normalise(ep.name) == wanted_entry
            )
    if matches:
        matches.sort(key=lambda ep: ep.group != "console_scripts")
        loaded = matches[0].load()
        if callable(loaded):
            return loaded  # type: ignore[no-any-return]
    module_name = package_name.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is None or not (module_name + ".").startswith(exc.name + "."):
            raise
        module = None
    function = getattr(module, entry_point, None) if module is not None else None
    if not callable(function):
        raise TaskLaunchError(
            f"python_wheel: entry point {entry_point!r} not found in package {package_name!r} "
            "(neither in the installed distribution's entry points nor as "
            f"{module_name}.{entry_point})"
        )
    return function  # type: ignore[no-any-return]
