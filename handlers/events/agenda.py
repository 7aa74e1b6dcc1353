"""/mijnagenda: your own sign-ups and waitlist places, each with cancel and a calendar file."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
)

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import _
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
from bot.views.agenda import my_agenda_page
from bot.views.events import cancelled_text
from bot.views.messages import edit_or_keep
from storage.repositories import Repo


async def agenda_view(
    repo: Repo, user_id: int, *, clock: Clock, settings: Settings, locale: str, page: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The tables someone leads, then their sign-ups and wishes, a page at a time."""
    mine = await agenda.my_agenda(repo, user_id, now=clock.now())
    return my_agenda_page(mine, page, locale, settings.tz)


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
