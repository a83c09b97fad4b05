"""Generate the Complex ETL example's source files (deterministic: same seed, same bytes).

Three sources, each with the small defects real extracts have, which the ingestion notebooks
clean up:

- ``crm_customers.csv``  — CRM export: a few duplicated customers, e-mails in mixed case with
  stray spaces, some rows without a region.
- ``erp_orders.csv``     — ERP order lines: some cancelled orders, some lines without a
  quantity, a few duplicated lines, a few orders of unknown customers.
- ``web_events.csv``     — web analytics: page views, add-to-cart and checkout events, some of
  anonymous visitors (no customer id), a few events with an unparseable timestamp.

Run from anywhere: ``python examples/complex-etl/data/generate.py``. Standard library only.
"""

from __future__ import annotations

import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 20261121
DATA_DIR = Path(__file__).resolve().parent
FIRST_DAY = date(2026, 11, 1)
DAYS = 14
CUSTOMERS = 400
ORDERS = 2_500
WEB_EVENTS = 3_500

REGIONS = ["North", "South", "East", "West", "Central"]
COUNTRIES = {"North": "NO", "South": "ES", "East": "PL", "West": "FR", "Central": "DE"}
FIRST_NAMES = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Ken",
    "Barbara",
    "Dennis",
    "Frances",
    "John",
    "Radia",
    "Tim",
    "Hedy",
    "Edsger",
    "Karen",
    "Donald",
    "Sophie",
    "Niklaus",
]
LAST_NAMES = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Thompson",
    "Liskov",
    "Ritchie",
    "Allen",
    "Backus",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "Dijkstra",
    "Jones",
    "Knuth",
    "Wilson",
    "Wirth",
]
PRODUCTS = [
    ("SKU-100", "Brick (red, 2x4)", 0.45),
    ("SKU-101", "Brick (grey, 2x2)", 0.30),
    ("SKU-200", "Mortar bag 25 kg", 8.90),
    ("SKU-300", "Trowel", 12.50),
    ("SKU-301", "Spirit level 60 cm", 24.00),
    ("SKU-400", "Wheelbarrow", 89.00),
    ("SKU-500", "Safety gloves", 6.75),
    ("SKU-501", "Hard hat", 15.20),
]
PAGES = ["/", "/catalog", "/catalog/bricks", "/catalog/tools", "/product", "/cart", "/checkout"]
DEVICES = ["desktop", "mobile", "tablet"]


def write_csv(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (DATA_DIR / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def customers(rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    for number in range(1, CUSTOMERS + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        region = rng.choice(REGIONS)
        email = f"{first}.{last}.{number}@example.com".lower()
        if rng.random() < 0.15:
            email = f"  {email.upper()} "
        signup = FIRST_DAY - timedelta(days=rng.randint(1, 900))
        rows.append(
            [
                f"C{number:05d}",
                f"{first} {last}",
                email,
                "" if rng.random() < 0.04 else region,
                COUNTRIES[region],
                signup.isoformat(),
            ]
        )
    # CRM exports repeat a customer when the record was touched twice.
    rows.extend(list(row) for row in rng.sample(rows, 12))
    rng.shuffle(rows)
    return rows


def orders(rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    for number in range(1, ORDERS + 1):
        customer = rng.randint(1, CUSTOMERS + 5)  # a few ids the CRM does not know
        sku, name, price = rng.choice(PRODUCTS)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        quantity: object = rng.choice([1, 1, 2, 3, 5, 10, 20, 50, 100, 250])
        if rng.random() < 0.02:
            quantity = ""
        status = "CANCELLED" if rng.random() < 0.06 else rng.choice(["SHIPPED", "DELIVERED"])
        rows.append(
            [
                f"O{number:06d}",
                f"C{customer:05d}",
                day.isoformat(),
                sku,
                name,
                quantity,
                f"{price:.2f}",
                "EUR",
                status,
            ]
        )
    rows.extend(list(row) for row in rng.sample(rows, 15))
    return rows


def web_events(rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    session = 0
    while len(rows) < WEB_EVENTS:
        session += 1
        known = rng.random() < 0.7
        customer = f"C{rng.randint(1, CUSTOMERS):05d}" if known else ""
        start = datetime.combine(
            FIRST_DAY + timedelta(days=rng.randrange(DAYS)), datetime.min.time()
        )
        start += timedelta(seconds=rng.randrange(24 * 3600))
        device = rng.choice(DEVICES)
        for step in range(rng.randint(1, 8)):
            at = start + timedelta(seconds=step * rng.randint(5, 120))
            page = rng.choice(PAGES)
            kind = {"/cart": "add_to_cart", "/checkout": "checkout"}.get(page, "page_view")
            stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            if rng.random() < 0.005:
                stamp = "not-a-timestamp"
            rows.append(
                [f"E{len(rows) + 1:07d}", f"S{session:06d}", customer, stamp, kind, page, device]
            )
    return rows[:WEB_EVENTS]


def main() -> None:
    rng = random.Random(SEED)
    write_csv(
        "crm_customers.csv",
        ["customer_id", "name", "email", "region", "country", "signup_date"],
        customers(rng),
    )
    write_csv(
        "erp_orders.csv",
        [
            "order_id",
            "customer_id",
            "order_date",
            "product_sku",
            "product_name",
            "quantity",
            "unit_price",
            "currency",
            "status",
        ],
        orders(rng),
    )
    write_csv(
        "web_events.csv",
        ["event_id", "session_id", "customer_id", "event_time", "event_type", "page", "device"],
        web_events(rng),
    )
    print(f"wrote crm_customers.csv, erp_orders.csv, web_events.csv to {DATA_DIR}")


if __name__ == "__main__":
    main()
