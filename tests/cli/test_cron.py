"""``brickyard cron next|explain``: fire times one per line, an English sentence, and bad input
as one line on stderr with exit 2."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from brickyard.cli.main import app


def _cli(*args: str) -> Result:
    return CliRunner().invoke(app, ["cron", *args])


def test_next_prints_fire_times_with_their_offsets() -> None:
    result = _cli(
        "next", "0 30 2 * * ?", "--timezone", "Europe/Paris", "--after", "2026-03-27T12:00:00"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "2026-03-28T02:30:00+01:00",
        "2026-03-30T02:30:00+02:00",  # 02:30 does not exist on the 29th
        "2026-03-31T02:30:00+02:00",
        "2026-04-01T02:30:00+02:00",
        "2026-04-02T02:30:00+02:00",
    ]
    assert result.stderr == ""


def test_next_reads_an_offset_after_and_prints_in_the_timezone() -> None:
    result = _cli(
        "next",
        "0 0 3 * * ?",
        "--timezone",
        "Europe/Paris",
        "--after",
        "2026-03-29T00:30:00Z",
        "--count",
        "2",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["2026-03-29T03:00:00+02:00", "2026-03-30T03:00:00+02:00"]


def test_next_defaults_to_now_in_utc() -> None:
    before = dt.datetime.now(dt.UTC)
    result = _cli("next", "* * * * * ?", "--count", "3")
    assert result.exit_code == 0, result.output
    fires = [dt.datetime.fromisoformat(line) for line in result.stdout.splitlines()]
    assert len(fires) == 3
    assert all(fire.utcoffset() == dt.timedelta(0) for fire in fires)
    assert before < fires[0] < fires[1] < fires[2] <= before + dt.timedelta(seconds=10)


def test_next_prints_fewer_and_says_so_when_the_years_run_out() -> None:
    result = _cli("next", "0 15 10 * * ? 2005", "--after", "2005-12-29T00:00:00", "--count", "5")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "2005-12-29T10:15:00+00:00",
        "2005-12-30T10:15:00+00:00",
        "2005-12-31T10:15:00+00:00",
    ]
    assert "never fires after 2005-12-31T10:15:00+00:00 (3 of 5 fire times)" in result.stderr


def test_explain_says_what_it_does_and_when() -> None:
    result = _cli("explain", "0 */4 * * * ?", "--after", "2026-01-01T10:02:00")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Every 4 minutes",
        "Next fire times (UTC):",
        "  2026-01-01T10:04:00+00:00",
        "  2026-01-01T10:08:00+00:00",
        "  2026-01-01T10:12:00+00:00",
    ]


def test_explain_an_expression_that_no_longer_fires() -> None:
    result = _cli("explain", "0 0 0 1 1 ? 2020", "--after", "2026-01-01T00:00:00")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "At 00:00:00, on January 1, in 2020",
        "It never fires after 2026-01-01T00:00:00+00:00.",
    ]


def test_bad_input_is_one_line_on_stderr_and_exit_2() -> None:
    cases = {
        ("next", "0 2 * * *"): "brickyard: expected 6 or 7 fields",
        ("explain", "0 0 0 * * MON"): "use '0 0 0 ? * MON'",
        ("next", "0 0 0 ? * 8"): "brickyard: day-of-week: '8' is not in 1-7 or SUN-SAT",
        ("next", "0 0 2 * * ?", "--timezone", "Mars/Base"): "'Mars/Base' is not a known time zone",
        ("next", "0 0 2 * * ?", "--count", "0"): "brickyard: --count 0: expected 1-1000",
        ("next", "0 0 2 * * ?", "--count", "1001"): "expected 1-1000",
        ("next", "0 0 2 * * ?", "--after", "yesterday"): "--after 'yesterday': expected an ISO",
    }
    for args, message in cases.items():
        result = _cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("brickyard: "), lines
        assert message in lines[0]


def test_the_installed_command() -> None:
    command = Path(sys.executable).parent / "brickyard"
    completed = subprocess.run(
        [
            str(command),
            "cron",
            "next",
            "0 0 12 ? * MON-FRI",
            "--after",
            "2026-01-02T13:00:00",
            "--count",
            "2",
            "--timezone",
            "America/New_York",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        "2026-01-05T12:00:00-05:00",
        "2026-01-06T12:00:00-05:00",
    ]
