"""/mijn and /profiel: the member's own initiatives, the card with its buttons (edit, publish,
take offline, delete), the "Klopt dit nog?" answers, and `?start=i_<id>` links to a card."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.deeplinks import deep_link
from bot.i18n import _
from bot.keyboards import initiative_card as cards
from bot.keyboards.callbacks import InitiativeCallback, MenuCallback
from bot.keyboards.connections import contact_keyboard
from bot.middlewares.data import HandlerData
from bot.services.initiatives import profiles as initiatives
from bot.services.initiatives.errors import InitiativeError
from bot.services.initiatives.profiles import (
    HiddenByCoordinatorError,
    IncompleteProfileError,
    Membership,
    NotAnOwnerError,
)
from bot.views.initiative_card import card_text, member_card_text
from storage.models import User
from storage.repositories import Repo


def not_yours_text() -> str:
    return _("This initiative doesn't exist any more, or you are no longer a member.")


async def _show_list(message: Message, user: User, repo: Repo) -> None:
    memberships = await initiatives.my_initiatives(repo, user.id)
    if memberships:
        text = _("<b>Your initiatives</b>\nTap one to see or change it.")
    else:
        text = _(
            "You don't have an initiative in Samenspel yet. Want to add one? "
            "It takes about three minutes."
        )
    await message.answer(text, reply_markup=cards.my_list_keyboard(memberships))


def card_view(membership: Membership, locale: str, clock: Clock, user: User) -> str:
    text = member_card_text(membership.initiative, locale, clock.now())
    if user.is_coordinator:
        text += f"\n#{membership.initiative.id}"
    return text


async def cmd_mine(
    message: Message, command: CommandObject, user: User, repo: Repo, locale: str, clock: Clock
) -> None:
    """The list of the user's initiatives; `/profiel <number>` opens one card directly."""
    argument = (command.args or "").strip().lstrip("#")
    if argument.isdigit():
        await _open_card(message, int(argument), user, repo, locale, clock)
        return
    await _show_list(message, user, repo)


async def cb_menu_mine(query: CallbackQuery, user: User, repo: Repo) -> None:
    """The menu's "My initiatives" button."""
    await query.answer()
    if isinstance(query.message, Message):
        await _show_list(query.message, user, repo)


async def _open_card(
    message: Message, initiative_id: int, user: User, repo: Repo, locale: str, clock: Clock
) -> bool:
    found = await initiatives.open_public(repo, initiative_id, user.id)
    if found is None:
        await message.answer(_("I can't find that initiative."))
        return False
    if found.role:
        await message.answer(
            card_view(found, locale, clock, user), reply_markup=cards.card_keyboard(found)
        )
    else:
        text = card_text(found.initiative, locale, clock.now())
        if user.is_coordinator:
            text += f"\n#{found.initiative.id}"
        await message.answer(text, reply_markup=contact_keyboard(found.initiative.id))
    return True


@deep_link("i_")
async def open_initiative_link(message: Message, argument: str, data: HandlerData) -> bool:
    """`?start=i_<id>` opens the card of that initiative."""
    if not argument.isdigit():
        return False
    return await _open_card(
        message, int(argument), data["user"], data["repo"], data["locale"], data["clock"]
    )


async def cb_card(
    query: CallbackQuery,
    callback_data: InitiativeCallback,
    user: User,
    repo: Repo,
    locale: str,
    clock: Clock,
) -> None:
    """The card's buttons: open, edit (field list), publish (asks consent), take offline,
    delete (asks to confirm), and "Klopt" on the freshness question."""
    message = query.message if isinstance(query.message, Message) else None
    action, ident, now = callback_data.action, callback_data.id, clock.now()
    try:
        if action == "pubyes":
            await initiatives.publish(repo, ident, user.id, now=now)
        elif action == "unpub":
            await initiatives.unpublish(repo, ident, user.id, now=now)
        elif action == "delyes":
            name = await initiatives.delete(repo, ident, user.id, now=now)
            await query.answer()
            if message is not None:
                await message.edit_text(
                    _("🗑 <b>{name}</b> has been deleted.").format(name=html.escape(name))
                )
            return
        elif action == "fresh":
            initiative = await initiatives.confirm_fresh(repo, ident, user.id, now=now)
            await query.answer(_("Thank you!"))
            if message is not None:
                await message.edit_text(
                    _("✅ Thanks for checking! <b>{name}</b> is marked as up to date.").format(
                        name=html.escape(initiative.name)
                    )
                )
            return
        membership = await initiatives.open_as_member(repo, ident, user.id)
    except HiddenByCoordinatorError:
        await query.answer(
            _("A coordinator has hidden this profile, so it can't be published now."),
            show_alert=True,
        )
        return
    except IncompleteProfileError:
        await query.answer(_("Fill in the missing answers first (✏️ Edit)."), show_alert=True)
        return
    except NotAnOwnerError:
        await query.answer(_("Only owners can delete an initiative."), show_alert=True)
        return
    except InitiativeError:
        await query.answer(not_yours_text(), show_alert=True)
        return
    answer = {"pubyes": _("Published."), "unpub": _("Taken offline.")}.get(action)
    await query.answer(answer)
    if message is None:
        return
    name = html.escape(membership.initiative.name)
    if action == "edit":
        await message.edit_reply_markup(reply_markup=cards.field_picker(ident))
    elif action == "pub":
        await message.edit_text(
            _(
                "<b>Publish {name}?</b>\nThen everyone can see this profile in Samenspel. "
                "You can take it offline again at any time."
            ).format(name=name),
            reply_markup=cards.confirm_keyboard(
                ident, "pubyes", _("✅ Yes, publish"), _("Not now")
            ),
        )
    elif action == "del":
        await message.edit_text(
            _(
                "<b>Delete {name}?</b>\nThe profile and its members list are removed for good."
            ).format(name=name),
            reply_markup=cards.confirm_keyboard(ident, "delyes", _("🗑 Yes, delete"), _("Keep it")),
        )
    else:
        await message.edit_text(
            card_view(membership, locale, clock, user), reply_markup=cards.card_keyboard(membership)
        )


_CARD_ACTIONS = ("open", "edit", "pub", "pubyes", "unpub", "del", "delyes", "fresh")


def create_router() -> Router:
    router = Router(name="initiatives_manage")
    router.message.register(cmd_mine, Command("mijn", "mine", "profiel", "profile"))
    router.callback_query.register(cb_menu_mine, MenuCallback.filter(F.action == "my_initiatives"))
    router.callback_query.register(cb_card, InitiativeCallback.filter(F.action.in_(_CARD_ACTIONS)))
    return router
