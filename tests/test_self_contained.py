"""The suite needs nothing outside the repository: ``.ci/run`` proves it by running the whole
suite in a fresh clone (a folder named brickyard, nothing beside it); this catches the usual way
in early, a test reading a folder next to the clone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = re.compile(
    r"/work/|shared/(examples|seeds)|\"shared\"\s*/\s*\"(examples|seeds)\"|parents\[[3-9]\]"
)


def test_no_test_reads_a_folder_outside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert offenders == []


def test_ci_runs_the_check_in_a_fresh_clone() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'git clone -q "$PWD" "$tmp/brickyard"' in ci
    assert ci.count("./scripts/check") >= 1 and ci.rstrip().endswith('./scripts/check "$@"')


def test_every_seed_is_described_in_the_seeds_readme() -> None:
    seeds = ROOT / "examples" / "seeds"
    readme = (seeds / "README.md").read_text(encoding="utf-8")
    names = sorted(path.name for path in seeds.glob("*.json"))
    assert len(names) == 5
    assert [name for name in names if f"`{name}`" not in readme] == []
