"""The search index follows the database: creating, editing, publishing, taking offline,
hiding and deleting through the real services shows in search results at once, in this process
and in another one on the same database."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.services.initiatives import profiles as initiatives
from bot.services.initiatives import register as initiative_register
from bot.services.initiatives.fields import Field
from bot.services.initiatives.importer import import_initiatives, read_rows
from bot.services.search.index_sync import SearchIndexHolder
from storage.engine import SessionPool
from storage.models import SearchChange
from storage.repositories import Repo
from tests.factories import make_user
from tests.initiatives_support import add_initiative, add_person

DATA = Path(__file__).resolve().parent / "data" / "search_eval" / "initiatives.json"


async def _names(holder: SearchIndexHolder, repo: Repo, query: str) -> list[str]:
    index = await holder.fresh(repo)
    return [holder.documents[hit.id].name for hit in index.search(query).hits]


async def test_index_is_built_from_published_initiatives_only(repo: Repo, clock: FakeClock) -> None:
    await add_initiative(repo, clock.now(), name="Moestuin De Bongerd", keywords=["moestuin"])
    await add_initiative(
        repo, clock.now(), name="Moestuin in wording", status="draft", keywords=["moestuin"]
    )
    holder = SearchIndexHolder()
    assert await holder.load(repo) == 1
    assert await _names(holder, repo, "moestuinen") == ["Moestuin De Bongerd"]


async def test_edit_publish_offline_and_delete_show_at_once(repo: Repo, clock: FakeClock) -> None:
    anna = make_user()
    await add_person(repo, anna, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    holder = SearchIndexHolder()
    assert await _names(holder, repo, "repair cafe") == ["Repair Café Lombok"]

    clock.advance(timedelta(minutes=1))
    await initiatives.update_field(
        repo, ident, anna.id, Field.NAME, "Buurtmoestuin Lombok", now=clock.now()
    )
    assert await _names(holder, repo, "moestuin") == ["Buurtmoestuin Lombok"]
    assert await _names(holder, repo, "café") == []

    await initiatives.unpublish(repo, ident, anna.id, now=clock.now())
    assert await _names(holder, repo, "moestuin") == []
    await initiatives.publish(repo, ident, anna.id, now=clock.now())
    assert await _names(holder, repo, "moestuin") == ["Buurtmoestuin Lombok"]

    await initiatives.delete(repo, ident, anna.id, now=clock.now())
    assert await _names(holder, repo, "moestuin") == []
    assert ident not in holder.index and ident not in holder.documents


async def test_hiding_by_a_coordinator_takes_it_out_and_showing_brings_it_back(
    repo: Repo, clock: FakeClock
) -> None:
    ident = (await add_initiative(repo, clock.now())).id
    holder = SearchIndexHolder()
    assert await _names(holder, repo, "repareren") == ["Repair Café Lombok"]
    await initiatives.set_hidden(repo, ident, 1, hidden=True, now=clock.now())
    assert await _names(holder, repo, "repareren") == []
    await initiatives.set_hidden(repo, ident, 1, hidden=False, now=clock.now())
    assert await _names(holder, repo, "repareren") == ["Repair Café Lombok"]


async def test_a_registration_is_found_only_once_published(repo: Repo, clock: FakeClock) -> None:
    anna = make_user()
    await add_person(repo, anna, clock.now())
    holder = SearchIndexHolder()
    await holder.load(repo)
    await initiative_register.start(repo, anna.id, now=clock.now())
    answers = [
        (Field.NAME, "Taalcafé Overvecht"),
        (Field.DESCRIPTION, "Elke week samen Nederlands oefenen met koffie."),
    ]
    for field, value in answers:
        await initiative_register.answer(repo, anna.id, field, value, now=clock.now())
    await initiative_register.toggle_theme(repo, anna.id, "taal", now=clock.now())
    await initiative_register.answer(repo, anna.id, Field.THEMES, ["taal"], now=clock.now())
    await initiative_register.answer(repo, anna.id, Field.MUNICIPALITY, "Utrecht", now=clock.now())
    version = await repo.search.version()
    await repo.session.commit()
    assert await _names(holder, repo, "taal cafe") == []
    assert version == holder.version  # drafts never move the search version

    await initiative_register.publish_draft(repo, anna.id, now=clock.now())
    assert await _names(holder, repo, "taal cafe") == ["Taalcafé Overvecht"]


async def test_a_second_process_sees_every_change(
    session_pool: SessionPool, repo: Repo, clock: FakeClock
) -> None:
    anna = make_user()
    await add_person(repo, anna, clock.now())
    first, second = SearchIndexHolder(), SearchIndexHolder()
    async with session_pool() as other:
        other_repo = Repo(other)
        assert await _names(second, other_repo, "repareren") == []
        ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
        assert await _names(first, repo, "repareren") == ["Repair Café Lombok"]
        assert await _names(second, other_repo, "repareren") == ["Repair Café Lombok"]

        await initiatives.update_field(
            repo, ident, anna.id, Field.KEYWORDS, ["fietsen maken"], now=clock.now()
        )
        assert await _names(second, other_repo, "fietsenmaker") == ["Repair Café Lombok"]
        await initiatives.set_hidden(repo, ident, 1, hidden=True, now=clock.now())
        assert await _names(second, other_repo, "fietsenmaker") == []
        assert await _names(first, repo, "fietsenmaker") == []


async def test_the_version_is_asked_after_a_change_here_and_otherwise_every_few_seconds(
    repo: Repo, clock: FakeClock, engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search asks the database nothing while this process changed nothing and the version
    was asked a moment ago; a change made here shows at once, one made by another process
    within `RECHECK_SECONDS`."""
    from sqlalchemy import event

    from bot.services.search import index_sync

    anna = make_user()
    await add_person(repo, anna, clock.now())
    ident = (await add_initiative(repo, clock.now(), owners=(anna.id,))).id
    seconds = [0.0]
    holder = SearchIndexHolder(monotonic=lambda: seconds[0])
    assert await _names(holder, repo, "repareren") == ["Repair Café Lombok"]

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        seconds[0] += 1.0
        assert await _names(holder, repo, "repareren") == ["Repair Café Lombok"]
        assert statements == []
        # Changed here: seen at once.
        await initiatives.update_field(
            repo, ident, anna.id, Field.KEYWORDS, ["fietsen maken"], now=clock.now()
        )
        assert await _names(holder, repo, "fietsenmaker") == ["Repair Café Lombok"]
        # Changed by another process: this one's count of changes does not move.
        frozen = index_sync.changes_committed_here()
        monkeypatch.setattr(index_sync, "changes_committed_here", lambda: frozen)
        await initiatives.update_field(
            repo, ident, anna.id, Field.NAME, "Fietsenmakerij Lombok", now=clock.now()
        )
        seconds[0] += 1.0
        statements.clear()
        assert await _names(holder, repo, "fietsenmaker") == ["Repair Café Lombok"]
        assert statements == []
        seconds[0] += index_sync.RECHECK_SECONDS
        assert await _names(holder, repo, "fietsenmaker") == ["Fietsenmakerij Lombok"]
        assert statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def test_a_rolled_back_change_leaves_the_version_alone(repo: Repo, clock: FakeClock) -> None:
    ident = (await add_initiative(repo, clock.now())).id
    before = await repo.search.version()
    with pytest.raises(RuntimeError):
        async with repo.write():
            stored = await repo.initiatives.get(ident)
            assert stored is not None
            stored.name = "Iets anders"
            await repo.session.flush()
            raise RuntimeError("the use-case failed")
    assert await repo.search.version() == before
    await repo.session.commit()


