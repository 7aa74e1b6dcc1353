"""Diversity at the table. On sign-up for a table two optional questions are asked: an age
group and a neighbourhood or village (someone's earlier answer is offered again). Coordinators
see a table's mix as counts, never a person's answer. A coordinator may reserve seats for an
age group ("3 plekken voor jongeren tot 18 jaar") or for people from outside the table's
neighbourhood; those seats are held until the waitlist offers begin two days before the start,
and from then on they are open to everyone.

The answers live on the registration only; erasure and retention clear them with the link to
the person (see `storage.models.events.Registration`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.catalog.municipalities import municipality_by_name
from bot.services.events.errors import EventNotFoundError, EventsError
from bot.text import fold
from storage.models import Event, EventKind, Registration, RegistrationStatus
from storage.models.events import SEAT_STATUSES
from storage.repositories import Repo

AGE_GROUPS = ("8-12", "13-17", "18-30", "31-65", "65+")
UNDER_18 = "u18"
OUTSIDE = "outside"
# What seats can be reserved for: an age group, the young (under 18), or people from outside.
RESERVED_AGES: dict[str, tuple[str, ...]] = {UNDER_18: ("8-12", "13-17")}
RESERVED_AGES |= {group: (group,) for group in AGE_GROUPS}
ELSEWHERE = "elders"  # lives outside the table's municipality
AGE, PLACE = "a", "p"  # the two questions


_YOUNG = frozenset(
    {"jongeren", "jongeren tot 18", "jongeren tot 18 jaar", "tot 18", "onder 18", "u18"}
    | {"young", "young people", "under 18", "kinderen en jongeren", "youth"}
)


class AnswerNeededError(EventsError):
    """Only reserved seats are left, and whether they are for this person depends on an
    answer we don't have yet (`question`: AGE or PLACE)."""

    def __init__(
        self, event_id: int, question: str, earlier: tuple[str | None, str | None]
    ) -> None:
        super().__init__(event_id)
        self.event_id = event_id
        self.question = question
        self.earlier = earlier  # the person's latest answers (age group, place), to offer again


class UnknownAnswerError(EventsError):
    """A button value that is not one of the question's answers (forged, or out of date)."""


class BadReservationError(EventsError, ValueError):
    """A reservation that can't be read or doesn't fit the table."""


def places_for(event: Event) -> tuple[str, ...]:
    """The villages and districts of the table's municipality, to choose from."""
    found = municipality_by_name(event.municipality)
    return found.districts if found is not None else ()


def place_code(event: Event, answer: str | None) -> str:
    """The button value of an answer: a district's number, "m" for the municipality itself,
    "e" for elsewhere; "" when it isn't one of this table's choices."""
    if answer is None:
        return ""
    if answer == ELSEWHERE:
        return "e"
    if fold(answer) == fold(event.municipality):
        return "m"
    for number, place in enumerate(places_for(event)):
        if fold(place) == fold(answer):
            return str(number)
    return ""


def place_of(event: Event, code: str) -> str | None:
    """The answer a button value stands for (None: not one of the choices)."""
    if code == "e":
        return ELSEWHERE
    if code == "m":
        return event.municipality
    places = places_for(event)
    if code.isdigit() and int(code) < len(places):
        return places[int(code)]
    return None


def question_for(event: Event) -> str:
    """The question that decides whether reserved seats are for someone."""
    return PLACE if event.reserved_for == OUTSIDE else AGE


def matches(event: Event, age_group: str | None, place: str | None) -> bool | None:
    """Whether the table's reserved seats are for someone with these answers; None when the
    answer that decides it is missing."""
    if event.reserved_for == OUTSIDE:
        if place is None:
            return None
        if event.neighbourhood:
            return fold(place) != fold(event.neighbourhood)
        return place == ELSEWHERE
    groups = RESERVED_AGES.get(event.reserved_for or "", ())
    if age_group is None:
        return None
    return age_group in groups


def usable_place(event: Event, place: str | None) -> str | None:
    """An earlier answer about where someone lives, if it is one of this table's choices."""
    return place if place_code(event, place) not in ("", "e") else None


async def reserved_left(repo: Repo, event: Event) -> int:
    """Reserved seats not yet taken by people they are for. Call with the event locked."""
    if event.reserved_seats <= 0 or not event.reserved_for:
        return 0
    taken = sum(
        registration.party_size
        for registration, _user in await repo.registrations.of_event(event.id, SEAT_STATUSES)
        if matches(event, registration.age_group, registration.neighbourhood)
    )
    return max(0, event.reserved_seats - taken)


