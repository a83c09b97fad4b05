"""``python -m brickyard.runtime SPEC``: run one task-run attempt (the exec path).

Unlike the fork server, nothing prepared this process: apply the spec's cwd, env and
sys_path first, then run the task.
"""

from __future__ import annotations

import json
import os
import site
import sys
from pathlib import Path

from brickyard.runtime.task_main import run_task


def prepend_sys_path(entries: list[str]) -> None:
    """Put library environments first on ``sys.path``, honouring their ``.pth`` files."""
    before = list(sys.path)
    for entry in entries:
        site.addsitedir(entry)
    added = [path for path in sys.path if path not in before]
    front = [entry for entry in entries if entry in added or entry in before]
    front += [path for path in added if path not in front]
    sys.path[:] = front + [path for path in before if path not in front]


def _prepare_process(spec_path: Path) -> None:
    try:
        raw = json.loads(spec_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # run_task reports the unreadable spec in the result file
    if not isinstance(raw, dict):
        return
    env = raw.get("env")
    if isinstance(env, dict):
        os.environ.update({str(k): str(v) for k, v in env.items()})
    sys_path = raw.get("sys_path")
    if isinstance(sys_path, list):
        prepend_sys_path([str(entry) for entry in sys_path])
    cwd = raw.get("cwd")
    if isinstance(cwd, str) and cwd:
        os.chdir(cwd)


def main(argv: list[str]) -> int:
    """Entry point; returns the process exit code."""
    if len(argv) != 2:
        print("usage: python -m brickyard.runtime SPEC", file=sys.stderr)
        return 2
    spec_path = Path(argv[1]).absolute()
    _prepare_process(spec_path)
    return run_task(spec_path)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
