"""explain_cron: one English sentence that says what Quartz does."""

from __future__ import annotations

import pytest

from brickyard.cron import explain_cron, parse_cron


@pytest.mark.parametrize(
    ("expression", "sentence"),
    [
        ("0 */4 * * * ?", "Every 4 minutes"),  # minutes, not hours: seconds come first
        ("0 0 2 * * ?", "At 02:00:00 every day"),
        ("0 15 10 ? * MON-FRI", "At 10:15:00, Monday through Friday"),
        ("0 0/5 14,18 * * ?", "Every 5 minutes from minute 0, during hours 14 and 18"),
        ("* * * * * ?", "Every second"),
        ("0 * * * * ?", "Every minute"),
        ("0/20 * * * * ?", "Every 20 seconds from second 0"),
        ("30 * * * * ?", "At second 30 of every minute"),
        ("0 30 * * * ?", "At minute 30 of every hour"),
        ("15 30 * * * ?", "At minute 30 and second 15 of every hour"),
        ("0 * 14 * * ?", "Every minute, during hour 14"),
        ("0 0-5 14 * * ?", "Every minute from minute 0 through 5, during hour 14"),
        ("0 0 */2 * * ?", "At minute 0, every 2 hours"),
        ("0 30 8-17 ? * MON-FRI", "At minute 30, during hours 8 through 17, Monday through Friday"),
        ("5 0 0 * * ?", "At 00:00:05 every day"),
        ("0 10,44 14 ? 3 WED", "At 14:10:00 and 14:44:00, on Wednesday, in March"),
        ("0 15 10 15 * ?", "At 10:15:00, on day 15 of the month"),
        ("0 0 0 1,15 * ?", "At 00:00:00, on days 1 and 15 of the month"),
        ("0 0 12 1/5 * ?", "At 12:00:00, every 5 days from day 1 of the month"),
        ("0 15 10 L * ?", "At 10:15:00, on the last day of the month"),
        ("0 15 10 L-2 * ?", "At 10:15:00, 2 days before the last day of the month"),
        ("0 0 18 LW * ?", "At 18:00:00, on the last weekday of the month"),
        (
            "0 0 18 L-3W * ?",
            "At 18:00:00, on the weekday nearest 3 days before the last day of the month",
        ),
        ("0 0 9 15W * ?", "At 09:00:00, on the weekday nearest day 15 of the month"),
        ("0 15 10 ? * 6L", "At 10:15:00, on the last Friday of the month"),
        (
            "0 15 10 ? * 6L 2002-2005",
            "At 10:15:00, on the last Friday of the month, in 2002 through 2005",
        ),
        ("0 15 10 ? * 6#3", "At 10:15:00, on the third Friday of the month"),
        ("0 0 9 ? * L", "At 09:00:00, on Saturday"),  # 'L' alone is day 7
        ("0 0 12 ? * SAT,SUN", "At 12:00:00, on Saturday and Sunday"),
        ("0 0 12 ? * FRI-MON", "At 12:00:00, Friday through Monday"),
        ("0 11 11 11 11 ?", "At 11:11:00, on November 11"),
        ("0 0 0 1 NOV-FEB ?", "At 00:00:00, on day 1 of the month, in November through February"),
        ("0 0 12 * 3 ?", "At 12:00:00 every day, in March"),
        ("0 */4 * * 3 ?", "Every 4 minutes, in March"),
        ("0 15 10 * * ? 2005", "At 10:15:00 every day, in 2005"),
        ("0 0 0 1 1 ? 2028/3", "At 00:00:00, on January 1, every 3 years from 2028"),
        ("0 0 0 ? * *", "At 00:00:00 every day"),
        ("0 0 0 * * ? *", "At 00:00:00 every day"),
    ],
)
def test_sentences(expression: str, sentence: str) -> None:
    assert explain_cron(parse_cron(expression)) == sentence
