"""A value read on nearly every request and edited rarely (SLA policies, escalation paths), kept
per process for a few seconds.

A save or delete of any model in ``forget_on`` (the admin data the value is read from) drops it
at once in this process; other processes see an edit within ``ttl`` seconds. Under tests
(``settings.TESTING``) every read loads afresh, so no test depends on what an earlier one cached.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")


class ProcessCache(Generic[T]):
    def __init__(
        self,
        load: Callable[[], list[T]],
        ttl: float = 5.0,
        *,
        forget_on: Iterable[type[Model]] = (),
    ) -> None:
        self.load, self.ttl = load, ttl
        self.value: list[T] | None = None
        self.loaded = 0.0
        for model in forget_on:
            for signal in (post_save, post_delete):
                uid = f"process-cache:{load.__module__}.{load.__qualname__}:{model.__name__}"
                signal.connect(self.forget, sender=model, dispatch_uid=uid)

    def get(self) -> list[T]:
        """A copy of the list (callers may filter it); the items themselves are shared."""
        now = time.monotonic()
        if settings.TESTING or self.value is None or now - self.loaded > self.ttl:
            self.value, self.loaded = self.load(), now
        return list(self.value)

    def forget(self, **kwargs: Any) -> None:
        self.value = None
