"""``base.versions``: the version moves with every kind of write, and held figures are reused only at the
version they were made at."""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import translation

from partnernet.base import deletions, versions
from partnernet.base.versions import forget, kept, reuse, version_of
from partnernet.directory.models import Entity
from partnernet.partnerships.models import Partnership
from tests.factories import EntityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

TABLES = ((Entity, "updated_at"), (Partnership.supporters.through, None))


def test_inserts_updates_deletes_and_links_each_move_the_version() -> None:
    entity = EntityFactory()
    partnership = PartnershipFactory()
    seen = [version_of(TABLES)]
    EntityFactory()
    seen.append(version_of(TABLES))
    entity.name = "Another name"
    entity.save()
    seen.append(version_of(TABLES))
    partnership.supporters.add(entity)
    seen.append(version_of(TABLES))
    partnership.supporters.remove(entity)
    seen.append(version_of(TABLES))
    partnership.supporters.add(entity)  # the same link again is a new row
    seen.append(version_of(TABLES))
    EntityFactory(key="gone").delete()
    seen.append(version_of(TABLES))
    assert all(before != after for before, after in itertools.pairwise(seen[:-1]))
    if connection.vendor in ("sqlite", "postgresql"):
        assert seen[-1] != seen[-2], "a row made and deleted moves the version: its table's delete mark"
    else:
        assert seen[-1] == seen[-2], "counted: a row made and deleted leaves the count as it was"
    assert version_of(TABLES) == seen[-1], "reading changes nothing"


def test_reuse_makes_once_per_version() -> None:
    forget()
    made: list[int] = []

    def make() -> list[int]:
        made.append(1)
        return [len(made)]

    first = reuse("slot", ("v", 1), make)
    assert reuse("slot", ("v", 1), make) is first
    assert reuse("slot", ("v", 2), make) == [2]
    assert reuse("other", ("v", 2), make) == [3]
    assert len(made) == 3


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A monotonic clock the test moves by hand (``clock[0] += seconds``), with nothing held yet."""
    forget()
    now = [1000.0]
    monkeypatch.setattr("partnernet.base.versions.time.monotonic", lambda: now[0])
    return now


def test_held_figures_are_made_afresh_in_the_background_after_max_age(clock: list[float]) -> None:
    first = reuse("aged", "v", lambda: ["first"])
    clock[0] += 59
    assert reuse("aged", "v", lambda: ["second"]) is first
    clock[0] += 2
    assert reuse("aged", "v", lambda: ["third"]) is first, "aged figures are answered at once"
    versions.settle()
    assert reuse("aged", "v", lambda: ["fourth"]) == ["third"], "then the renewed ones"


def test_threads_that_need_a_new_version_wait_for_one_maker() -> None:
    forget()
    made: list[int] = []
    start = threading.Barrier(6)

    def make() -> list[int]:
        made.append(1)
        time.sleep(0.2)  # long enough that every other thread arrives while this one makes
        return [len(made)]

    def ask() -> list[int]:
        start.wait()
        return reuse("shared", ("v", 1), make)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: ask(), range(6)))
    assert len(made) == 1
    assert all(answer is answers[0] for answer in answers)


def test_aged_figures_are_served_while_one_background_thread_renews_them(clock: list[float]) -> None:
    """Requests never wait for a renewal, however many find the figures aged, and one thread renews them,
    in the language of the request that found them aged."""
    first = reuse("renewing", "v", lambda: ["first"])
    clock[0] += 61
    release, made = threading.Event(), []

    def slow_make() -> list[str]:
        made.append(translation.get_language())
        release.wait(10)
        return ["renewed"]

    with translation.override("de"):
        answers = [reuse("renewing", "v", slow_make) for _ in range(5)]
    assert all(answer is first for answer in answers)
    release.set()
    versions.settle()
    assert made == ["de"], "one renewal, in the reader's language"
    assert reuse("renewing", "v", lambda: ["not again"]) == ["renewed"]
    assert reuse("renewing", "v2", lambda: ["next version"]) == ["next version"]


def test_a_failed_renewal_keeps_the_held_figures(clock: list[float]) -> None:
    first = reuse("failing", "v", lambda: ["first"])
    clock[0] += 61

    def broken() -> list[str]:
        raise RuntimeError("the database went away")

    assert reuse("failing", "v", broken) is first
    versions.settle()
    assert reuse("failing", "v", lambda: ["second"]) is first, "still aged: renewed again in the background"
    versions.settle()
    assert reuse("failing", "v", lambda: ["third"]) == ["second"]


def test_a_maker_that_reads_its_own_slot_does_not_deadlock() -> None:
    forget()
    answers: list[str] = []

    def outer() -> str:
        return reuse("nested", "v", lambda: "inner") + " then outer"

    worker = threading.Thread(target=lambda: answers.append(reuse("nested", "v", outer)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert answers == ["inner then outer"]


def test_a_delete_by_raw_sql_moves_the_version_and_no_row_is_counted() -> None:
    """The delete mark is kept by the database: a delete no signal sees still moves the version, and
    reading the version counts no table (``base.deletions``)."""
    EntityFactory(key="raw-gone")
    before = version_of(TABLES)
    with connection.cursor() as cursor:
        key = connection.ops.quote_name("key")
        cursor.execute(f"DELETE FROM directory_entity WHERE {key} = %s", ["raw-gone"])  # noqa: S608
    assert version_of(TABLES) != before
    if connection.vendor in ("sqlite", "postgresql"):
        assert set(deletions.tables()) <= deletions.marked_tables(connection), "migrate marks every table"


def test_every_growing_table_a_version_reads_has_its_stamp_indexed() -> None:
    """A version reads each table's latest stamp; without an index that is a scan of the table on every page
    view (9 ms of the registry's 22 at a million partnerships, for 60,000 partners). The taxonomy, the
    regions and the daily snapshots stay small."""
    from partnernet.analytics.memo import READS
    from partnernet.framework.coverage import COVERAGE_READS
    from partnernet.partnerships.selectors import REGISTRY_READS

    small = {"partnershiptype", "theme", "region", "snapshot"}
    for model, stamp in {*READS, *COVERAGE_READS, *REGISTRY_READS}:
        if stamp is None or model._meta.model_name in small:
            continue
        leading = {index.fields[0] for index in model._meta.indexes}
        assert stamp in leading, f"{model.__name__}.{stamp} has no index of its own"


def test_kept_makes_a_value_once_per_key_and_keeps_none_too() -> None:
    """``kept`` answers from the instance's cache while the parts (a version among them) stay the same."""
    made: list[str] = []

    def make(value: int | None) -> int | None:
        made.append("made")
        return value

    assert kept("pn-test", ["a", 1], lambda: make(None), 60) is None
    assert kept("pn-test", ["a", 1], lambda: make(7), 60) is None, "None was kept, not made again"
    assert kept("pn-test", ["a", 2], lambda: make(7), 60) == 7
    assert kept("pn-test", ["a", 2], lambda: make(8), 60) == 7
    assert made == ["made", "made"]
