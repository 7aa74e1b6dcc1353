"""The base of every refusal of the initiatives feature."""

from __future__ import annotations


class InitiativeError(Exception):
    """A use-case of initiative profiles refused; handlers turn it into text in one place."""
