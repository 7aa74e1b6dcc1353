"""Pieces of SQL the repositories share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, or_


def one_of(column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column` equal to one of a fixed few values, as `c = :a OR c = :b` and not `c IN (…)`.

    SQLAlchemy spreads the values of an IN list over parameters again at every execution (its
    "post-compile" step, some 30 µs a statement); comparisons are compiled once with the rest
    of the statement. For a list that varies, `in_` with an expanding parameter stays right.
    """
    return or_(*(column == value for value in values))
