"""/mijnagenda: your own sign-ups and waitlist places, each with cancel and a calendar file."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import _, ngettext
from bot.keyboards.callbacks import (
    EventAction,
    EventCallback,
    MenuAction,
    MenuCallback,
    WishAction,
    WishCallback,
)
from bot.services.events import agenda, registrations, wishes
from bot.services.events.registrations import (
    CancelResult,
    EventNotFoundError,
    EventNotOpenError,
    NotRegisteredError,
)
from bot.views.agenda import agenda_duties
from bot.views.dates import format_span
from bot.views.event_card import title_line
from bot.views.events import cancelled_text
from bot.views.messages import edit_or_keep
from bot.views.pages import nav_row, page_of
from bot.views.wishes import wish_line
from storage.models import RegistrationStatus
from storage.repositories import Repo

# Entries per page: two buttons each, and lines that stay well within one message.
AGENDA_PER_PAGE = 8


async def agenda_view(
    repo: Repo, user_id: int, *, clock: Clock, settings: Settings, locale: str, page: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The tables someone leads, then their sign-ups, numbered, a page at a time."""
    mine = await agenda.my_agenda(repo, user_id, now=clock.now())
    wished = await wishes.of_user(repo, user_id, now=clock.now())
    if not mine.entries and not mine.duties and not wished:
        return _("Your agenda is empty. See what's on with /agenda."), None
    duty_lines, duty_rows = agenda_duties(mine.duties, locale, settings.tz)
    items = list(zip(duty_lines, duty_rows, strict=True))
    for number, (registration, event) in enumerate(mine.entries, start=len(duty_rows) + 1):
        when = format_span(event.starts_at, event.ends_at, locale, settings.tz)
        if registration.status == RegistrationStatus.WAITLISTED:
            state = "⏳ " + _("waitlist: number {position}").format(
                position=registration.waitlist_position
            )
        else:
            state = "✅ " + _("signed up")
        if registration.party_size > 1:
            state += " · " + ngettext(
                "{count} person", "{count} people", registration.party_size
            ).format(count=registration.party_size)
        line = (
            f"{number}. {title_line(event)}\n    {when} · {html.escape(event.municipality)}"
            f"\n    {state}"
        )
        row = [
            InlineKeyboardButton(
                text=_("📆 Calendar {number}").format(number=number),
                callback_data=EventCallback(action=EventAction.ICS, event_id=event.id).pack(),
            ),
            InlineKeyboardButton(
                text=_("❌ Cancel {number}").format(number=number),
                callback_data=EventCallback(action=EventAction.UNLIST, event_id=event.id).pack(),
            ),
        ]
        items.append((line, row))
    for wish in wished:
        line = "🔔 " + _("On your list: {wish}").format(wish=wish_line(wish, locale, settings.tz))
        drop = WishCallback(action=WishAction.DROP, id=wish.id).pack()
        items.append(
            (line, [InlineKeyboardButton(text="✖ " + _("Off my list"), callback_data=drop)])
        )
    shown = page_of(items, page, AGENDA_PER_PAGE)
    lines = ["🗓 <b>" + _("My agenda") + "</b>", "", *(line for line, _row in shown.items)]
    rows = [row for _line, row in shown.items]
    nav = nav_row(
        shown.number,
        shown.total,
        lambda n: MenuCallback(action=MenuAction.MY_AGENDA_PAGE, page=n).pack(),
    )
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[*rows, nav] if nav else rows)


async def cmd_my_agenda(
    message: Message, repo: Repo, clock: Clock, settings: Settings, locale: str
) -> None:
    """Lists your upcoming sign-ups and waitlist places."""
    if message.from_user is None:
        return
    text, keyboard = await agenda_view(
        repo, message.from_user.id, clock=clock, settings=settings, locale=locale
    )
    await message.answer(text, reply_markup=keyboard)


async def cb_menu_my_agenda(
    query: CallbackQuery,
    callback_data: MenuCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """The menu's "my agenda" button; ◀ ▶ turn its pages in place."""
    await query.answer()
    if isinstance(query.message, Message):
        text, keyboard = await agenda_view(
            repo,
            query.from_user.id,
            clock=clock,
            settings=settings,
            locale=locale,
            page=callback_data.page,
        )
        if callback_data.action == MenuAction.MY_AGENDA_PAGE:
            await edit_or_keep(query.message, text, keyboard)
        else:
            await query.message.answer(text, reply_markup=keyboard)


async def cb_calendar(
    query: CallbackQuery, callback_data: EventCallback, repo: Repo, clock: Clock, settings: Settings
) -> None:
    """Sends the event as an .ics file to add to any calendar."""
    try:
        name, content = await agenda.calendar_file(
            repo, callback_data.event_id, now=clock.now(), tz=settings.tz
        )
    except EventNotFoundError:
        await query.answer(_("This event no longer exists."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer_document(
            BufferedInputFile(content, filename=name),
            caption=_("Open this file to add the event to your calendar."),
        )


def _unlisted_answer(result: CancelResult) -> tuple[str, bool]:
    """The answer to a cancellation from the agenda, and whether it is an alert."""
    if result.late:
        return cancelled_text(result)
    return _("You're cancelled. Thanks for letting us know!"), False


async def cb_unlist(
    query: CallbackQuery,
    callback_data: EventCallback,
    repo: Repo,
    clock: Clock,
    settings: Settings,
    locale: str,
) -> None:
    """Cancels from the agenda and shows the agenda again."""
    try:
        result = await registrations.cancel(
            repo, callback_data.event_id, query.from_user.id, now=clock.now()
        )
    except (EventNotFoundError, EventNotOpenError, NotRegisteredError):
        await query.answer(_("This sign-up is no longer active."), show_alert=True)
    else:
        await query.answer(*_unlisted_answer(result))
    if isinstance(query.message, Message):
        text, keyboard = await agenda_view(
            repo, query.from_user.id, clock=clock, settings=settings, locale=locale
        )
        await edit_or_keep(query.message, text, keyboard)


async def cb_drop_wish(
    query: CallbackQuery, callback_data: WishCallback, repo: Repo, clock: Clock, settings: Settings,
    locale: str,
) -> None:  # fmt: skip
    """✖ next to a wish in /mijnagenda."""
    removed = await wishes.remove(repo, query.from_user.id, callback_data.id)
    await query.answer(_("Taken off your list.") if removed else _("That was not on your list."))
    if isinstance(query.message, Message):
        text, keyboard = await agenda_view(
            repo, query.from_user.id, clock=clock, settings=settings, locale=locale
        )
        await edit_or_keep(query.message, text, keyboard)


def create_router() -> Router:
    router = Router(name="agenda")
    router.message.register(cmd_my_agenda, Command("mijnagenda", "myagenda"))
    router.callback_query.register(
        cb_menu_my_agenda,
        MenuCallback.filter(F.action.in_((MenuAction.MY_AGENDA, MenuAction.MY_AGENDA_PAGE))),
    )
    router.callback_query.register(cb_calendar, EventCallback.filter(F.action == EventAction.ICS))
    router.callback_query.register(cb_unlist, EventCallback.filter(F.action == EventAction.UNLIST))
    router.callback_query.register(cb_drop_wish, WishCallback.filter(F.action == WishAction.DROP))
    return router
