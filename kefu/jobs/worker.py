"""``kefu worker``: one thread per registered sweeper, plus the Django Tasks queue.

Each sweeper thread sleeps until its next due instant (bounded by ``max_sleep``, because other
processes add due rows), runs, and repeats. A failing sweep is logged and retried on the next
turn; it never stops the worker.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from kefu.jobs.sweepers import REGISTRY, Sweeper

log = logging.getLogger("kefu.worker")
MIN_SLEEP = 0.01


def run_sweeper_once(sweeper: Sweeper) -> int | None:
    """Rows handled, or None when the sweep failed."""
    try:
        return sweeper.run(timezone.now())
    except Exception:
        log.exception("sweeper %s failed; retrying next turn", sweeper.name)
        return None
    finally:
        close_old_connections()


def seconds_until_next(sweeper: Sweeper) -> float:
    try:
        due = sweeper.next_due()
    except Exception:
        log.exception("sweeper %s could not find its next due instant", sweeper.name)
        return sweeper.max_sleep
    if due is None:
        return sweeper.max_sleep
    return min(sweeper.max_sleep, max(0.0, (due - timezone.now()).total_seconds()))


def _sleep(sweeper: Sweeper, stop: threading.Event, seconds: float) -> None:
    if sweeper.wake is None:
        stop.wait(seconds)
    else:
        sweeper.wake.wait(seconds)  # ``start`` sets it too when told to stop
        sweeper.wake.clear()


def _sweep_forever(sweeper: Sweeper, stop: threading.Event) -> None:
    while not stop.is_set():
        handled = run_sweeper_once(sweeper)
        if handled is None:
            # A row that keeps failing stays due: wait a full turn instead of spinning on it.
            _sleep(sweeper, stop, sweeper.max_sleep)
        elif not handled:
            _sleep(sweeper, stop, max(MIN_SLEEP, seconds_until_next(sweeper)))
        # after a productive sweep there may be more due already: go again at once
    connection.close()


def _stop_when(stop: threading.Event, worker: Any) -> None:
    stop.wait()
    worker.running = False  # the task worker finishes its current task, then returns


def _run_task_queue(stop: threading.Event) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=1.0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"kefu-{uuid.uuid4().hex[:8]}",
        excluded_queue_names=[],
    )

    def stop_when_told() -> None:
        stop.wait()
        worker.running = False

    threading.Thread(target=stop_when_told, daemon=True).start()
    worker.run()
    connection.close()


def start(
    names: Iterable[str] | None = None, *, tasks: bool = True
) -> tuple[threading.Event, list[threading.Thread]]:
    """Start the worker's threads; set the returned event to stop them."""
    stop = threading.Event()
    chosen = [REGISTRY[n] for n in names] if names else list(REGISTRY.values())
    threads = [
        threading.Thread(target=_sweep_forever, args=(s, stop), name=f"sweep-{s.name}", daemon=True)
        for s in chosen
    ]
    if tasks and settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        threads.append(
            threading.Thread(target=_run_task_queue, args=(stop,), name="tasks", daemon=True)
        )
    for thread in threads:
        thread.start()
    wakes = [s.wake for s in chosen if s.wake is not None]
    threading.Thread(target=_wake_on_stop, args=(stop, wakes), daemon=True).start()
    return stop, threads


def _wake_on_stop(stop: threading.Event, wakes: list[threading.Event]) -> None:
    stop.wait()
    for wake in wakes:
        wake.set()


def run_once(names: Iterable[str] | None = None) -> dict[str, int]:
    """Run each sweeper once, in this thread (tests, cron-style use)."""
    chosen = [REGISTRY[n] for n in names] if names else list(REGISTRY.values())
    return {s.name: run_sweeper_once(s) or 0 for s in chosen}
