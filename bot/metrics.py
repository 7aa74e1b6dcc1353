"""Numbers for operations, in Prometheus's text format at `/metrics` on the web server:
updates handled by kind and outcome, how long handling took, the outbox's backlog and the age of
its oldest due message, deliveries by outcome, Telegram's 429s and the database connections in
use and idle. Counts and durations only: never a name, a text or an id.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot.delivery.sender import DeliveryStats
from storage.engine import ConnectionCounts

# Upper bounds (seconds) of the handling-time histogram's buckets.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class UpdateMetrics:
    """Counts and timings of handled updates, for one process."""

    def __init__(self) -> None:
        self.updates: Counter[tuple[str, str]] = Counter()
        self.buckets: Counter[tuple[str, float]] = Counter()
        self.seconds: dict[str, float] = {}
        self.counted: Counter[str] = Counter()

    def observe(self, kind: str, outcome: str, seconds: float) -> None:
        self.updates[(kind, outcome)] += 1
        self.seconds[kind] = self.seconds.get(kind, 0.0) + seconds
        self.counted[kind] += 1
        for bound in BUCKETS:
            if seconds <= bound:
                self.buckets[(kind, bound)] += 1


class MetricsMiddleware(BaseMiddleware):
    """Outermost: times every update from arrival to answer, by its kind."""

    def __init__(self, metrics: UpdateMetrics) -> None:
        self.metrics = metrics

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        kind = event.event_type if isinstance(event, Update) else type(event).__name__
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = "handled"
            return result
        finally:
            self.metrics.observe(kind, outcome, time.perf_counter() - started)


def render(
    metrics: UpdateMetrics,
    delivery: DeliveryStats | None,
    backlog: int,
    oldest_due: datetime | None,
    now: datetime,
    connections: ConnectionCounts | None = None,
) -> str:
    """Everything in Prometheus's text exposition format."""
    lines = [
        "# HELP samenspel_updates_total Updates handled, by kind and outcome.",
        "# TYPE samenspel_updates_total counter",
    ]
    for (kind, outcome), count in sorted(metrics.updates.items()):
        lines.append(f'samenspel_updates_total{{kind="{kind}",outcome="{outcome}"}} {count}')
    lines += [
        "# HELP samenspel_update_seconds Time from an update's arrival to its answer.",
        "# TYPE samenspel_update_seconds histogram",
    ]
    for kind in sorted(metrics.counted):
        for bound in BUCKETS:
            count = metrics.buckets[(kind, bound)]
            lines.append(f'samenspel_update_seconds_bucket{{kind="{kind}",le="{bound}"}} {count}')
        total = metrics.counted[kind]
        lines.append(f'samenspel_update_seconds_bucket{{kind="{kind}",le="+Inf"}} {total}')
        lines.append(f'samenspel_update_seconds_sum{{kind="{kind}"}} {metrics.seconds[kind]:.6f}')
        lines.append(f'samenspel_update_seconds_count{{kind="{kind}"}} {total}')
    age = max(0.0, (now - oldest_due).total_seconds()) if oldest_due else 0.0
    lines += [
        "# HELP samenspel_outbox_backlog Messages due or being sent.",
        "# TYPE samenspel_outbox_backlog gauge",
        f"samenspel_outbox_backlog {backlog}",
        "# HELP samenspel_outbox_oldest_due_seconds How long the oldest due message has waited.",
        "# TYPE samenspel_outbox_oldest_due_seconds gauge",
        f"samenspel_outbox_oldest_due_seconds {age:.1f}",
    ]
    if delivery is not None:
        lines += [
            "# HELP samenspel_deliveries_total Messages this process's sender settled, by outcome.",
            "# TYPE samenspel_deliveries_total counter",
        ]
        for outcome in ("sent", "blocked", "failed", "skipped", "retried", "deferred"):
            value = getattr(delivery, outcome)
            lines.append(f'samenspel_deliveries_total{{outcome="{outcome}"}} {value}')
        lines += [
            "# HELP samenspel_telegram_429_total Times Telegram said to slow down (429).",
            "# TYPE samenspel_telegram_429_total counter",
            f"samenspel_telegram_429_total {delivery.rate_limited}",
        ]
    if connections is not None:
        lines += [
            "# HELP samenspel_db_connections This process's database connections, in use or idle.",
            "# TYPE samenspel_db_connections gauge",
            f'samenspel_db_connections{{state="in_use"}} {connections.in_use}',
            f'samenspel_db_connections{{state="idle"}} {connections.idle}',
            "# HELP samenspel_db_connections_kept How many connections the process keeps "
            "(with PostgreSQL DATABASE_POOL_SIZE, also the most it opens).",
            "# TYPE samenspel_db_connections_kept gauge",
            f"samenspel_db_connections_kept {connections.kept}",
        ]
    return "\n".join(lines) + "\n"
