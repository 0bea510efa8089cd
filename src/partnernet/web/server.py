"""Running the WSGI application under gunicorn, the production server behind ``serve`` and ``demo``."""

from __future__ import annotations

import gc
import logging
import threading
from argparse import ArgumentTypeError
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.db import connections
from gunicorn.app.base import BaseApplication


def port_number(value: str) -> int:
    """An argument type for ``--port``: a TCP port, 1 to 65535 (a mistake is exit 2 with the usage)."""
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ArgumentTypeError(f"'{value}' is not a port number (1 to 65535)")
    return int(value)


def _count_of(what: str) -> Callable[[str], int]:
    """An argparse type for a count of ``what`` from 1 to 64, refused with one line naming it."""

    def parse(value: str) -> int:
        if not value.isdigit() or not 1 <= int(value) <= 64:
            raise ArgumentTypeError(f"'{value}' is not a number of {what} (1 to 64)")
        return int(value)

    return parse


logger = logging.getLogger("partnernet.server")

worker_count = _count_of("workers")
thread_count = _count_of("threads")


class PartnernetServer(BaseApplication):
    """Gunicorn configured in code: no config file to ship, same settings everywhere."""

    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from partnernet.wsgi import application

        return application


DEFAULT_THREADS = 4


def read_ahead(worker: Any = None) -> threading.Thread:
    """Read the analytics' network in the background as soon as a worker has loaded the application.

    Each worker keeps its own copy (``base.versions``), and at a million partnerships reading it takes
    seconds. Without this, the first view of the analytics page in each worker waited for that read, and
    under load every thread of the worker queued behind it (p99 2 s). A request arriving meanwhile waits for
    this read rather than starting a second one. ``worker`` is gunicorn's (its ``post_worker_init`` hook).

    Once read, everything the worker holds is moved out of the garbage collector's sight (``gc.freeze``):
    at a million partnerships a full collection walked 215,000 objects in about 120 ms, about once per worker
    every ten seconds under load, and stopped all of the worker's threads meanwhile. What was frozen is
    still freed when nothing refers to it (the network, replaced after a write, holds no cycles); only a
    cycle among the objects of that moment would stay until the worker ends.
    """
    from partnernet.analytics.memo import current_network

    def read() -> None:
        try:
            current_network()
            gc.freeze()
        except Exception:  # a failed read only means the first request reads it; say why
            logger.exception("reading the network ahead failed")
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=read, name="partnernet-read-ahead", daemon=True)
    thread.start()
    return thread


def server_options(port: int, workers: int = 2, threads: int = DEFAULT_THREADS) -> dict[str, Any]:
    """Gunicorn's settings for ``serve``: gthread workers on 127.0.0.1, logs to standard output."""
    return {
        "bind": f"127.0.0.1:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": "-",
        "errorlog": "-",
        "timeout": 60,
        "graceful_timeout": 10,
        "control_socket_disable": True,
        "post_worker_init": read_ahead,
    }


def serve(port: int, workers: int = 2, threads: int = DEFAULT_THREADS) -> None:
    """Collect static files into the data folder (WhiteNoise serves them), then serve on 127.0.0.1."""
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()
    PartnernetServer(server_options(port, workers, threads)).run()
