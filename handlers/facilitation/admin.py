"""Coordinators and facilitation: `/begeleiding <event>` (who was asked, whom to ask, open call,
certificate, how many), `/verzoek <event> <facilitator>`, `/certificeer <person> <level>`, and
the buttons of alerts and of the event card."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.filters.roles import IsCoordinator
from bot.i18n import _, ngettext
from bot.keyboards.callbacks import FacAdminAction, FacAdminCallback
from bot.keyboards.facilitation import panel_keyboard
from bot.services.events.registrations import EventNotFoundError
from bot.services.facilitation import open_calls, renewals
from bot.services.facilitation import pool as facilitation
from bot.services.facilitation import requests as facilitation_requests
from bot.services.facilitation.pool import (
    FacilitationError,
    UnknownLevelError,
    UnknownPersonError,
)
from bot.views.certificates import (
    certificates_text,
    certified_text,
    certify_usage,
    revoke_usage,
    revoked_text,
)
from bot.views.facilitation_panel import asked_text, panel_text, table_refusal
from storage.repositories import Repo


async def _send_panel(
    message: Message, event_id: int, repo: Repo, clock: Clock, settings: Settings, locale: str
) -> None:
    try:
        found = await facilitation.overview(repo, event_id, now=clock.now())
    except EventNotFoundError as problem:
        await message.answer(table_refusal(problem, event_id))
        return
    await message.answer(panel_text(found, settings, locale), reply_markup=panel_keyboard(found))


def _event_id(command: CommandObject) -> tuple[int | None, str]:
    first, _sep, rest = (command.args or "").strip().partition(" ")
    first = first.lstrip("#")
    return (int(first) if first.isdigit() else None), rest.strip()


async def cmd_facilitators(
    message: Message, command: CommandObject, repo: Repo, clock: Clock, settings: Settings,
    locale: str,
) -> None:  # fmt: skip
    """/begeleiding <event>: the table's facilitators, and buttons to ask someone."""
    event_id, _rest = _event_id(command)
    if event_id is None:
        await message.answer(
            _("Add the table's number, for example: <code>/facilitators 12</code>")
        )
        return
    await _send_panel(message, event_id, repo, clock, settings, locale)


async def cmd_request(message: Message, command: CommandObject, repo: Repo, clock: Clock) -> None:
    """/verzoek <event> <facilitator>: asks one facilitator, or says why not."""
    event_id, who = _event_id(command)
    if event_id is None or not who or message.from_user is None:
        await message.answer(
            _(
                "Add the table's number and the facilitator, for example: "
                "<code>/request 12 @fatima</code>"
            )
        )
        return
    try:
        _request, person, event = await facilitation_requests.ask(
            repo, event_id=event_id, target=who, coordinator_id=message.from_user.id,
            now=clock.now(),
        )  # fmt: skip
    except (FacilitationError, EventNotFoundError) as problem:
        await message.answer(table_refusal(problem, event_id))
        return
    await message.answer(asked_text(person.first_name, event.title))


async def cmd_certify(message: Message, command: CommandObject, repo: Repo, clock: Clock) -> None:
    """/certificeer <person> <level>: records a certificate someone has."""
    who, _sep, word = (command.args or "").strip().rpartition(" ")
    if not who or message.from_user is None:
        await message.answer(certify_usage())
        return
    try:
        level = facilitation.parse_level(word)
        person, granted = await facilitation.grant_certificate(
            repo, actor_id=message.from_user.id, target=who.strip(), level=level, now=clock.now()
        )
    except UnknownLevelError:
        await message.answer(certify_usage())
        return
    except UnknownPersonError as problem:
        await message.answer(table_refusal(problem, 0))
        return
    await message.answer(certified_text(person.first_name, level, granted=granted))


async def cmd_revoke(message: Message, command: CommandObject, repo: Repo, clock: Clock) -> None:
    """/intrekken <person> <level> <reason>: takes a certificate back; the person is told."""
    parts = facilitation.revocation_parts(command.args or "")
    if parts is None or message.from_user is None:
        await message.answer(revoke_usage())
        return
    who, level, reason = parts
    try:
        person, revoked = await facilitation.revoke_certificate(
            repo, actor_id=message.from_user.id, target=who, level=level, reason=reason,
            now=clock.now(),
        )  # fmt: skip
    except UnknownPersonError as problem:
        await message.answer(table_refusal(problem, 0))
        return
    await message.answer(revoked_text(person.first_name, level, revoked=revoked))


