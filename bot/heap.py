"""What a process does with its heap after a large load (the search index at start).

The C library keeps freed memory for reuse instead of returning it, and after building the
index or reading it back, at 100,000 initiatives, tens of megabytes of it would stay with the
process for good: on glibc `malloc_trim` hands it back (elsewhere this does nothing).

And what was loaded at start lives as long as the process, yet the cycle collector would go
over all of it (some 300,000 objects at 100,000 initiatives) in every full collection, a
pause of about 0.1 s in which nobody is answered: set aside, it is no longer looked at.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
from functools import cache
from typing import Any

logger = logging.getLogger(__name__)


@cache
def _trim() -> Any:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None)
    except OSError:
        return None


def release_freed_memory() -> bool:
    """Return freed memory to the system; False where the C library can't."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True


def set_aside_long_lived() -> None:
    """Leave everything alive now out of the cycle collector's full collections."""
    gc.freeze()
