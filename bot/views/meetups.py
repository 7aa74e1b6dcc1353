"""How themed-meetup proposals look to a coordinator: one proposal with its initiatives, or
several from the same month as one list to choose from."""

from __future__ import annotations

import html

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import _, ngettext
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import MeetupProposalAction, MeetupProposalCallback
from bot.keyboards.connections import proposal_keyboard
from bot.labels import theme_label
from bot.services.connections.meetups import RADIUS_KM
from storage.models import Initiative, MeetupProposal

# Buttons of a list message (Telegram allows 100); the text names how many more there are.
MAX_LISTED = 40


def proposal_view(
    proposal: MeetupProposal, initiatives: list[Initiative], locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    """One proposal: the theme, the initiatives around its centre, and [Create] [Not now]."""
    lines = [
        _(
            "📍 <b>Idea for a themed meetup: {theme}</b>\n"
            "{count} initiatives on this theme are within {km} km of each other around "
            "{place}:"
        ).format(
            theme=html.escape(theme_label(proposal.theme, locale)),
            count=len(initiatives),
            km=RADIUS_KM,
            place=html.escape(proposal.municipality or "…"),
        )
    ]
    for initiative in initiatives:
        place = f" ({html.escape(initiative.municipality)})" if initiative.municipality else ""
        lines.append(f"• {html.escape(initiative.name)}{place}")
    lines.append(
        _(
            "One tap creates a draft meetup, hosted by the first initiative, and invites "
            "their members. You can change the details before the invitations go out."
        )
    )
    return "\n".join(lines), proposal_keyboard(proposal.id)


def proposals_list_view(
    proposals: list[MeetupProposal], locale: str
) -> tuple[str, InlineKeyboardMarkup]:
    """Several proposals at once: one message with a numbered list and a button for each."""
    lines = [
        "📍 <b>"
        + ngettext(
            "{count} idea for a themed meetup",
            "{count} ideas for themed meetups",
            len(proposals),
        ).format(count=len(proposals))
        + "</b>",
        _("Initiatives on the same theme within {km} km of each other:").format(km=RADIUS_KM),
        "",
    ]
    builder = InlineKeyboardBuilder()
    for number, proposal in enumerate(proposals[:MAX_LISTED], start=1):
        theme = theme_label(proposal.theme, locale)
        place = proposal.municipality or "…"
        count = len(proposal.initiative_ids or [])
        lines.append(
            f"{number}. <b>{html.escape(theme)}</b> — "
            + ngettext(
                "around {place}, {count} initiative",
                "around {place}, {count} initiatives",
                count,
            ).format(place=html.escape(place), count=count)
        )
        builder.button(
            text=f"{number}. {theme} ({place})",
            callback_data=MeetupProposalCallback(action=MeetupProposalAction.OPEN, id=proposal.id),
        )
    hidden = len(proposals) - MAX_LISTED
    if hidden > 0:
        lines.append(
            ngettext("…and {count} more.", "…and {count} more.", hidden).format(count=hidden)
        )
    lines += ["", _("Tap an idea to see its initiatives and to create the meetup.")]
    builder.adjust(1)
    return "\n".join(lines), builder.as_markup()