async def cb_ask(
    query: CallbackQuery, callback_data: FacAdminCallback, repo: Repo, clock: Clock,
    settings: Settings, locale: str,
) -> None:  # fmt: skip
    """[Ask …] on the overview: sends that facilitator the request."""
    await query.answer()
    if not isinstance(query.message, Message) or not callback_data.value.isdigit():
        return
    event_id = callback_data.event_id
    try:
        _request, person, event = await facilitation_requests.ask(
            repo, event_id=event_id, target=int(callback_data.value),
            coordinator_id=query.from_user.id, now=clock.now(),
        )  # fmt: skip
    except (FacilitationError, EventNotFoundError) as problem:
        await query.message.answer(table_refusal(problem, event_id))
        return
    await query.message.answer(
        _("📨 Asked {name} to lead <b>{title}</b>. You'll hear the answer here.").format(
            name=html.escape(person.first_name), title=html.escape(event.title)
        )
    )
    await _send_panel(query.message, event_id, repo, clock, settings, locale)


async def cb_open_call(
    query: CallbackQuery, callback_data: FacAdminCallback, repo: Repo, clock: Clock,
    settings: Settings,
) -> None:  # fmt: skip
    """[Open call]: every free, certified facilitator is invited; the first yes takes it."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    try:
        result = await open_calls.start(
            repo, callback_data.event_id, coordinator_id=query.from_user.id, now=clock.now(),
            tz=settings.tz,
        )  # fmt: skip
    except (FacilitationError, EventNotFoundError) as problem:
        await query.message.answer(table_refusal(problem, callback_data.event_id))
        return
    await query.message.answer(
        ngettext(
            "📣 Open call for <b>{title}</b> sent to {count} facilitator. "
            "The first yes takes it; you'll hear who.",
            "📣 Open call for <b>{title}</b> sent to {count} facilitators. "
            "The first yes takes it; you'll hear who.",
            result.invited,
        ).format(title=html.escape(result.event.title), count=result.invited)
    )


async def cb_configure(
    query: CallbackQuery, callback_data: FacAdminCallback, repo: Repo, clock: Clock,
    settings: Settings, locale: str,
) -> None:  # fmt: skip
    """The certificate level or the number of facilitators a table needs; the overview again."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    value, event_id, now = callback_data.value, callback_data.event_id, clock.now()
    level = value if callback_data.action == FacAdminAction.LEVEL else None
    change = value in ("-1", "+1") and callback_data.action == FacAdminAction.NEED
    try:
        await facilitation.configure(
            repo, event_id, actor_id=query.from_user.id, now=now, level=level,
            needed_change=int(value) if change else 0,
        )  # fmt: skip
        found = await facilitation.overview(repo, event_id, now=now)
    except (FacilitationError, EventNotFoundError) as problem:
        await query.message.answer(table_refusal(problem, event_id))
        return
    await query.message.edit_text(
        panel_text(found, settings, locale), reply_markup=panel_keyboard(found)
    )


async def cb_panel(
    query: CallbackQuery, callback_data: FacAdminCallback, repo: Repo, clock: Clock,
    settings: Settings, locale: str,
) -> None:  # fmt: skip
    """[Ask someone] / [Facilitators]: the table's overview with whom to ask."""
    await query.answer()
    if isinstance(query.message, Message):
        await _send_panel(query.message, callback_data.event_id, repo, clock, settings, locale)


async def cmd_certificates(message: Message, repo: Repo, clock: Clock, settings: Settings) -> None:
    """/certificaten: every certificate and until when it counts, soonest lapse first."""
    holdings = await renewals.lapse_overview(repo)
    await message.answer(certificates_text(holdings, now=clock.now(), tz=settings.tz))


def create_router() -> Router:
    router = Router(name="facilitation_admin")
    coordinator = IsCoordinator()
    router.message.register(cmd_facilitators, Command("begeleiding", "facilitators"), coordinator)
    router.message.register(cmd_request, Command("verzoek", "request"), coordinator)
    router.message.register(cmd_certify, Command("certificeer", "certify"), coordinator)
    router.message.register(cmd_revoke, Command("intrekken", "revoke"), coordinator)
    router.message.register(cmd_certificates, Command("certificaten", "certificates"), coordinator)
    action = FacAdminCallback.filter
    router.callback_query.register(cb_panel, action(F.action == FacAdminAction.PANEL), coordinator)
    router.callback_query.register(cb_ask, action(F.action == FacAdminAction.ASK), coordinator)
    router.callback_query.register(
        cb_open_call, action(F.action == FacAdminAction.CALL), coordinator
    )
    router.callback_query.register(
        cb_configure, action(F.action.in_({FacAdminAction.LEVEL, FacAdminAction.NEED})), coordinator
    )
    return router
