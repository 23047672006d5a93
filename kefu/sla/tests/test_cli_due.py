"""``kefu sla due`` prints the due instant alone on stdout, warnings on stderr."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]


def due(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("sla", "due", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("calendar", "start", "target", "expected"),
    [
        ("cn-standard", "2026-09-30T17:00:00+08:00", "1d", "2026-10-08T17:00:00+08:00"),
        ("cn-chat", "2026-10-03T11:00:00+08:00", "3m", "2026-10-03T11:03:00+08:00"),
        ("cn-standard", "2026-10-10T08:58:00+08:00", "3m", "2026-10-10T09:03:00+08:00"),
        ("cn-standard", "2026-09-18T15:00:00+08:00", "9h", "2026-09-20T15:00:00+08:00"),
    ],
)
def test_the_four_worked_examples(calendar, start, target, expected):
    out, err = due("--calendar", calendar, "--start", start, "--target", target)
    assert out == expected + "\n"
    assert err == ""  # 2026 is a year chinese_calendar knows


@pytest.mark.django_db
def test_output_uses_the_calendars_offset_and_naive_starts_are_local():
    out, _ = due(
        "--calendar", "us-standard", "--start", "2026-11-25T20:00:00+08:00", "--target", "1h"
    )
    assert out.strip() == "2026-11-25T10:00:00-05:00"  # 07:00 in New York: opens at 09:00
    out, _ = due("--calendar", "cn-standard", "--start", "2026-11-23T17:30", "--target", "1h")
    assert out.strip() == "2026-11-24T09:30:00+08:00"


@pytest.mark.django_db
def test_a_year_the_holiday_source_does_not_know_is_warned_about_on_stderr():
    out, err = due(
        "--calendar", "cn-standard", "--start", "2027-01-04T10:00:00+08:00", "--target", "1d"
    )
    assert out == "2027-01-05T10:00:00+08:00\n"
    assert "holidays for 2027 are not available" in err and "尚未收录 2027 年" in err


@pytest.mark.django_db
def test_bad_input_is_refused_in_both_languages():
    with pytest.raises(CommandError, match=r"(?s)does not exist.*不存在"):
        due("--calendar", "mars", "--start", "2026-11-23T10:00:00+08:00", "--target", "1d")
    with pytest.raises(CommandError, match=r"(?s)target '2x'.*目标"):
        due("--calendar", "always", "--start", "2026-11-23T10:00:00+08:00", "--target", "2x")
    with pytest.raises(CommandError, match="ISO 8601"):
        due("--calendar", "always", "--start", "tomorrow", "--target", "1d")


def test_the_kefu_console_script_prints_the_due_instant(tmp_path):
    # A separate process with its own fresh database (the seeded calendars come from migrations).
    env = {"KEFU_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    migrate = [sys.executable, "-m", "kefu.cli", "migrate", "-v0"]
    subprocess.run(migrate, env=env, cwd=ROOT, check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-m", "kefu.cli", "sla", "due", "--calendar", "cn-standard",
         "--start", "2026-09-30T17:00:00+08:00", "--target", "1d"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert done.stdout == "2026-10-08T17:00:00+08:00\n"
