"""Where the tests find the seed jobs: the project's own copies in ``examples/seeds``.

Never a folder outside the repository: the suite must pass on any fresh clone.
"""

from __future__ import annotations

from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
SEEDS_DIR = EXAMPLES_DIR / "seeds"
ADF_SEED = SEEDS_DIR / "seed-adf-pipeline.json"
# Named, not globbed: a missing seed fails the tests that use it instead of leaving an empty
# (silently skipped) parameter set; tests/spec checks that the folder holds exactly these.
JOB_SEEDS = tuple(
    SEEDS_DIR / name
    for name in (
        "seed-complex-etl-pipeline.json",
        "seed-data-pipeline-job.json",
        "seed-etl-pipeline-daily.json",
        "seed-notification-settings.json",
    )
)
