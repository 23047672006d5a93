"""Parsing SLA targets."""

import pytest

from kefu.sla.calendars import BilingualError
from kefu.sla.clock import Target, parse_target


@pytest.mark.parametrize(
    ("text", "target", "canonical"),
    [
        ("3m", Target(minutes=3), "3m"),
        ("90m", Target(minutes=90), "1h30m"),
        ("24h", Target(minutes=1440), "24h"),
        ("1h30m", Target(minutes=90), "1h30m"),
        (" 2H ", Target(minutes=120), "2h"),
        ("1d", Target(working_days=1), "1d"),
        ("5d", Target(working_days=5), "5d"),
    ],
)
def test_parse_target(text: str, target: Target, canonical: str) -> None:
    assert parse_target(text) == target
    assert str(target) == canonical


@pytest.mark.parametrize("text", ["", "0m", "0d", "1d2h", "m", "3x", "-3m", "1.5h", "3m2h"])
def test_bad_targets_are_refused(text: str) -> None:
    with pytest.raises(BilingualError) as error:
        parse_target(text)
    assert "3m, 24h" in error.value.en and "目标" in error.value.zh


@pytest.mark.parametrize(
    "fields", [{}, {"minutes": 5, "working_days": 1}, {"minutes": -3}, {"working_days": -1}]
)
def test_target_needs_exactly_one_positive_kind(fields: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="positive number"):
        Target(**fields)
