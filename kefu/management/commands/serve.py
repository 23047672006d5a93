from typing import Any

import uvicorn
from django.core.management.base import BaseCommand, CommandParser


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

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        self.stdout.write(f"Kefu serving on http://{host}:{port}/")
        uvicorn.run(
            "kefu.asgi:application",
            host=host,
            port=port,
            workers=workers,
            lifespan="off",
            access_log=False,
            log_level="info",
        )