@dataclass(frozen=True, slots=True)
class Mix:
    """A table's mix: people per age group and per place (a group counts as its people)."""

    ages: list[tuple[str, int]]
    places: list[tuple[str, int]]
    unknown_age: int
    unknown_place: int
    reserved_left: int


def mix_of(event: Event, seats: list[Registration], left: int) -> Mix:
    ages: Counter[str] = Counter()
    places: Counter[str] = Counter()
    unknown_age = unknown_place = 0
    for registration in seats:
        people = registration.party_size
        if registration.age_group:
            ages[registration.age_group] += people
        else:
            unknown_age += people
        if registration.neighbourhood:
            places[registration.neighbourhood] += people
        else:
            unknown_place += people
    return Mix(
        [(group, ages[group]) for group in AGE_GROUPS if ages[group]],
        places.most_common(),
        unknown_age,
        unknown_place,
        left,
    )


async def table_mix(repo: Repo, event: Event) -> Mix:
    async with repo.read():
        seats = [
            registration
            for registration, _user in await repo.registrations.of_event(event.id, SEAT_STATUSES)
        ]
        left = await reserved_left(repo, event)
    return mix_of(event, seats, left)


def read_answer(event: Event, question: str, code: str) -> str | None:
    """The answer a button stands for; None when skipped."""
    if code == "-":
        return None
    if question == AGE and code.isdigit() and int(code) < len(AGE_GROUPS):
        return AGE_GROUPS[int(code)]
    if question == PLACE and (place := place_of(event, code)) is not None:
        return place
    raise UnknownAnswerError(code)


def wants_answers(event: Event, registration: Registration) -> bool:
    """A new sign-up for a table whose questions haven't been answered."""
    return (
        event.kind == EventKind.TABLE
        and registration.age_group is None
        and registration.neighbourhood is None
    )


@dataclass(frozen=True)
class Answered:
    """An answer stored: the event, the registration (None when there is none any more) and,
    after the first question, the person's latest answer to the second, to offer again."""

    event: Event
    registration: Registration | None
    earlier_place: str | None = None


async def answer(repo: Repo, event_id: int, user_id: int, question: str, code: str) -> Answered:
    """Store (or, for a skip, clear) the answer a button stands for on someone's seat or
    waitlist place, in one transaction with what the next question needs."""
    async with repo.write():
        event = await repo.events.get(event_id)
        if event is None:
            raise EventNotFoundError(event_id)
        value = read_answer(event, question, code)
        registration = await repo.registrations.of(event_id, user_id)
        if registration is None or registration.status not in (
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WAITLISTED,
        ):
            return Answered(event, None)
        if question == AGE:
            registration.age_group = value
            _age, place = await repo.registrations.latest_answers(user_id)
            return Answered(event, registration, place)
        registration.neighbourhood = value
    return Answered(event, registration)


def parse_reservation(text: str) -> tuple[int, str | None, str | None]:
    """What a coordinator typed for reserved seats: "3 jongeren", "2 65+", "3 buiten
    Overvecht", "4 outside", or "-" for none → (seats, for whom, the place typed)."""
    words = text.strip().lower().replace("–", "-").split()
    if not words or words[0] in ("-", "0", "geen", "none"):
        return 0, None, None
    if not words[0].isdigit():
        raise BadReservationError("seats")
    seats, rest = int(words[0]), " ".join(words[1:])
    for word in ("plekken voor ", "plek voor ", "seats for ", "seat for ", "voor ", "for "):
        rest = rest.removeprefix(word)
    if rest.split(" ")[0] in ("buiten", "outside", "elders"):
        return seats, OUTSIDE, " ".join(rest.split(" ")[1:]).strip() or None
    if rest in _YOUNG:
        return seats, UNDER_18, None
    group = rest.removesuffix(" jaar").removesuffix(" years").replace(" ", "")
    group = group.replace("65plus", "65+")
    if group in AGE_GROUPS:
        return seats, group, None
    raise BadReservationError("group")


def reserve(event: Event, seats: int, reserved_for: str | None, place: str | None) -> None:
    """Set a reservation on the table after checking it fits: at most its seats, and a place
    that is one of its municipality's villages or districts."""
    if seats > event.capacity:
        raise BadReservationError("seats")
    neighbourhood = None
    if place is not None:
        neighbourhood = next((p for p in places_for(event) if fold(p) == fold(place)), None)
        if neighbourhood is None:
            raise BadReservationError("place")
    event.reserved_seats = seats
    event.reserved_for = reserved_for if seats else None
    if reserved_for == OUTSIDE:
        event.neighbourhood = neighbourhood
