"""The PNG chart of sign-ups and attendance per month (matplotlib, drawn off-screen).

matplotlib is imported the first time a chart is drawn, not when the bot starts (it costs every
process tens of megabytes and over half a second), and the drawing (150–200 ms) happens in a
worker thread, so nobody waits for their answer meanwhile.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass

from bot.services.coordination.stats import MonthSeries


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """Every word on the chart, translated by the caller: the title, the two bars, the axes,
    and one label per month ("jan 2026")."""

    title: str
    signups: str
    attended: str
    x_axis: str
    y_axis: str
    months: list[str]


async def monthly_chart(series: MonthSeries, labels: ChartLabels) -> bytes:
    """A bar chart (sign-ups and attendance side by side per month, both counted by the
    event's date) as PNG bytes, drawn off the event loop."""
    return await asyncio.to_thread(draw_monthly_chart, series, labels)


def draw_monthly_chart(series: MonthSeries, labels: ChartLabels) -> bytes:
    """The drawing itself. A Figure object (not pyplot) keeps it thread-safe and free of
    global state."""
    import matplotlib

    matplotlib.use("Agg")  # no display: draw into memory only
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(8, 4), dpi=100)
    axes = figure.subplots()
    positions = list(range(len(series.months)))
    width = 0.4
    axes.bar(
        [p - width / 2 for p in positions],
        series.signups,
        width,
        label=labels.signups,
        color="#2f6db5",
    )
    axes.bar(
        [p + width / 2 for p in positions],
        series.attended,
        width,
        label=labels.attended,
        color="#f28c28",
    )
    axes.set_xticks(positions, labels.months, rotation=45, ha="right", fontsize=8)
    axes.set_xlabel(labels.x_axis)
    axes.set_ylabel(labels.y_axis)
    axes.set_title(labels.title)
    axes.legend()
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
