"""Each worker builds the API schema before its first request (``partnernet.wsgi.warm_up``), once."""

from __future__ import annotations

import gc
import importlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from partnernet import wsgi
from partnernet.api.urls import PartnernetAPI, api


def test_warm_up_builds_the_schema_the_openapi_view_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PartnernetAPI, "_schemas", {})
    wsgi.warm_up()
    assert list(PartnernetAPI._schemas) == [(None, ())]
    assert api.get_openapi_schema(path_params={}) is PartnernetAPI._schemas[(None, ())]


def test_loading_the_application_warms_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PartnernetAPI, "_schemas", {})
    loaded = importlib.reload(wsgi)  # what a gunicorn worker does first, in its own process
    assert callable(loaded.application)
    assert (None, ()) in PartnernetAPI._schemas


def test_threads_asking_together_build_the_schema_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PartnernetAPI, "_schemas", {})
    builds: list[int] = []
    build = PartnernetAPI._build_schema

    def counted(self: PartnernetAPI, *args: object) -> object:
        builds.append(1)
        return build(self, *args)

    monkeypatch.setattr(PartnernetAPI, "_build_schema", counted)
    with ThreadPoolExecutor(4) as pool:
        schemas = list(pool.map(lambda _: api.get_openapi_schema(path_params={}), range(4)))
    assert len(builds) == 1
    assert all(schema is schemas[0] for schema in schemas)


@pytest.mark.usefixtures("committed")
def test_a_worker_reads_the_network_ahead_and_its_first_analytics_view_reuses_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``serve`` hands gunicorn ``read_ahead`` for each worker; the read it starts is the one the first view
    of the analytics page gets, instead of a read of its own."""
    from partnernet.analytics import memo
    from partnernet.web.server import read_ahead, server_options
    from tests.factories import PartnershipFactory

    assert server_options(8000)["post_worker_init"] is read_ahead
    partnership = PartnershipFactory(key="read-ahead")
    gc.unfreeze()
    try:
        read_ahead(worker=None).join(timeout=30)
        assert gc.get_freeze_count() > 0, "what the worker holds once the network is read is frozen"
    finally:
        gc.unfreeze()  # this test process is no worker

    def read_again() -> None:
        raise AssertionError("the network was read again")

    monkeypatch.setattr(memo, "network_data", read_again)
    _, data = memo.current_network()
    assert partnership.lead.key in data.entities
