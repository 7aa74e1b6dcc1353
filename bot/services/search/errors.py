"""The base of every refusal of search."""

from __future__ import annotations


class SearchError(Exception):
    """A search use-case refused; handlers turn it into text in one place."""
