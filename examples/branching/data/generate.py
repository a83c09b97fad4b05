"""Generate ``sales.csv`` for the branching example (deterministic: same seed, same bytes).

250 sales over one week; three of them carry a negative amount (refunds booked as sales), which
is what the ``validate_strict`` task trips over on purpose. Standard library only:
``python examples/branching/data/generate.py``.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

SEED = 7
ROWS = 250
NEGATIVE_ROWS = {17, 123, 201}
REGIONS = ["North", "South", "East", "West"]
PRODUCTS = ["bricks", "mortar", "tools", "safety"]


def main() -> None:
    rng = random.Random(SEED)
    path = Path(__file__).resolve().parent / "sales.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["sale_id", "sale_date", "region", "product", "amount"])
        for number in range(1, ROWS + 1):
            amount = round(rng.uniform(5, 500), 2)
            if number in NEGATIVE_ROWS:
                amount = -amount
            day = date(2026, 11, 16) + timedelta(days=rng.randrange(7))
            writer.writerow(
                [
                    f"S{number:04d}",
                    day.isoformat(),
                    rng.choice(REGIONS),
                    rng.choice(PRODUCTS),
                    f"{amount:.2f}",
                ]
            )
    print(f"wrote {ROWS} sales to {path}")


if __name__ == "__main__":
    main()
