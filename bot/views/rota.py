"""What the monthly availability poll and the rota proposal look like: the days to tick for a
facilitator, and per table whom to ask for the coordinators."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, time, tzinfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dates import format_day, format_moment, period_label
from bot.i18n import _, ngettext
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import PollCallback, RotaCallback
from bot.paging import cut
from bot.services.events.periods import day_code
from bot.services.facilitation.rota import PollView, Rota

# Lines of the proposal shown in one message; every table is sent, also those not shown.
MAX_SHOWN = 40


def _day_label(day: date, locale: str) -> str:
    return format_day(datetime.combine(day, time(12), UTC), locale, UTC)


def poll_text(view: PollView, locale: str) -> str:
    month = period_label(view.month, locale)
    return "\n".join(
        [
            "🗓 <b>"
            + _("On which days in {month} can you lead a table?").format(month=month)
            + "</b>",
            "",
            _(
                "These are the days of the tables that still need someone. Tick every day "
                "that suits you, then tap Done. This is no promise yet: the coordinators ask "
                "you per table, and you answer as always."
            ),
        ]
    )


def poll_keyboard(view: PollView, locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for day in view.days:
        chosen = day in view.chosen
        builder.button(
            text=("✓ " if chosen else "") + _day_label(day, locale),
            callback_data=PollCallback(month=view.month, day=day_code(day), on=not chosen),
        )
    builder.adjust(3)
    builder.row(
        InlineKeyboardButton(
            text="✅ " + _("Done"), callback_data=PollCallback(month=view.month).pack()
        )
    )
    return builder.as_markup()


def poll_done_text(view: PollView, locale: str) -> str:
    month = period_label(view.month, locale)
    if not view.chosen:
        return _(
            "Thanks for letting us know. In {month} none of these days suit you, and that is "
            "fine. You can still change it below."
        ).format(month=month)
    days = ", ".join(_day_label(day, locale) for day in sorted(view.chosen))
    return ngettext(
        "Thank you! In {month} you can lead a table on {count} day: {days}. The coordinators "
        "make a rota and then ask you per table. You can still change it below.",
        "Thank you! In {month} you can lead a table on {count} days: {days}. The coordinators "
        "make a rota and then ask you per table. You can still change it below.",
        len(view.chosen),
    ).format(month=month, count=len(view.chosen), days=days)


def no_poll_text() -> str:
    return _("No table in that month needs a facilitator any more. Thank you all the same!")


def rota_text(rota: Rota, locale: str, tz: tzinfo) -> str:
    month = period_label(rota.month, locale)
    lines = ["🧑‍🏫 <b>" + _("Proposed rota for {month}").format(month=month) + "</b>", ""]
    if not rota.lines:
        lines.append(_("Every table of that month has its facilitators, or a request is waiting."))
        return "\n".join(lines)
    for number, line in enumerate(rota.lines[:MAX_SHOWN], start=1):
        event = line.event
        where = html.escape(event.municipality)
        title = html.escape(cut(event.title, 60))
        lines.append(f"{number}. {format_moment(event.starts_at, locale, tz)} · {title} ({where})")
        names = [html.escape(person.first_name) for person in line.people]
        if line.unfilled:
            names.append(
                ngettext(
                    "{count} place: nobody available",
                    "{count} places: nobody available",
                    line.unfilled,
                ).format(count=line.unfilled)
            )
        lines.append("    → " + ", ".join(names))
    hidden = len(rota.lines) - MAX_SHOWN
    if hidden > 0:
        lines.append(
            ngettext("… and {count} more table", "… and {count} more tables", hidden).format(
                count=hidden
            )
        )
    lines += [
        "",
        _(
            "Chosen from who said they can that day, with a valid certificate, within "
            "everyone's maximum, whoever has fewest tables that month first."
        ),
    ]
    if rota.asks:
        lines.append(
            ngettext(
                "One tap sends {count} request; each person answers as always.",
                "One tap sends {count} requests; each person answers as always.",
                rota.asks,
            ).format(count=rota.asks)
        )
    return "\n".join(lines)


def rota_keyboard(rota: Rota) -> InlineKeyboardMarkup | None:
    if not rota.asks:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text="✅ " + _("Send the requests"),
                    callback_data=RotaCallback(month=rota.month, send=True).pack(),
                ),
                InlineKeyboardButton(
                    text="✖ " + _("Not now"),
                    callback_data=RotaCallback(month=rota.month, send=False).pack(),
                ),
            ]
        ]
    )


def rota_sent_text(count: int) -> str:
    if not count:
        return _(
            "There was nothing left to send: every table has its facilitators or a request "
            "that is waiting."
        )
    return ngettext(
        "✅ {count} request sent. The answers reach you as always.",
        "✅ {count} requests sent. The answers reach you as always.",
        count,
    ).format(count=count)


def rota_usage() -> str:
    return _("Use: /rota for next month, or /rota followed by a month, for example /rota march.")
