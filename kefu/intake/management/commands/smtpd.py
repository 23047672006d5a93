import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kefu.intake.email.smtpd import start_listener
from kefu.intake.models import Mailbox

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Command(BaseCommand):
    help = "Receive mail for the support mailboxes over SMTP (the built-in listener)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on")
        parser.add_argument("--port", type=int, default=2525, help="Port to listen on")

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        addresses = list(Mailbox.objects.order_by("code").values_list("address", flat=True))
        if not addresses:
            self.stderr.write("No mailboxes are configured; every recipient will be refused.")
        controller = start_listener(host, port)
        stop = threading.Event()
        previous = {s: signal.signal(s, lambda *_: stop.set()) for s in STOP_SIGNALS}
        self.stdout.write(f"Kefu smtpd on {host}:{port} for {', '.join(addresses) or 'nobody'}")
        try:
            while not stop.wait(1):
                pass
        finally:
            controller.stop()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
