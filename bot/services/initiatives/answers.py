"""A typed answer or a shared pin, checked for one field of an initiative, including what the
field must agree with (a place and a neighbourhood in the initiative's own municipality) and
the address lookup for a typed place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.services.geocoding import Geocoder
from bot.services.initiatives.fields import Field, parse_text
from bot.services.initiatives.places import check_neighbourhood, locate_pin, locate_typed
from storage.models import Initiative


@dataclass(frozen=True, slots=True)
class Answer:
    value: Any
    fallback_place: bool = False  # the lookup was away: the municipality's centre, for now


async def check_typed(
    field: Field, text: str, initiative: Initiative, geocoder: Geocoder
) -> Answer:
    """The value to store for typed `text`, or InvalidAnswerError."""
    if field is Field.LOCATION:
        found = await locate_typed(text, initiative.municipality, geocoder)
        return Answer(found.location, found.fallback)
    value = parse_text(field, text)
    if field is Field.NEIGHBOURHOOD:
        check_neighbourhood(value, initiative.municipality)
    return Answer(value)


async def check_pin(lat: float, lon: float, initiative: Initiative, geocoder: Geocoder) -> Answer:
    """The value to store for a shared pin, or InvalidAnswerError."""
    found = await locate_pin(lat, lon, initiative.municipality, geocoder)
    return Answer(found.location, found.fallback)
