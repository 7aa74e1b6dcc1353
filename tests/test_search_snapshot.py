"""The built search index is saved to a file and read back at the next start, instead of built
again, only when it is of the same search code and the same database, and it catches up with
whatever changed after it was saved."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage
from sqlalchemy import text

from bot.clock import FakeClock
from bot.config import Settings
from bot.search import SearchIndex
from bot.search import snapshot as snapshots
from bot.search.snapshot import SnapshotFile
from bot.services.initiatives import profiles as initiatives
from bot.services.initiatives.fields import Field
from bot.services.search.index_sync import SearchIndexHolder
from storage.repositories import Repo
from tests.conftest import Feeder
from tests.factories import make_user, message_update
from tests.initiatives_support import add_initiative, add_person
from tests.mocked_bot import MockedBotAPI


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many initiatives each full build of an index read."""
    counted: list[int] = []
    build = SearchIndex.build

    def counting(index: SearchIndex, docs: object) -> None:
        docs = list(docs)  # type: ignore[call-overload]
        counted.append(len(docs))
        build(index, docs)

    monkeypatch.setattr(SearchIndex, "build", counting)
    yield counted


def _temporary_files(folder: Path) -> list[Path]:
    return list(folder.rglob("*.tmp"))


async def _run_and_stop(file: SnapshotFile, repo: Repo) -> SearchIndexHolder:
    """A process that loads the index and saves it when it stops."""
    holder = SearchIndexHolder(snapshot=file)
    await holder.load(repo)
    await holder.save(repo)
    return holder


async def _names(holder: SearchIndexHolder, repo: Repo, query: str) -> list[str]:
    index = await holder.fresh(repo)
    return sorted(holder.documents[hit.id].name for hit in index.search(query).hits)


async def _two_initiatives(repo: Repo, clock: FakeClock) -> tuple[int, int]:
    """Two published initiatives; the first one's id and its owner's."""
    anna = make_user()
    await add_person(repo, anna, clock.now())
    first = await add_initiative(repo, clock.now(), owners=(anna.id,))
    await add_initiative(
        repo, clock.now(), name="Moestuin De Bongerd", keywords=["moestuin"], description="Tuin."
    )
    return first.id, anna.id


async def test_a_restart_reads_the_saved_index_and_catches_up(
    repo: Repo, clock: FakeClock, tmp_path: Path, builds: list[int]
) -> None:
    file = SnapshotFile(tmp_path / "search-index")
    first_id, owner = await _two_initiatives(repo, clock)
    first = SearchIndexHolder(snapshot=file)
    assert await first.load(repo) == 2
    assert builds == [2] and not file.path.exists()  # saved when the process stops
    assert await first.save(repo)
    assert file.path.exists()

    clock.advance(timedelta(minutes=1))
    await initiatives.update_field(
        repo, first_id, owner, Field.NAME, "Fietsenmaker Lombok", now=clock.now()
    )
    await add_initiative(repo, clock.now(), name="Taalcafé Overvecht", keywords=["taal"])

    restarted = SearchIndexHolder(snapshot=file)
    assert await restarted.load(repo) == 3
    assert builds == [2]  # read back, not built
    assert gc.isenabled()  # paused while reading only
    assert await _names(restarted, repo, "fietsenmaker") == ["Fietsenmaker Lombok"]
    assert await _names(restarted, repo, "taalcafe") == ["Taalcafé Overvecht"]
    assert await _names(restarted, repo, "moestuin") == ["Moestuin De Bongerd"]
    assert restarted.documents[first_id].name == "Fietsenmaker Lombok"
    # Places and themes that recur are one string each, built, read back or added since.
    for found in (list(first.documents.values()), list(restarted.documents.values())):
        assert {doc.municipality for doc in found} == {"Utrecht"}
        assert len({id(doc.municipality) for doc in found}) == 1
        assert len({id(doc.themes[0]) for doc in found}) == 1
    assert await restarted.save(repo)  # it changed since it was read
    again = SearchIndexHolder(snapshot=file)
    await again.load(repo)
    assert not await again.save(repo)  # nothing changed: the file stays as it is
    assert builds == [2]


async def test_the_index_of_another_database_is_not_read_back(
    repo: Repo, clock: FakeClock, tmp_path: Path, builds: list[int]
) -> None:
    """A new database can reach the same version numbers with other initiatives: its epoch
    tells them apart."""
    file = SnapshotFile(tmp_path / "search-index")
    await _two_initiatives(repo, clock)
    await _run_and_stop(file, repo)
    async with repo.write():
        await repo.session.execute(text("UPDATE search_state SET epoch = 'another-database'"))
        await repo.session.execute(text("UPDATE initiatives SET name = 'Buurtbus Zeist'"))

    other = SearchIndexHolder(snapshot=file)
    await other.load(repo)
    assert builds == [2, 2]
    assert await _names(other, repo, "buurtbus") == ["Buurtbus Zeist", "Buurtbus Zeist"]


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE search_state SET version = 0",  # restored from an older backup
        "UPDATE search_changes SET version = 0",  # a history that went another way
        "DELETE FROM search_changes",
    ],
)
async def test_a_database_whose_history_disagrees_gets_a_new_build(
    repo: Repo, clock: FakeClock, tmp_path: Path, builds: list[int], change: str
) -> None:
    file = SnapshotFile(tmp_path / "search-index")
    await _two_initiatives(repo, clock)
    await _run_and_stop(file, repo)
    async with repo.write():
        await repo.session.execute(text(change))

    await SearchIndexHolder(snapshot=file).load(repo)
    assert builds == [2, 2]


