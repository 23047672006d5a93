"""Triage settings, read from Django settings with the defaults the measurements support.

``KEFU_TRIAGE_CONFIDENCE`` (default 0.6): below this calibrated confidence a ticket goes to the
"needs triage" queue with the model's guess shown. On the held-out examples 0.6 is where the
calibration table's accuracy stays above 90 % (see ``test_classifier_calibration``).
``KEFU_TRIAGE_DUPLICATE_WINDOW`` (seconds, default 600): a near-identical message from the same
sender within this window joins the open ticket; it is also the window floods are counted in.
``KEFU_TRIAGE_MODEL`` (default ``DATA_DIR/triage-model.npz``): the retrained model; the shipped
one serves until ``kefu triage train`` writes it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings


def confidence_threshold() -> float:
    return float(settings.KEFU_TRIAGE_CONFIDENCE)


def duplicate_window() -> timedelta:
    return timedelta(seconds=float(settings.KEFU_TRIAGE_DUPLICATE_WINDOW))


def model_path() -> Path:
    return Path(settings.KEFU_TRIAGE_MODEL)
