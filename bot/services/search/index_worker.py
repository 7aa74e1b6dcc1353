"""Building a large search index in a worker process.

At 100,000 initiatives a build takes tens of seconds of CPU, and it leaves the memory it used
for words and counts scattered over the heap, where the process keeps it. A worker process
does the build instead: the bot's own process goes on answering at full speed (a thread would
share the interpreter with it), and it only reads back the finished index, as compact as a
saved one read back after a restart.

`python -m bot.services.search.index_worker` reads batches of pickled documents on its
standard input and writes the pickled index on its standard output.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import sys
import tempfile
from collections.abc import AsyncIterable, Sequence
from pathlib import Path
from typing import IO

from bot.search.index import SearchIndex
from bot.search.models import SearchDocument
from bot.search.snapshot import cycle_collector_paused

# Where `bot` can be imported from, for the worker whatever its working directory.
_PROJECT = str(Path(__file__).resolve().parents[3])


class BuildFailedError(RuntimeError):
    """The worker process ended without an index."""


async def build_in_worker(batches: AsyncIterable[Sequence[SearchDocument]]) -> SearchIndex:
    """The index of the documents in `batches`, built by a worker process.

    The documents go to the worker a batch at a time, so they never lie in this process's
    memory whole. The worker writes the index to a temporary file, which is read back piece
    by piece. Cancelled or failing, the worker is stopped too."""
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": _PROJECT if not path else f"{_PROJECT}{os.pathsep}{path}"}
    with tempfile.TemporaryFile() as built:
        worker = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.services.search.index_worker",
            stdin=asyncio.subprocess.PIPE,
            stdout=built,
            env=env,
        )
        assert worker.stdin is not None
        try:
            async for batch in batches:
                worker.stdin.write(pickle.dumps(list(batch), protocol=pickle.HIGHEST_PROTOCOL))
                await worker.stdin.drain()
            worker.stdin.close()
            await worker.wait()
        except BaseException:
            if worker.returncode is None:
                worker.kill()
            raise
        if worker.returncode != 0:
            raise BuildFailedError(f"the index worker ended with {worker.returncode}")
        return await asyncio.to_thread(_read_index, built)


def _read_index(built: IO[bytes]) -> SearchIndex:
    built.seek(0)
    try:
        with cycle_collector_paused():
            index = pickle.load(built)
    except (EOFError, pickle.UnpicklingError) as exc:
        raise BuildFailedError("the index worker wrote no index") from exc
    if not isinstance(index, SearchIndex):
        raise BuildFailedError("the index worker wrote something else than an index")
    return index


def main() -> None:
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but the index goes out on the standard output
    documents: list[SearchDocument] = []
    with cycle_collector_paused():
        while True:
            try:
                documents.extend(pickle.load(sys.stdin.buffer))
            except EOFError:
                break
    index = SearchIndex()
    index.build(documents)
    del documents
    pickle.dump(index, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


if __name__ == "__main__":
    main()
