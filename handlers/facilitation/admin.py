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
from bot.i18n import N_, _, ngettext
from bot.keyboards.callbacks import FacAdminAction, FacAdminCallback
from bot.keyboards.facilitation import panel_keyboard
from bot.quiet_hours import PROVINCE_TIME
from bot.services.events.registrations import EventNotFoundError
from bot.services.facilitation import open_calls, renewals
from bot.services.facilitation import pool as facilitation
from bot.services.facilitation import requests as facilitation_requests
from bot.services.facilitation.open_calls import NoCandidatesError
from bot.services.facilitation.pool import (
    AlreadyAskedError,
    EventOverError,
    FacilitationError,
    LapsedCertificateError,
    MissingCertificateError,
    NoFacilitatorNeededError,
    NotAFacilitatorError,
    TableOverview,
    UnavailableError,
    UnknownLevelError,
    UnknownPersonError,
    UnreachableError,
)
from bot.views.certificates import certificates_text
from bot.views.dates import format_span, long_date
from bot.views.event_card import level_label
from storage.repositories import Repo

STATUS_LABELS = {
    "pending": N_("⏳ no answer yet"),
    "accepted": N_("✅ yes"),
    "declined": N_("❌ no"),
    "withdrawn": N_("🙅 withdrew"),
    "filled": N_("➖ someone else was first"),
    "cancelled": N_("➖ no longer needed"),
}
MAX_LISTED = 10


def panel_text(found: TableOverview, settings: Settings, locale: str) -> str:
    event = found.event
    when = format_span(event.starts_at, event.ends_at, locale, settings.tz)
    lines = [
        "🧑‍🏫 <b>" + _("Facilitators: {title}").format(title=html.escape(event.title)) + "</b>",
        f"📅 {when} · {html.escape(event.municipality)}",
        "🎓 " + _("Certificate needed: {level}").format(level=level_label(found.level)),
        "✅ "
        + _("{confirmed} of {needed} facilitators confirmed").format(
            confirmed=event.facilitators_confirmed, needed=event.facilitators_needed
        ),
        "",
    ]
    if found.requests:
        lines.append(_("Asked:"))
        for request, person in found.requests[-MAX_LISTED:]:
            label = _(STATUS_LABELS.get(request.status, request.status))
            lines.append(f"• {html.escape(person.first_name)} — {label}")
    else:
        lines.append(_("Nobody has been asked yet."))
    lines += [
        "",
        _("Free to ask, with this certificate: {count}").format(count=len(found.candidates)),
    ]
    return "\n".join(lines)


def refusal(problem: Exception, event_id: int) -> str:
    """Why a request or an open call cannot be made, in words."""
    if isinstance(problem, EventNotFoundError):
        return _("There is no table with number {id}.").format(id=event_id)
    if isinstance(problem, UnknownPersonError):
        return _(
            "I don't know {who}. Use their @username, their Telegram number or, for a "
            "facilitator, their first name. They must have started the bot once."
        ).format(who=html.escape(str(problem)))
    if isinstance(problem, NotAFacilitatorError):
        return _("{name} is not a facilitator. Make them one first with /role.").format(
            name=html.escape(problem.name)
        )
    if isinstance(problem, MissingCertificateError):
        return _(
            "{name} can't lead this table: it needs the certificate {level}, and {name} "
            "doesn't have it. If they do, record it with /certify."
        ).format(name=html.escape(problem.name), level=level_label(problem.level))
    if isinstance(problem, LapsedCertificateError):
        return _(
            "{name} can't lead this table: the certificate {level} lapsed on {date}. A new "
            "training {level} renews it (or record it again with /certify)."
        ).format(
            name=html.escape(problem.name),
            level=level_label(problem.level),
            date=long_date(problem.lapses_at, PROVINCE_TIME),
        )
    if isinstance(problem, UnreachableError):
        return _("{name} has blocked the bot, so a request would not arrive.").format(
            name=html.escape(problem.name)
        )
    if isinstance(problem, UnavailableError):
        return _("{name} is not available at that time.").format(name=html.escape(problem.name))
    if isinstance(problem, AlreadyAskedError):
        if problem.status == "accepted":
            return _("{name} already leads this table.").format(name=html.escape(problem.name))
        return _("{name} has already been asked and hasn't answered yet.").format(
            name=html.escape(problem.name)
        )
    if isinstance(problem, NoFacilitatorNeededError):
        return _("This table has all the facilitators it needs.")
    if isinstance(problem, EventOverError):
        return _("This table has already started.")
    if isinstance(problem, NoCandidatesError):
        return _(
            "Nobody else can be invited: no facilitator with the certificate {level} is free "
            "then (or under their monthly maximum)."
        ).format(level=level_label(problem.level))
    return _("That didn't work. Please try again.")


