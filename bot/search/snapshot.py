"""A search index saved to a file, and read back at the next start instead of built again.

Building the index reads and analyses every published initiative: seconds at 10,000, tens of
seconds at 100,000, and no search is answered meanwhile. A process saves its index when it
stops; the next one (a restart, a deploy, a second process on the same machine) reads it in a
fraction of that time and applies only what changed since. A file is read back only when all
of this holds, and otherwise the index is built as before:

- it was written by the same search code and data (a fingerprint of their files);
- it comes from the same database (the random epoch in `search_state`);
- the database's history agrees with it: every initiative's last change up to the file's
  version is the one the file knows, or a later one (which is then applied again).

A file is written under a temporary name and renamed, so no reader ever sees half of one. It is
the process's own working data, like the database beside it: whoever can write it can change
the program too.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import logging
import os
import pickle
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.search.index import SearchIndex

logger = logging.getLogger(__name__)

# 2: documents carry the day their profile was last confirmed.
FORMAT = 2
_PACKAGE = Path(__file__).resolve().parent
# Everything an index is made from besides the initiatives: the search code, its word lists,
# the places and themes, and how text is folded.
_SOURCES = (_PACKAGE, _PACKAGE.parent / "catalog", _PACKAGE.parent / "text.py")


@functools.cache
def fingerprint() -> str:
    """A digest of the search code and data: a file from other code is never read back."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version_info[:2]}".encode())
    for source in _SOURCES:
        files = sorted(source.rglob("*")) if source.is_dir() else [source]
        for file in files:
            if file.suffix in (".py", ".toml") and file.is_file():
                digest.update(file.relative_to(_PACKAGE.parent).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Stamp:
    """Which state of which database an index reflects."""

    epoch: str
    version: int
    changes: dict[int, int]  # initiative id -> version of its last change, up to `version`

    @classmethod
    def of(cls, epoch: str, version: int, changes: dict[int, int]) -> Stamp:
        return cls(epoch, version, {ident: at for ident, at in changes.items() if at <= version})

    def agrees_with(self, epoch: str, version: int, changes: dict[int, int]) -> bool:
        """Whether the database (its epoch, version and every initiative's last change) has
        this stamp's state in its history."""
        if epoch != self.epoch or version < self.version:
            return False
        for ident, at in changes.items():
            if at <= self.version and self.changes.get(ident) != at:
                return False
        for ident, at in self.changes.items():
            now = changes.get(ident, -1)
            if now != at and now <= self.version:
                return False
        return True


class SnapshotFile:
    """The file one process saves its built index to, and the next one reads it from."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, index: SearchIndex, stamp: Stamp) -> bool:
        """Save `index`; a failure (a full disk, no rights) is logged and changes nothing."""
        ids = array("q", stamp.changes)
        header = {
            "format": FORMAT,
            "fingerprint": fingerprint(),
            "epoch": stamp.epoch,
            "version": stamp.version,
            "ids": ids,
            "versions": array("q", (stamp.changes[ident] for ident in ids)),
        }
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as file:
                pickle.dump(header, file, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(index, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except (OSError, pickle.PicklingError, RecursionError) as exc:
            logger.warning("the search index could not be saved (%s)", type(exc).__name__)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            return False
        return True

    def read(
        self, epoch: str, version: int, changes: dict[int, int]
    ) -> tuple[SearchIndex, int] | None:
        """The saved index and its version, when it agrees with the database; else None."""
        try:
            with self.path.open("rb") as file:
                header = pickle.load(file)
                stamp = _stamp_of(header)
                if stamp is None:
                    logger.info("the saved search index is of other search code: built anew")
                    return None
                if not stamp.agrees_with(epoch, version, changes):
                    logger.info("the saved search index is of another database: built anew")
                    return None
                with cycle_collector_paused():
                    index = pickle.load(file)
        except (FileNotFoundError, NotADirectoryError):  # none saved yet
            return None
        except Exception as exc:  # a damaged or foreign file: build the index instead
            logger.warning("the saved search index could not be read (%s)", type(exc).__name__)
            return None
        if not isinstance(index, SearchIndex):
            logger.warning("the saved search index could not be read (not an index)")
            return None
        return index, stamp.version


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Reading back creates millions of objects and no cycles: the cycle collector would walk
    them again and again (it more than doubles the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _stamp_of(header: object) -> Stamp | None:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return None
    if header.get("fingerprint") != fingerprint():
        return None
    ids, versions = header["ids"], header["versions"]
    return Stamp(header["epoch"], header["version"], dict(zip(ids, versions, strict=True)))
