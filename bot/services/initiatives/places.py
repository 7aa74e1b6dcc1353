"""Where an initiative meets: a typed address or postcode (looked up with PDOK Locatieserver),
typed coordinates, or a shared pin; and a place, a neighbourhood and a municipality that agree.

A pin in Amersfoort for a garden in Utrecht, or "Overvecht" for an initiative in Nieuwegein, is
caught with a question instead of being stored. When the address lookup is away, the
municipality's centre is used for now and the person is told.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog.municipalities import (
    BY_NAME,
    clearly_elsewhere,
    fold,
    municipalities_with_place,
    municipality_by_name,
)
from bot.services.geocoding import Address, Geocoder, GeocoderUnavailableError
from bot.services.initiatives.fields import (
    InvalidAnswerError,
    Location,
    Problem,
    check_location,
    parse_location,
)
from storage.models import Initiative


@dataclass(frozen=True, slots=True)
class Found:
    location: Location
    fallback: bool = False  # the lookup was away: the municipality's centre, for now


def _elsewhere(found_municipality: str | None, municipality: str | None) -> None:
    if not found_municipality or not municipality:
        return
    known = municipality_by_name(found_municipality)
    found_name = known.name if known else found_municipality
    if fold(found_name) != fold(municipality):
        raise InvalidAnswerError(
            Problem.LOCATION_ELSEWHERE,
            details={"found": found_name, "municipality": municipality},
        )


def _from_address(address: Address, municipality: str | None) -> Location:
    checked = check_location(address.lat, address.lon)
    _elsewhere(address.municipality, municipality)
    return Location(checked.lat, checked.lon, address.label or None)


async def locate_typed(text: str, municipality: str | None, geocoder: Geocoder) -> Found:
    """A typed place: coordinates as they are, else an address, postcode or street (looked
    up within the initiative's municipality when the text doesn't name one)."""
    try:
        typed = parse_location(text)
    except InvalidAnswerError as error:
        if error.problem is not Problem.LOCATION_FORMAT:
            raise
    else:
        return await locate_pin(typed.lat, typed.lon, municipality, geocoder)
    query = text
    if municipality and fold(municipality) not in fold(text):
        query = f"{text} {municipality}"
    try:
        address = await geocoder.search(query)
    except GeocoderUnavailableError:
        centre = BY_NAME.get(municipality or "")
        if centre is None:
            raise InvalidAnswerError(Problem.LOCATION_NOT_FOUND) from None
        return Found(Location(centre.lat, centre.lon, None), fallback=True)
    if address is None:
        raise InvalidAnswerError(Problem.LOCATION_NOT_FOUND)
    return Found(_from_address(address, municipality))


async def locate_pin(lat: float, lon: float, municipality: str | None, geocoder: Geocoder) -> Found:
    """A shared or typed pin, with the nearest address when the lookup knows one."""
    checked = check_location(lat, lon)
    try:
        address = await geocoder.reverse(checked.lat, checked.lon)
    except GeocoderUnavailableError:
        address = None
    if address is not None:
        _elsewhere(address.municipality, municipality)
        return Found(Location(checked.lat, checked.lon, address.label or None))
    if municipality and (other := clearly_elsewhere(checked.lat, checked.lon, municipality)):
        _elsewhere(other.name, municipality)
    return Found(checked)


def check_neighbourhood(name: str, municipality: str | None) -> None:
    """A neighbourhood or village the catalogue places in another municipality only."""
    where = municipalities_with_place(name)
    if municipality and where and municipality not in where:
        raise InvalidAnswerError(
            Problem.NEIGHBOURHOOD_ELSEWHERE,
            details={"name": name, "found": sorted(where)[0], "municipality": municipality},
        )


def places_of_another_municipality(initiative: Initiative) -> list[str]:
    """After the municipality changed: the neighbourhood and pin that belong elsewhere are
    cleared (returns the names of what was cleared: "neighbourhood", "location")."""
    municipality = initiative.municipality
    cleared = []
    if initiative.neighbourhood and municipality:
        where = municipalities_with_place(initiative.neighbourhood)
        if where and municipality not in where:
            initiative.neighbourhood = None
            cleared.append("neighbourhood")
    pinned = initiative.lat is not None and initiative.lon is not None
    if (
        pinned
        and municipality
        and clearly_elsewhere(initiative.lat or 0.0, initiative.lon or 0.0, municipality)
    ):
        initiative.lat = initiative.lon = None
        initiative.address = None
        cleared.append("location")
    return cleared