async def test_an_index_of_other_search_code_is_not_read_back(
    repo: Repo, clock: FakeClock, tmp_path: Path, builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    file = SnapshotFile(tmp_path / "search-index")
    await _two_initiatives(repo, clock)
    await _run_and_stop(file, repo)
    monkeypatch.setattr(snapshots, "fingerprint", lambda: "other code")

    await SearchIndexHolder(snapshot=file).load(repo)
    assert builds == [2, 2]


async def test_a_damaged_file_is_built_anew_and_replaced(
    repo: Repo,
    clock: FakeClock,
    tmp_path: Path,
    builds: list[int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    file = SnapshotFile(tmp_path / "search-index")
    await _two_initiatives(repo, clock)
    await _run_and_stop(file, repo)
    file.path.write_bytes(file.path.read_bytes()[:300])

    with caplog.at_level(logging.WARNING, logger="bot.search.snapshot"):
        holder = SearchIndexHolder(snapshot=file)
        await holder.load(repo)
    assert builds == [2, 2]
    assert [r.getMessage() for r in caplog.records] == [
        "the saved search index could not be read (UnpicklingError)"
    ]
    assert await _names(holder, repo, "moestuin") == ["Moestuin De Bongerd"]
    assert await holder.save(repo)
    await SearchIndexHolder(snapshot=file).load(repo)
    assert builds == [2, 2]  # the new file was read back


async def test_a_file_that_cannot_be_written_changes_nothing_for_the_search(
    repo: Repo,
    clock: FakeClock,
    tmp_path: Path,
    builds: list[int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    (tmp_path / "not-a-folder").write_text("")
    file = SnapshotFile(tmp_path / "not-a-folder" / "search-index")
    await _two_initiatives(repo, clock)
    holder = SearchIndexHolder(snapshot=file)
    with caplog.at_level(logging.WARNING, logger="bot.search.snapshot"):
        assert await holder.load(repo) == 2
        assert not await holder.save(repo)
    assert [r.getMessage() for r in caplog.records] == [
        "the search index could not be saved (FileExistsError)"
    ]
    assert await _names(holder, repo, "moestuin") == ["Moestuin De Bongerd"]
    assert _temporary_files(tmp_path) == []


def test_the_index_is_saved_beside_a_sqlite_database_unless_told_otherwise() -> None:
    def file(**values: str) -> Path | None:
        return Settings(_env_file=None, **values).search_snapshot_file()  # type: ignore[call-arg]

    assert file(database_url="sqlite+aiosqlite:///data/samenspel.db") == Path(
        "data/samenspel.search-index"
    )
    assert file(database_url="postgresql+asyncpg://bot@db/samenspel") is None
    assert file(
        database_url="postgresql+asyncpg://bot@db/samenspel",
        search_snapshot_path="/var/lib/samenspel/search-index",
    ) == Path("/var/lib/samenspel/search-index")
    assert file(database_url="sqlite+aiosqlite:///data/s.db", search_snapshot_path="off") is None


def test_an_index_read_back_answers_every_query_as_the_one_that_was_built(tmp_path: Path) -> None:
    """The judged queries of the search evaluation, with their similar initiatives and
    nearby lists: the same hits, scores and readings, whether the index was built or read
    back (with the caches the built one had filled left out of the file)."""
    from bot.search.evaluation import load_documents, load_queries

    data = Path(__file__).resolve().parent / "data" / "search_eval"
    built = SearchIndex()
    built.build(load_documents(data / "initiatives.json"))
    queries = [judged.query for judged in load_queries(data / "queries.json")]

    def answers(index: SearchIndex) -> list[object]:
        found: list[object] = [index.search(query, limit=20) for query in queries]
        found += [index.similar(doc_id) for doc_id in sorted(index.documents())[:40]]
        found.append(index.nearby(52.09, 5.12, limit=30))
        return found

    expected = answers(built)
    file = SnapshotFile(tmp_path / "search-index")
    assert file.write(built, snapshots.Stamp("epoch", 7, {1: 7}))
    restored = file.read("epoch", 7, {1: 7})
    assert restored is not None
    index, version = restored
    assert version == 7 and index is not built
    assert index._cache == {} and index._analyzer._word_cache == {}
    assert answers(index) == expected


async def test_the_bot_saves_its_search_index_when_it_stops(
    feed: Feeder,
    dispatcher: Dispatcher,
    bot: Bot,
    bot_api: MockedBotAPI,
    settings: Settings,
    clock: FakeClock,
    tmp_path: Path,
    builds: list[int],
) -> None:
    """Beside a SQLite database by default; PostgreSQL only with a path set (given here)."""
    running = dispatcher["search_index"]
    configured = settings.search_snapshot_file()
    assert (running.snapshot.path if running.snapshot else None) == configured
    if configured is None:
        running.snapshot = SnapshotFile(tmp_path / "search-index")
    path = running.snapshot.path
    await _two_initiatives(feed.repo, clock)
    await feed(message_update(make_user(), "/zoek moestuin"))
    assert bot_api.take(SendMessage).text.startswith("🔎 <b>Resultaten voor “moestuin”</b> (1)")
    assert builds == [2] and not path.exists()

    await dispatcher.emit_shutdown(bot=bot, **dispatcher.workflow_data)
    restarted = SearchIndexHolder(snapshot=SnapshotFile(path))
    await restarted.load(feed.repo)
    assert builds == [2]  # read back
    assert await _names(restarted, feed.repo, "moestuin") == ["Moestuin De Bongerd"]
