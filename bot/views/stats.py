"""Words of the /stats figures and chart: the figures themselves, the period as people say it,
the chart's labels and month labels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from babel.dates import format_date

from bot.dates import language_of
from bot.i18n import _, ngettext
from bot.labels import theme_label
from bot.services.coordination.charts import ChartLabels
from bot.services.coordination.stats import Figures, Period
from bot.views.numbers import number


def month_label(month: str, locale: str) -> str:
    """ "2026-03" as people read it: "mrt 2026", "Mar 2026"."""
    first = date.fromisoformat(month + "-01")
    return format_date(first, "LLL yyyy", locale=language_of(locale)).replace(".", "")


def period_words(period: Period, locale: str) -> str:
    """The period as people say it: "all time", "2026", "March 2026", or two days."""
    first, last = period.first_day, period.last_day
    if (last - first).days > 3660:
        return _("all time")
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return str(first.year)
    if first.day == 1 and first.year == last.year and first.month == last.month:
        next_day = last.toordinal() + 1
        if date.fromordinal(next_day).day == 1:
            return format_date(first, "LLLL yyyy", locale=language_of(locale))
    return _("{first} to {last}").format(
        first=format_date(first, "d MMM yyyy", locale=language_of(locale)).replace(".", ""),
        last=format_date(last, "d MMM yyyy", locale=language_of(locale)).replace(".", ""),
    )


def _percent(value: float | None, locale: str) -> str:
    if value is None:
        return "–"
    return f"{round(value * 100)}%"


def figures_text(f: Figures, locale: str) -> str:
    def n(value: int) -> str:
        return number(value, locale)

    period = period_words(f.period, locale)
    not_yet = _("not available yet")
    lines = [
        _("📊 <b>Figures</b> ({period})").format(period=period),
        "",
        _("👥 People using the bot: {total} ({new} new)").format(
            total=n(f.users_total), new=n(f.users_new)
        ),
        _("🏠 Active initiatives: {count} (possibly outdated: {outdated})").format(
            count=n(f.initiatives), outdated=n(f.initiatives_outdated)
        ),
        _("💬 Dialogue tables: {count}").format(count=n(f.events.get("table", 0))),
        _("🎓 Trainings: {count}").format(count=n(f.events.get("training", 0))),
        _("☕ Meetups: {count}").format(count=n(f.events.get("meetup", 0))),
        _("❌ Called off: {count}").format(count=n(f.events_cancelled)),
        "📍 "
        + _("{locations} in {municipalities}").format(
            locations=ngettext("{count} location", "{count} locations", f.venues).format(
                count=n(f.venues)
            ),
            municipalities=ngettext(
                "{count} municipality", "{count} municipalities", f.municipalities
            ).format(count=n(f.municipalities)),
        ),
        _("🙋 Participants: {people} ({seats} sign-ups)").format(
            people=n(f.participants), seats=n(f.registrations)
        ),
        _("🪑 Fill rate: {rate}").format(rate=_percent(f.fill_rate, locale)),
        _("⏳ On a waitlist now: {waiting}; moved up from the waitlist: {promoted}").format(
            waiting=n(f.waitlisted), promoted=n(f.promotions)
        ),
        _("✅ Attendance: {rate}; no-shows: {no_show} ({no_show_rate})").format(
            rate=_percent(f.attendance_rate, locale),
            no_show=n(f.no_show),
            no_show_rate=_percent(f.no_show_rate, locale),
        ),
        _("🧑‍🏫 Facilitator requests answered: {rate}; median answer time: {time}").format(
            rate=not_yet
            if f.facilitator_answer_rate is None
            else _percent(f.facilitator_answer_rate, locale),
            time=not_yet
            if f.facilitator_median_answer_hours is None
            else _hours(f.facilitator_median_answer_hours, locale),
        ),
    ]
    if f.debriefs:
        lines.append(
            _("📝 Debriefs: {count}, with {people} people at the table").format(
                count=n(f.debriefs), people=n(f.debrief_participants)
            )
        )
    lines += _feedback_lines(f, locale)
    return "\n".join(lines)


SHOWN_PER_GROUP = 5


def _feedback_lines(f: Figures, locale: str) -> list[str]:
    """Average stars overall, per theme and per municipality (the five with most answers)."""
    given = f.feedback
    if not given.answers or given.average is None:
        return []

    def stars(value: float) -> str:
        shown = f"{value:.1f}"
        return shown if locale.startswith("en") else shown.replace(".", ",")

    def group(values: dict[str, tuple[float, int]], label: Callable[[str], str]) -> str:
        return ", ".join(
            f"{label(key)} {stars(average)} ({count})"
            for key, (average, count) in list(values.items())[:SHOWN_PER_GROUP]
        )

    lines = [
        "⭐ "
        + ngettext(
            "How the conversations were: {average} stars on average, {count} answer",
            "How the conversations were: {average} stars on average, {count} answers",
            given.answers,
        ).format(average=stars(given.average), count=number(given.answers, locale))
    ]
    if given.by_theme:
        themes = group(given.by_theme, lambda slug: theme_label(slug, locale))
        lines.append("   " + _("by theme: {values}").format(values=themes))
    places = group(given.by_municipality, lambda name: name)
    lines.append("   " + _("by municipality: {values}").format(values=places))
    return lines


def _hours(value: float, locale: str) -> str:
    shown = f"{value:.1f}"
    if not locale.startswith("en"):
        shown = shown.replace(".", ",")
    return _("{hours} h").format(hours=shown)


def bad_period_text() -> str:
    return _(
        "I don't understand that period. Try for example: /stats 2026, /stats 2026-03, "
        "/stats 2026-01-01..2026-06-30, or /stats month, year, lastyear, all."
    )


def chart_caption() -> str:
    return _("Sign-ups and attendance per month")


def chart_labels(months: list[str], locale: str) -> ChartLabels:
    """The words on the monthly chart, in the reader's language."""
    return ChartLabels(
        title=_("Sign-ups and attendance per month"),
        signups=_("Sign-ups"),
        attended=_("Attended"),
        x_axis=_("Month of the event"),
        y_axis=_("Number of people"),
        months=[month_label(month, locale) for month in months],
    )
