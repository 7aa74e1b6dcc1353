"""The event messages the outbox sends, rendered at send time in the recipient's language:
reminder, "Kom je nog?", promotion, change, cancellation; and when they are no longer sent."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n, speaking
from bot.notifications.registry import RenderContext, Rendered, get_kind
from bot.services.events import admin as event_admin
from bot.services.events import registrations
from bot.services.events.changes import EventChanges, change_event
from storage.repositories import Repo
from tests.event_helpers import START_DEFAULT, make_event, make_people, person
from tests.mocked_bot import button_rows


async def _render(
    kind: str,
    repo: Repo,
    user_id: int,
    locale: str,
    clock: FakeClock,
    settings: Settings,
    i18n: CatalogI18n,
    params: dict[str, object],
) -> Rendered | None:
    found = get_kind(kind)
    assert found is not None
    ctx = RenderContext(repo, await person(repo, user_id), locale, clock.now(), settings)
    with speaking(i18n, locale):
        return await found.render(ctx, params)


async def _seat(repo: Repo, clock: FakeClock, capacity: int = 5) -> tuple[int, list[int], int]:
    event_id = (await make_event(repo, clock, capacity=capacity)).id
    people = await make_people(repo, clock, 3, start_id=500_000)
    result = await registrations.sign_up(repo, event_id, people[0], now=clock.now())
    return event_id, people, result.registration.id


async def test_reminder_in_dutch_and_english_with_a_cancel_button(
    repo: Repo, clock: FakeClock, settings: Settings, i18n: CatalogI18n
) -> None:
    event_id, people, registration_id = await _seat(repo, clock)
    params = {
        "registration_id": registration_id,
        "event_id": event_id,
        "starts_at": START_DEFAULT.isoformat(),
    }
    args = (repo, people[0])

    dutch = await _render("event.reminder", *args, "nl", clock, settings, i18n, params)
    english = await _render("event.reminder", *args, "en", clock, settings, i18n, params)

    assert dutch is not None and english is not None
    assert dutch.text == (
        "⏰ Herinnering: <b>Samen aan tafel</b>\n"
        "📅 di 10 mrt, 19:30–21:30\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n\n"
        "Tot dan!"
    )
    assert button_rows(dutch.reply_markup) == [["❌ Ik kan toch niet"]]
    assert english.text.startswith("⏰ Reminder: <b>Samen aan tafel</b>\n📅 Tue 10 Mar")
    kind = get_kind("event.reminder")
    assert kind is not None and kind.still_useful is not None and not kind.urgent
    assert kind.still_useful(params, START_DEFAULT - timedelta(minutes=1))
    assert not kind.still_useful(params, START_DEFAULT)  # grace: dropped once it has started


async def test_no_reminder_once_the_seat_is_given_up(
    repo: Repo, clock: FakeClock, settings: Settings, i18n: CatalogI18n
) -> None:
    event_id, people, registration_id = await _seat(repo, clock)
    await registrations.cancel(repo, event_id, people[0], now=clock.now())
    params = {"registration_id": registration_id, "event_id": event_id}

    assert (
        await _render("event.reminder", repo, people[0], "nl", clock, settings, i18n, params)
        is None
    )


async def test_kom_je_nog_has_yes_and_no(
    repo: Repo, clock: FakeClock, settings: Settings, i18n: CatalogI18n
) -> None:
    event_id, people, registration_id = await _seat(repo, clock)
    params = {"registration_id": registration_id, "event_id": event_id}

    rendered = await _render(
        "event.reconfirm", repo, people[0], "nl", clock, settings, i18n, params
    )

    assert rendered is not None
    assert rendered.text == (
        "Kom je nog naar <b>Samen aan tafel</b>?\n"
        "📅 di 10 mrt, 19:30–21:30\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n\n"
        "Kun je niet? Tik dan op Nee: dan krijgt iemand van de wachtlijst je plek."
    )
    assert button_rows(rendered.reply_markup) == [["✅ Ja", "❌ Nee"]]


async def test_promotion_is_urgent_and_offers_i_cant_come_after_all(
    repo: Repo, clock: FakeClock, settings: Settings, i18n: CatalogI18n
) -> None:
    event_id, people, _registration = await _seat(repo, clock, capacity=1)
    waiting = await registrations.sign_up(repo, event_id, people[1], now=clock.now())
    result = await registrations.cancel(repo, event_id, people[0], now=clock.now())
    assert [r.user_id for r in result.promoted] == [people[1]]
    params = {
        "registration_id": waiting.registration.id,
        "event_id": event_id,
        "starts_at": START_DEFAULT.isoformat(),
    }

    rendered = await _render("event.promoted", repo, people[1], "en", clock, settings, i18n, params)

    assert rendered is not None
    assert rendered.text == (
        "🎉 Good news! A seat came free at <b>Samen aan tafel</b>. You are now signed up.\n"
        "📅 Tue 10 Mar, 19:30–21:30\n"
        "📍 Buurthuis De Pijler, Oudegracht 1, Utrecht\n\n"
        "Can't come after all? Tap below, so the next person gets the seat."
    )
    assert button_rows(rendered.reply_markup) == [["❌ I can't come after all"]]
    kind = get_kind("event.promoted")
    assert kind is not None and kind.urgent


async def test_change_and_cancellation_messages(
    repo: Repo, clock: FakeClock, settings: Settings, i18n: CatalogI18n
) -> None:
    event_id, people, registration_id = await _seat(repo, clock)
    await change_event(
        repo,
        event_id,
        EventChanges(venue="Wijkcentrum Oost", address="", municipality="Utrecht"),
        actor_id=None,
        now=clock.now(),
    )
    params = {
        "registration_id": registration_id,
        "event_id": event_id,
        "starts_at": START_DEFAULT.isoformat(),
    }

    changed = await _render("event.changed", repo, people[0], "nl", clock, settings, i18n, params)
    assert changed is not None
    assert changed.text == (
        "📣 Gewijzigd: <b>Samen aan tafel</b> heeft een nieuwe tijd of plek:\n"
        "📅 di 10 mrt, 19:30–21:30\n"
        "📍 Wijkcentrum Oost, Utrecht\n\n"
        "Je plek blijft van jou. Kun je nu niet? Meld je hieronder af."
    )

    await event_admin.cancel_event(
        repo, event_id, actor_id=None, now=clock.now(), reason="De zaal is dicht."
    )
    cancelled = await _render(
        "event.cancelled",
        repo,
        people[0],
        "nl",
        clock,
        settings,
        i18n,
        {**params, "reason": "De zaal is dicht."},
    )
    assert cancelled is not None
    assert cancelled.text == (
        "❌ Helaas, <b>Samen aan tafel</b> op di 10 mrt, 19:30–21:30 gaat niet door.\n"
        "De zaal is dicht.\n\n"
        "Kijk bij /agenda voor een andere datum."
    )
    kind = get_kind("event.cancelled")
    assert kind is not None and kind.urgent and kind.essential
    # After the cancellation a change message that was still waiting is not sent.
    assert (
        await _render("event.changed", repo, people[0], "nl", clock, settings, i18n, params) is None
    )


async def test_a_title_that_asks_a_question_itself_gets_one_question_mark(
    repo: Repo, clock: FakeClock, settings: Settings, i18n: CatalogI18n
) -> None:
    event_id = (await make_event(repo, clock, title="Wat vind jij?")).id
    person = (await make_people(repo, clock, 1, start_id=510_000))[0]
    registration = (
        await registrations.sign_up(repo, event_id, person, now=clock.now())
    ).registration
    params = {"registration_id": registration.id, "event_id": event_id}
    rendered = await _render("event.reconfirm", repo, person, "nl", clock, settings, i18n, params)
    assert rendered is not None
    assert rendered.text.startswith("Kom je nog naar <b>Wat vind jij</b>?\n")