async def test_import_is_searchable_and_concurrent_writers_each_get_a_version(
    session_pool: SessionPool, repo: Repo, clock: FakeClock
) -> None:
    report = await import_initiatives(repo, read_rows(DATA), now=clock.now())
    assert (report.imported, len(report.rejected)) == (80, 0)
    holder = SearchIndexHolder()
    assert await holder.load(repo) == report.imported
    first_version = holder.version
    assert first_version is not None and first_version >= 1

    ids = sorted(holder.documents)[:6]

    async def hide(ident: int) -> None:
        async with session_pool() as session:
            await initiatives.set_hidden(Repo(session), ident, 1, hidden=True, now=clock.now())

    await asyncio.gather(*(hide(ident) for ident in ids))
    await holder.fresh(repo)
    assert holder.version == first_version + len(ids)
    assert not set(ids) & set(holder.documents)
    changes = (await repo.session.execute(SearchChange.__table__.select())).all()
    await repo.session.commit()
    assert {row.initiative_id for row in changes} >= set(ids)


async def test_a_large_import_is_recorded_in_batches_and_fully_searchable(
    repo: Repo, clock: FakeClock
) -> None:
    base = [row for _number, row in read_rows(DATA)]
    rows = [
        (number, {**row, "id": f"{row['id']}-{copy}"})
        for number, (copy, row) in enumerate(
            ((copy, row) for copy in range(15) for row in base), start=1
        )
    ]
    report = await import_initiatives(repo, rows, now=clock.now())
    assert (report.imported, report.rejected) == (1200, [])
    changes = (await repo.session.execute(SearchChange.__table__.select())).all()
    await repo.session.commit()
    assert len(changes) == 1200 and {row.version for row in changes} == {1}
    holder = SearchIndexHolder()
    assert await holder.load(repo) == 1200


