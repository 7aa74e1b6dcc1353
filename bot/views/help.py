"""The welcome, and the /help text: every command a person can use in their role, grouped by
what it is for, with the names of the person's own language."""

from __future__ import annotations

import html

from bot.commands import entries_for
from bot.i18n import _


def welcome_text(first_name: str) -> str:
    return _(
        "Hi {name}! 👋 Welcome to <b>Samenspel</b>.\n\n"
        "Here you can find residents' initiatives in the province of Utrecht, "
        "sign up for dialogue tables and trainings, and get in touch with each other.\n\n"
        "Choose below what you want to do, or just type what you are looking for. "
        "You can also type /help."
    ).format(name=html.escape(first_name))


def help_text(locale: str, *, coordinator: bool = False, facilitator: bool = False) -> str:
    lines = [_("<b>What can I do?</b>")]
    section = None
    for entry in entries_for(coordinator=coordinator, facilitator=facilitator):
        if not entry.section:
            continue
        if entry.section != section:
            section = entry.section
            lines += ["", f"<b>{_(section)}</b>"]
        lines.append(f"/{entry.name(locale)} – {_(entry.description)}")
    lines += [
        "",
        _(
            "You can also just type what you are looking for, for example <i>moestuin "
            "Zeist</i>. /menu shows everything at a glance. You don't need a password: your "
            "Telegram account is your login."
        ),
    ]
    return "\n".join(lines)
