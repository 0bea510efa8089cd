from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from partnernet.web.server import DEFAULT_THREADS, port_number, serve, thread_count, worker_count


class Command(BaseCommand):
    help = (
        "Serve Partnernet with a production WSGI server (gunicorn) on 127.0.0.1, static files included. "
        "Needs nothing but PARTNERNET_DATA_DIR (a secret key is made there on first use). Plain HTTP; "
        "redirects to HTTPS only when PARTNERNET_BASE_URL starts with https://."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=port_number, default=8000, help="port on 127.0.0.1 (default 8000)")
        parser.add_argument("--workers", type=worker_count, default=2, help="worker processes (default 2)")
        parser.add_argument(
            "--threads",
            type=thread_count,
            default=DEFAULT_THREADS,
            help=f"threads per worker (default {DEFAULT_THREADS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        serve(options["port"], workers=options["workers"], threads=options["threads"])
