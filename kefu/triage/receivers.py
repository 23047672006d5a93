"""How triage follows its own admin data: an edited rule or requirement clears the cache."""

from __future__ import annotations

from typing import Any

from kefu.triage import store


def on_triage_data_changed(sender: Any, **kwargs: Any) -> None:
    store.invalidate()
