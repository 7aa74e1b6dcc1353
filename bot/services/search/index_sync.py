"""Keeping the in-memory search index in step with the published initiatives in the database.

Every change to an initiative's public profile bumps a version number in the database, in the
same transaction (see `storage.models.search`). Before a search the holder compares that
number with the version it last saw: one tiny query when nothing changed. When something did,
it re-reads only the initiatives changed since, adds or replaces those that are published and
takes out the rest; a database that went back in time (restored, emptied) is read again whole.

The number is asked only when it may have moved: after a commit of this process that changed
what the search shows, after another process announced one (with Redis, see
`bot.services.change_broadcast`), and otherwise once every `RECHECK_SECONDS` at most (a busy bot
searches many times a second, and each ask was a third of a search's database work). So an edit
is visible at once in the process that made it, as soon as it is announced in the others, and
within `RECHECK_SECONDS` in any process on the same database that was not told (an import from
the command line, an announcement lost while Redis was away).

With a snapshot file (`bot.search.snapshot`), a process saves its index when it stops, and the
next one reads it back and applies only what changed since, instead of building it again.
Saving at the end keeps the pickling's memory out of the running process and saves the
newest state. A large index that has to be built is built by a worker process
(`bot.services.search.index_worker`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import AsyncGenerator, Callable, Iterable, Mapping
from typing import Any, TypeVar

from bot.heap import release_freed_memory, set_aside_long_lived
from bot.search import SearchDocument, SearchIndex
from bot.search.snapshot import SnapshotFile, Stamp
from bot.services.search.index_worker import build_in_worker
from bot.services.search.misses import MissedWords
from storage.engine import SessionPool
from storage.models.initiatives import confirmation_day
from storage.models.search import changes_committed_here
from storage.repositories import Repo

logger = logging.getLogger(__name__)

T = TypeVar("T")
# From this many initiatives on, a search runs in a worker thread (see `SearchIndexHolder.ask`);
# below it a search takes about a millisecond, less than the trip to a thread.
THREAD_FROM = 25_000
# From this many initiatives on, a build runs in a worker process (see `index_worker`); below
# it a build takes a few seconds at most, less than starting a process would add.
PROCESS_FROM = 25_000
_BATCH = 2_000  # initiatives read and sent to the worker at a time
# How long the version asked last is trusted when this process changed nothing since.
RECHECK_SECONDS = 2.0


class _Heard:
    count = 0


def changed_elsewhere() -> None:
    """Another process announced a change to what the search shows: every index of this
    process asks the database's version before its next answer."""
    _Heard.count += 1


def _changes_known() -> int:
    """How many changes to what the search shows this process knows of: its own commits and
    those announced by others (never goes down)."""
    return changes_committed_here() + _Heard.count


