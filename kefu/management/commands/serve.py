"""``kefu serve``: pages, API, WebSockets and static files over ASGI (uvicorn) — and, unless told
otherwise, the worker (timers, the delivery outbox, mailbox polling, tasks) in the same process,
so that one command runs the whole product. Deployments that run ``kefu worker`` processes of
their own pass ``--no-worker``; several workers are safe either way (every claim is a
conditional UPDATE)."""

import multiprocessing
import signal
import socket
import threading
from types import FrameType
from typing import Any

import uvicorn
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kefu.jobs import worker
from kefu.security import check_secret_key


def _listen(host: str, port: int, shared: bool) -> socket.socket:
    """A listening socket of this process's own. Shared with SO_REUSEPORT among workers, the
    kernel spreads new connections evenly over them; one socket inherited by all lets whichever
    worker wakes first take them, and a few keep-alive connections (a proxy's, a client pool's)
    can all land on one worker while the other idles. A single worker does not share, so a
    second server started on its port fails instead of splitting the traffic."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


# How long a stopping server waits for requests in flight before it cancels them.
GRACE_SECONDS = 30


def _run(host: str, port: int, shared: bool = True) -> None:
    config = uvicorn.Config(
        "kefu.asgi:application",
        lifespan="off",
        access_log=False,
        log_level="info",
        timeout_graceful_shutdown=GRACE_SECONDS,
    )
    uvicorn.Server(config).run(sockets=[_listen(host, port, shared)])


def _stopped(signum: int, frame: FrameType | None) -> None:
    """SIGTERM after uvicorn's graceful shutdown (uvicorn raises it again once it has finished
    the requests in flight): leave through ``handle``'s ``finally``, so the worker threads
    finish what they hold instead of dying with their leases."""
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Serve Kefu over HTTP and WebSocket (ASGI, uvicorn); static files included."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Processes. More than one needs KEFU_REDIS_URL so live chat spans them.",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run the background worker here (run `kefu worker` processes instead).",
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, no_worker: bool, **options: Any
    ) -> None:
        try:
            check_secret_key()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Kefu serving on http://{host}:{port}/")
        signal.signal(signal.SIGTERM, _stopped)
        stop, threads = (threading.Event(), []) if no_worker else worker.start()
        try:
            self._serve(host, port, workers)
        finally:
            stop.set()  # let the worker finish what it holds, then leave
            for thread in threads:
                thread.join(timeout=10)
            self.stdout.write("Kefu stopped", ending="\n")
            self.stdout.flush()

    def _serve(self, host: str, port: int, workers: int) -> None:
        if workers <= 1:
            try:
                _run(host, port, shared=False)
            except OSError as error:
                raise CommandError(f"cannot listen on {host}:{port}: {error.strerror}") from error
            return
        spawn = multiprocessing.get_context("spawn")
        children = [spawn.Process(target=_run, args=(host, port)) for _ in range(workers)]
        for child in children:
            child.start()

        def stop(signum: int, frame: FrameType | None) -> None:
            for child in children:
                child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        for child in children:
            child.join()