async def _send_panel(
    message: Message, event_id: int, repo: Repo, clock: Clock, settings: Settings, locale: str
) -> None:
    try:
        found = await facilitation.overview(repo, event_id, now=clock.now())
    except EventNotFoundError as problem:
        await message.answer(refusal(problem, event_id))
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
        await message.answer(refusal(problem, event_id))
        return
    await message.answer(_asked_text(person.first_name, event.title))


def _asked_text(name: str, title: str) -> str:
    return _("📨 Asked {name} to lead <b>{title}</b>. You'll hear the answer here.").format(
        name=html.escape(name), title=html.escape(title)
    )


async def cmd_certify(message: Message, command: CommandObject, repo: Repo, clock: Clock) -> None:
    """/certificeer <person> <level>: records a certificate someone has."""
    who, _sep, word = (command.args or "").strip().rpartition(" ")
    if not who or message.from_user is None:
        await message.answer(_certify_usage())
        return
    try:
        level = facilitation.parse_level(word)
        person, granted = await facilitation.grant_certificate(
            repo, actor_id=message.from_user.id, target=who.strip(), level=level, now=clock.now()
        )
    except UnknownLevelError:
        await message.answer(_certify_usage())
        return
    except UnknownPersonError as problem:
        await message.answer(refusal(problem, 0))
        return
    name, label = html.escape(person.first_name), level_label(level)
    text = (
        _("🎓 {name} now has the certificate {level}.")
        if granted
        else _("{name} already had the certificate {level}.")
    )
    await message.answer(text.format(name=name, level=label))


async def cmd_revoke(message: Message, command: CommandObject, repo: Repo, clock: Clock) -> None:
    """/intrekken <person> <level> <reason>: takes a certificate back; the person is told."""
    words = (command.args or "").split()
    level_at = next(
        (i for i, word in enumerate(words) if i > 0 and facilitation.is_level(word)), None
    )
    if level_at is None or message.from_user is None or level_at == len(words) - 1:
        await message.answer(_revoke_usage())
        return
    who, level = " ".join(words[:level_at]), facilitation.parse_level(words[level_at])
    reason = " ".join(words[level_at + 1 :])
    try:
        person, revoked = await facilitation.revoke_certificate(
            repo, actor_id=message.from_user.id, target=who, level=level, reason=reason,
            now=clock.now(),
        )  # fmt: skip
    except UnknownPersonError as problem:
        await message.answer(refusal(problem, 0))
        return
    name, label = html.escape(person.first_name), level_label(level)
    text = (
        _("🎓 The certificate {level} of {name} is taken back. I've told {name}, with the reason.")
        if revoked
        else _("{name} doesn't have the certificate {level}.")
    )
    await message.answer(text.format(name=name, level=label))


def _revoke_usage() -> str:
    return _(
        "Add the person, the certificate (basis, kinder or spannend) and the reason, for "
        "example: <code>/revoke @fatima kinder recorded by mistake</code>"
    )


def _certify_usage() -> str:
    return _(
        "Add the person and the certificate (basis, kinder or spannend), for example: "
        "<code>/certify @fatima kinder</code>"
    )


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
        await query.message.answer(refusal(problem, event_id))
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
        await query.message.answer(refusal(problem, callback_data.event_id))
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
        await query.message.answer(refusal(problem, event_id))
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