def _log_failure(task: asyncio.Task[int]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("the search index could not be loaded", exc_info=task.exception())


async def _document_batches(repo: Repo) -> AsyncGenerator[list[SearchDocument], None]:
    async for rows in repo.search.published_row_batches(_BATCH):
        yield [document(row) for row in rows]


def document(row: tuple[Any, ...]) -> SearchDocument:
    """A search document from the columns of `SearchRepository.published_rows`."""
    ident, ref, name, description, themes, municipality, neighbourhood, keywords, *rest = row
    lat, lon, confirmed = rest
    return SearchDocument(
        id=int(ident),
        ref=ref,
        name=name or "",
        description=description or "",
        themes=tuple(themes or ()),
        municipality=municipality or "",
        neighbourhood=neighbourhood or "",
        keywords=tuple(keywords or ()),
        lat=lat,
        lon=lon,
        confirmed_on=confirmation_day(confirmed),
    )


class SearchIndexHolder:
    """The search index of one process and the database version it reflects."""

    def __init__(
        self,
        index: SearchIndex | None = None,
        *,
        snapshot: SnapshotFile | None = None,
        thread_from: int = THREAD_FROM,
        process_from: int = PROCESS_FROM,
        recheck_after: float = RECHECK_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.index = index if index is not None else SearchIndex()
        self.snapshot = snapshot
        self.thread_from = thread_from
        self.process_from = process_from
        self._saved_version: int | None = None
        self.version: int | None = None
        self._lock = asyncio.Lock()
        self.misses = MissedWords()
        self._theme_counts: tuple[int | None, Counter[str]] = (None, Counter())
        self._loading: asyncio.Task[int] | None = None
        self.recheck_after = recheck_after
        self._monotonic = monotonic
        # When the version was last asked, and how many changes known here it covers.
        self._asked: tuple[float, int] | None = None

    @property
    def documents(self) -> Mapping[int, SearchDocument]:
        """The indexed initiatives by id."""
        return self.index.documents()

    @property
    def loaded(self) -> bool:
        return self.version is not None

    async def load(self, repo: Repo) -> int:
        """Build the whole index from the database; returns the number of initiatives."""
        async with self._lock, repo.read():
            await self._load(repo)
        return len(self.documents)

    def load_in_background(self, session_pool: SessionPool) -> None:
        """Start building the index without waiting for it: the bot answers at once, a search
        made meanwhile waits for the index (and `/readyz` says "not ready" until it is there)."""

        async def load() -> int:
            async with session_pool() as session:
                loaded = await self.load(Repo(session))
            # Loaded at start, it lives as long as the process (see `bot.heap`).
            set_aside_long_lived()
            return loaded

        self._loading = asyncio.create_task(load(), name="search-index-load")
        self._loading.add_done_callback(_log_failure)

    async def stop_loading(self) -> None:
        """At shutdown: a build still under way is stopped, so it holds no connection after
        the database is closed."""
        task, self._loading = self._loading, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def ask(self, repo: Repo, question: Callable[[SearchIndex], T]) -> T:
        """`question` answered by the index, first brought up to date.

        A large index is asked in a worker thread: a search over 100,000 initiatives takes
        milliseconds to tens of them, and meanwhile the bot goes on with other updates. The
        index does not change while a thread reads it (changes wait for the same lock)."""
        index = await self.fresh(repo)
        if len(index) < self.thread_from:
            return question(index)
        async with self._lock:
            return await asyncio.to_thread(question, self.index)

    async def fresh(self, repo: Repo) -> SearchIndex:
        """The index, first brought up to date with the database if anything changed.

        Ends the read transaction, so the caller's next query sees fresh data; within the
        caller's own read block, the caller's rows come from the same transaction instead."""
        if self._loading is not None and not self._loading.done():
            await asyncio.shield(self._loading)
        if self._still_current():
            return self.index
        async with self._lock, repo.read():
            # Counted before asking: a commit that lands meanwhile is asked about next time.
            asked = (self._monotonic(), _changes_known())
            version = await repo.search.version()
            if self.version is None or version < self.version:
                await self._load(repo)
            elif version > self.version:
                await self._apply_changes(repo, version)
            self._asked = asked
        return self.index

    def _still_current(self) -> bool:
        """Whether the index may skip asking the database's version: asked a moment ago, and
        nothing changed since, in this process or announced by another."""
        if self.version is None or self._asked is None:
            return False
        asked_at, known = self._asked
        return known == _changes_known() and self._monotonic() - asked_at < self.recheck_after

    def theme_counts(self) -> Counter[str]:
        """How many published initiatives each theme has (as of the last refresh)."""
        version, counts = self._theme_counts
        if version != self.version or version is None:
            counts = Counter(slug for doc in self.documents.values() for slug in doc.themes)
            self._theme_counts = (self.version, counts)
        return counts

    async def _load(self, repo: Repo) -> None:
        await self._read_or_build(repo)
        # What the load freed (rows, words, what was read) goes back to the system.
        await asyncio.to_thread(release_freed_memory)

    async def _read_or_build(self, repo: Repo) -> None:
        # The version is read first: whatever changes after it is applied again later.
        version, epoch = await repo.search.state()
        if self.snapshot is not None and epoch is not None:
            changes = dict(await repo.search.changed_since(0))
            # Read in a worker thread too: the bot goes on answering meanwhile.
            restored = await asyncio.to_thread(self.snapshot.read, epoch, version, changes)
            if restored is not None:
                index, at = restored
                self._use(index, at)
                self._saved_version = at
                if version > at:
                    await self._apply_changes(repo, version)
                logger.info("search index read back: %s initiatives at version %s", len(index), at)
                return
        if await repo.search.published_count() >= self.process_from:
            batches = _document_batches(repo)
            try:
                index = await build_in_worker(batches)
            except Exception:
                logger.exception("the search index worker failed: built here instead")
                index = await self._build_here(repo)
            finally:
                await batches.aclose()
        else:
            index = await self._build_here(repo)
        self._use(index, version)
        logger.info("search index built: %s initiatives at version %s", len(index), version)

    @staticmethod
    async def _build_here(repo: Repo) -> SearchIndex:
        """Built in a worker thread into a new index, then swapped in: the bot goes on
        answering meanwhile."""
        documents = [document(row) for row in await repo.search.published_rows()]
        index = SearchIndex()
        await asyncio.to_thread(index.build, documents)
        return index

    async def save(self, repo: Repo) -> bool:
        """At shutdown: save the index for the next start (when there is a snapshot file and
        the index changed since it was read or built). Nothing changes it while it is written;
        a process has no more updates to handle by then."""
        if self.snapshot is None or self.version is None or self.version == self._saved_version:
            return False
        async with self._lock:
            async with repo.read():
                _version, epoch = await repo.search.state()
                changes = dict(await repo.search.changed_since(0))
            if epoch is None:
                return False
            stamp = Stamp.of(epoch, self.version, changes)
            saved = await asyncio.to_thread(self.snapshot.write, self.index, stamp)
        if saved:
            self._saved_version = stamp.version
            logger.info("search index saved at version %s", stamp.version)
        return saved

    def _use(self, index: SearchIndex, version: int) -> None:
        self.index = index
        self.version = version

    async def _apply_changes(self, repo: Repo, version: int) -> None:
        assert self.version is not None
        changes = await repo.search.changed_since(self.version)
        ids = sorted({ident for ident, _changed in changes})
        rows = {int(row[0]): row for row in await repo.search.published_rows(ids)}
        self._replace(ids, (document(row) for row in rows.values()))
        self.version = max([version, *(changed for _ident, changed in changes)])
        logger.debug("search index refreshed: %s changed to version %s", len(ids), self.version)

    def _replace(self, ids: Iterable[int], published: Iterable[SearchDocument]) -> None:
        keep = {doc.id: doc for doc in published}
        for ident in ids:
            doc = keep.get(ident)
            if doc is None:
                self.index.remove(ident)
            elif self.documents.get(ident) != doc:
                self.index.upsert(doc)