async def test_a_large_index_is_asked_in_a_worker_thread_and_the_bot_goes_on(
    repo: Repo, clock: FakeClock, session_pool: SessionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search over a large index runs beside the event loop: other updates go on meanwhile,
    and a change to the index waits until the search is done. A small index is searched at
    once, on the loop."""
    import threading
    import time

    from bot.search import SearchIndex
    from bot.services.search import discover

    anna = make_user()
    await add_person(repo, anna, clock.now())
    ident = (
        await add_initiative(
            repo, clock.now(), owners=(anna.id,), name="Moestuin De Bongerd", keywords=["tuin"]
        )
    ).id
    searched_on: list[str] = []
    search = SearchIndex.search

    def slow_search(index: SearchIndex, query: str, **options: object) -> object:
        searched_on.append(threading.current_thread().name)
        time.sleep(0.3)
        return search(index, query, **options)  # type: ignore[arg-type]

    async def ticks_during(work: object) -> tuple[object, int]:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())
        try:
            return await work, ticks  # type: ignore[misc]
        finally:
            ticker.cancel()

    monkeypatch.setattr(SearchIndex, "search", slow_search)
    small = SearchIndexHolder()  # one initiative: below the size that goes to a thread
    page, ticks = await ticks_during(discover.search(repo, small, "moestuin"))
    assert [item.name for item in page.items] == ["Moestuin De Bongerd"]  # type: ignore[attr-defined]
    assert searched_on == [threading.main_thread().name]
    assert ticks <= 5  # the loop stood still for the 0.3 s search

    large = SearchIndexHolder(thread_from=1)
    await large.fresh(repo)
    async with session_pool() as session:
        other = Repo(session)
        done: list[str] = []

        async def refresh() -> None:
            await asyncio.sleep(0.05)  # the search is under way by now
            clock.advance(timedelta(minutes=1))
            await initiatives.update_field(
                other, ident, anna.id, Field.NAME, "Buurttuin De Bongerd", now=clock.now()
            )
            await large.fresh(other)
            done.append("refresh")

        async def find() -> object:
            found = await discover.search(repo, large, "moestuin")
            done.append("search")
            return found

        refreshing = asyncio.create_task(refresh())
        page, ticks = await ticks_during(find())
        await refreshing
    assert searched_on[1] != threading.main_thread().name
    assert ticks >= 10  # the loop went on during the 0.3 s search
    assert done == ["search", "refresh"]
    assert [item.name for item in page.items] == ["Moestuin De Bongerd"]  # type: ignore[attr-defined]
    assert large.documents[ident].name == "Buurttuin De Bongerd"


async def test_a_large_index_is_built_by_a_worker_process_and_answers_as_one_built_here(
    repo: Repo, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From `process_from` initiatives on, the index is built by a worker process: this
    process builds nothing, and the index it gets back answers every judged query, similar
    and nearby list as one built here, and follows edits as before."""
    from bot.search import SearchIndex
    from bot.search.evaluation import load_queries

    report = await import_initiatives(repo, read_rows(DATA), now=clock.now())
    here = SearchIndexHolder()
    assert await here.load(repo) == report.imported
    builds_here: list[int] = []
    build = SearchIndex.build

    def counted(index: SearchIndex, docs: object) -> None:
        builds_here.append(1)
        build(index, docs)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "build", counted)
    elsewhere = SearchIndexHolder(process_from=report.imported)
    assert await elsewhere.load(repo) == report.imported
    assert builds_here == []
    assert elsewhere.documents == here.documents
    queries = [judged.query for judged in load_queries(DATA.parent / "queries.json")]

    def answers(index: SearchIndex) -> list[object]:
        found: list[object] = [index.search(query, limit=20) for query in queries]
        found += [index.similar(doc_id) for doc_id in sorted(index.documents())[:40]]
        found.append(index.nearby(52.09, 5.12, limit=30))
        return found

    assert answers(elsewhere.index) == answers(here.index)

    owner = make_user()
    await add_person(repo, owner, clock.now())
    ident = (
        await add_initiative(repo, clock.now(), owners=(owner.id,), name="Zaadjesbieb Oog in Al")
    ).id
    assert await _names(elsewhere, repo, "zaadjesbieb") == ["Zaadjesbieb Oog in Al"]
    clock.advance(timedelta(minutes=1))
    await initiatives.update_field(
        repo, ident, owner.id, Field.NAME, "Zadenbibliotheek Oog in Al", now=clock.now()
    )
    assert await _names(elsewhere, repo, "zadenbibliotheek") == ["Zadenbibliotheek Oog in Al"]
    assert await _names(elsewhere, repo, "zaadjesbieb") == []


