"""Confidence means what it says: on unseen examples, stated confidence tracks accuracy."""

import pytest

from kefu.triage.classifier import load_default
from kefu.triage.training import evaluate, project_examples


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_heldout_calibration_error_is_small(lang):
    report = evaluate(load_default(), [e for e in project_examples("heldout") if e.lang == lang])
    assert report.expected_calibration_error <= 0.08, report.as_table()
    confident = [b for b in report.calibration if b.low >= 0.9]
    assert confident and confident[0].accuracy >= 0.9  # "≥ 90 % sure" is right ≥ 90 % of the time


def test_low_confidence_flags_the_uncertain_messages():
    """Below 0.5 confidence the model is wrong far more often than above it."""
    model = load_default()
    rows = project_examples("heldout")
    predictions = model.predict_many([e.text for e in rows])
    pairs = list(zip(predictions, rows, strict=True))
    low = [p.category == e.category for p, e in pairs if p.confidence < 0.5]
    high = [p.category == e.category for p, e in pairs if p.confidence >= 0.5]
    assert low and high
    assert sum(low) / len(low) < sum(high) / len(high) - 0.3
