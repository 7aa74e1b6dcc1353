"""Screens of the connection features: what a refused question or introduction says."""

from __future__ import annotations

import html

from bot.i18n import _, ngettext
from bot.services.connections import introductions as intro
from bot.services.connections import peer_questions as peers
from bot.views.initiative_card import public_contact_lines


def question_prompt(theme_label: str) -> str:
    return _("🙋 Theme: <b>{theme}</b>\nNow type your question in one message.").format(
        theme=html.escape(theme_label)
    )


def question_sent_text(count: int, theme_label: str) -> str:
    return ngettext(
        "✅ Your question was sent to {count} person of initiatives that help with "
        "<b>{theme}</b>. Their answer will come here. Tap 👍 under the answer that helped.",
        "✅ Your question was sent to {count} people of initiatives that help with "
        "<b>{theme}</b>. Their answers will come here. Tap 👍 under the answer that helped.",
        count,
    ).format(count=count, theme=html.escape(theme_label))


def peer_refusal(exc: peers.PeerError) -> str:
    if isinstance(exc, peers.PeerTextLengthError):
        return _("Please write {low} to {high} characters.").format(
            low=peers.MIN_TEXT, high=peers.MAX_TEXT
        )
    if isinstance(exc, peers.QuestionLimitError):
        return _(
            "You've asked {limit} questions today; that's the limit. Try again tomorrow."
        ).format(limit=peers.DAILY_QUESTIONS)
    if isinstance(exc, peers.NoHelpersError | peers.UnknownThemeError):
        return _(
            "Nobody offers help on this theme right now. Look in the knowledge base: /knowledge"
        )
    if isinstance(exc, peers.AlreadyAnsweredError):
        return _("You answered this question already. Thank you!")
    return _("This question is no longer open for you.")


def intro_refusal(exc: intro.IntroError) -> str:
    """What the user reads when the bot can't pass a message on."""
    if isinstance(exc, intro.TextLengthError):
        return _("Please write a message of {low} to {high} characters.").format(
            low=intro.MIN_TEXT, high=intro.MAX_TEXT
        )
    if isinstance(exc, intro.DailyLimitError):
        return _(
            "You've reached today's limit of {limit}. This keeps Samenspel pleasant for "
            "everyone. Try again tomorrow."
        ).format(limit=exc.limit)
    if isinstance(exc, intro.BlockedError):
        return _("Sorry, you can't send messages to this initiative.")
    if isinstance(exc, intro.OwnInitiativeError):
        return _("This is your own initiative. 🙂")
    if isinstance(exc, intro.ThreadClosedError):
        return _("This conversation has been closed, so nothing more is passed on.")
    if isinstance(exc, intro.NoMembersError):
        initiative = exc.initiative
        lines = public_contact_lines(initiative)
        name = html.escape(initiative.name)
        if not lines:
            return _(
                "Nobody of <b>{name}</b> uses Samenspel yet, and they have no public contact "
                "details."
            ).format(name=name)
        head = _("Nobody of <b>{name}</b> uses Samenspel yet. You can reach them here:")
        return "\n".join([head.format(name=name), *lines])
    if isinstance(exc, intro.InitiativeUnavailableError):
        return _("I can't find that initiative (any more).")
    return _("This conversation is not yours, or it no longer exists.")


def writer_question(initiative_name: str) -> str:
    return _("Who is writing to <b>{name}</b>: you yourself, or your initiative?").format(
        name=html.escape(initiative_name)
    )


def first_message_sent_text(initiative_name: str) -> str:
    return _(
        "✅ Sent to <b>{name}</b>. Their answer will come here in this chat.\n"
        "They don't see who you are. Want them to? Tap 🤝 Share my contact under their answer."
    ).format(name=html.escape(initiative_name))
