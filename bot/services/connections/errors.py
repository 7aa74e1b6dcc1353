"""The base of every refusal of the connections feature."""

from __future__ import annotations


class ConnectionsError(Exception):
    """A use-case of connections refused; handlers turn it into text in one place."""
