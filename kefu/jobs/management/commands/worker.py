import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kefu.jobs import worker
from kefu.jobs.sweepers import REGISTRY


class Command(BaseCommand):
    help = "Run background work: timers (SLA, outbound mail, mailbox polling) and queued tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", nargs="*", choices=sorted(REGISTRY), help="Sweepers to run")
        parser.add_argument("--once", action="store_true", help="Run each sweeper once and exit")
        parser.add_argument("--no-tasks", action="store_true", help="Do not run the task queue")

    def handle(
        self, *args: Any, only: list[str] | None, once: bool, no_tasks: bool, **o: Any
    ) -> None:
        if once:
            for name, handled in worker.run_once(only).items():
                self.stdout.write(f"{name}: {handled}")
            return
        stop, threads = worker.start(only, tasks=not no_tasks)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Kefu worker running: {', '.join(t.name for t in threads) or 'nothing'}")
        while not stop.wait(1):
            pass
        for thread in threads:
            thread.join(timeout=10)
