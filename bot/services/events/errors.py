"""The base of every refusal of the events feature."""

from __future__ import annotations


class EventsError(Exception):
    """A use-case of events refused; handlers turn it into text in one place."""


class EventNotFoundError(EventsError, LookupError):
    """No such event, or not one residents can see."""