async def test_when_the_index_worker_fails_the_index_is_built_here_and_the_failure_logged(
    repo: Repo, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import sys

    report = await import_initiatives(repo, read_rows(DATA), now=clock.now())
    monkeypatch.setattr(sys, "executable", "/bin/false")  # a worker that ends at once
    holder = SearchIndexHolder(process_from=1)
    assert await holder.load(repo) == report.imported
    assert "the search index worker failed: built here instead" in caplog.text
    assert await _names(holder, repo, "repair cafe")


async def test_loading_the_index_hands_the_memory_it_freed_back_once(
    repo: Repo, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platform

    from bot import heap
    from bot.services.search import index_sync

    assert heap.release_freed_memory() is (platform.libc_ver()[0] == "glibc")
    released: list[int] = []
    monkeypatch.setattr(index_sync, "release_freed_memory", lambda: released.append(1))
    await add_initiative(repo, clock.now(), name="Moestuin De Bongerd")
    holder = SearchIndexHolder()
    assert await holder.load(repo) == 1
    assert released == [1]
    await add_initiative(repo, clock.now(), name="Repair Café Zuilen")
    assert await _names(holder, repo, "repair") == ["Repair Café Zuilen"]
    assert released == [1]  # a change is applied without a load


async def test_the_index_loaded_at_start_is_set_aside_from_the_cycle_collector(
    repo: Repo, clock: FakeClock, session_pool: SessionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At start the index is loaded in the background; what is alive then lives as long as the
    process, and full collections of the cycle collector leave it out (`gc.freeze`)."""
    from bot.services.search import index_sync

    set_aside: list[int] = []
    monkeypatch.setattr(index_sync, "set_aside_long_lived", lambda: set_aside.append(1))
    await add_initiative(repo, clock.now(), name="Moestuin De Bongerd")
    holder = SearchIndexHolder()
    holder.load_in_background(session_pool)
    assert set_aside == []
    assert await _names(holder, repo, "moestuin") == ["Moestuin De Bongerd"]
    assert set_aside == [1]
    await holder.load(repo)  # a load later on (a database that went back) sets nothing aside
    assert set_aside == [1]


async def test_a_worker_build_under_way_is_stopped_with_the_bot(
    repo: Repo, clock: FakeClock, session_pool: SessionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopping while the index worker builds: the worker process is ended too, and nothing
    is left waiting."""
    from bot.services.search import index_worker

    report = await import_initiatives(repo, read_rows(DATA), now=clock.now())
    assert report.imported
    started: list[asyncio.subprocess.Process] = []
    spawn = asyncio.create_subprocess_exec

    async def noted(*args: object, **options: object) -> asyncio.subprocess.Process:
        process = await spawn(*args, **options)  # type: ignore[arg-type]
        started.append(process)
        return process

    monkeypatch.setattr(index_worker.asyncio, "create_subprocess_exec", noted)
    holder = SearchIndexHolder(process_from=1)
    holder.load_in_background(session_pool)
    for _ in range(200):
        if started:
            break
        await asyncio.sleep(0.01)
    assert len(started) == 1
    await holder.stop_loading()
    assert await asyncio.wait_for(started[0].wait(), 5) == -9  # killed, not left running
    assert not holder.loaded
