"""Handing memory that was freed back to the system.

The C library keeps freed memory for reuse instead of returning it, and after a large load
(building the search index or reading it back, at 100,000 initiatives) tens of megabytes of
it stay with the process for good. On glibc `malloc_trim` hands it back; elsewhere this does
nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
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
