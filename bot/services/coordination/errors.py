"""The base of every refusal of the coordinators' tools."""

from __future__ import annotations


class CoordinationError(Exception):
    """A coordinator's use-case refused; handlers turn it into text in one place."""
