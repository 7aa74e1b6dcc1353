"""Where a broadcast stands: the outcome of its outbox rows, the progress the coordinator
sees, and finishing it (status done, the report scheduled) when no row is left."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.services import outbox
from bot.services.coordination.broadcasts import REPORT_KIND, subject
from bot.services.message_params import BroadcastParams
from storage.models import BroadcastStatus
from storage.repositories import Repo

PROGRESS_EVERY = timedelta(seconds=3)
OPTED_OUT = "opted out: announcements off"


@dataclass
class Outcome:
    """Where the rows of one broadcast stand."""

    total: int = 0
    delivered: int = 0
    blocked: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    open: int = 0

    @property
    def settled(self) -> int:
        return self.total - self.open

    @property
    def failed_count(self) -> int:
        return sum(self.failed.values())

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())


def _reason(error: str | None) -> str:
    return (error or "error").strip()[:60]


async def outcome(repo: Repo, broadcast_id: int) -> Outcome:
    result = Outcome()
    for status, error, count in await repo.broadcasts.outcomes(subject(broadcast_id)):
        result.total += count
        if status == "sent":
            result.delivered += count
        elif status in ("pending", "sending"):
            result.open += count
        elif status == "failed" and (error or "").startswith("blocked:"):
            result.blocked += count
        elif status == "failed":
            reason = _reason(error)
            result.failed[reason] = result.failed.get(reason, 0) + count
        else:  # skipped, or cancelled by an erasure
            reason = "opted out" if error == OPTED_OUT else _reason(error).split(":", 1)[0]
            result.skipped[reason] = result.skipped.get(reason, 0) + count
    return result


@dataclass(frozen=True, slots=True)
class ProgressUpdate:
    """What the progress job shows: a message to edit (if any) and whether it is finished."""

    broadcast_id: int
    chat_id: int | None
    message_id: int | None
    settled: int
    total: int
    finished: bool
    # The coordinator's language choices, so the text is rendered in their language.
    language: str | None = None
    telegram_language: str | None = None
    # When finished: what became of the messages.
    delivered: int = 0
    not_delivered: int = 0
    skipped: int = 0


async def tick(repo: Repo, *, now: datetime) -> list[ProgressUpdate]:
    """Look at every broadcast being sent; finish those with nothing left, and say which
    progress messages need an edit (at most one every PROGRESS_EVERY, unless finished)."""
    async with repo.write():
        updates: list[ProgressUpdate] = []
        for broadcast in await repo.broadcasts.sending():
            state = await outcome(repo, broadcast.id)
            finished = state.open == 0
            if finished:
                await repo.broadcasts.relabel_skipped(
                    subject(broadcast.id), "too late: nothing to say", OPTED_OUT
                )
                broadcast.status = BroadcastStatus.DONE
                broadcast.finished_at = now
                await outbox.schedule(
                    repo,
                    key=f"broadcast-report:{broadcast.id}",
                    recipient_id=broadcast.created_by,
                    kind=REPORT_KIND,
                    params=BroadcastParams(broadcast_id=broadcast.id),
                    due_at=now,
                    now=now,
                    subject=subject(broadcast.id) + ":report",
                    urgent=True,
                )
            elif state.settled == broadcast.progress_shown or (
                broadcast.progress_at is not None and now - broadcast.progress_at < PROGRESS_EVERY
            ):
                continue
            broadcast.progress_shown = state.settled
            broadcast.progress_at = now
            chat_id = broadcast.progress_chat_id
            coordinator = await repo.users.get(chat_id) if chat_id else None
            updates.append(
                ProgressUpdate(
                    broadcast.id,
                    broadcast.progress_chat_id,
                    broadcast.progress_message_id,
                    state.settled,
                    broadcast.recipients,
                    finished,
                    coordinator.language if coordinator else None,
                    coordinator.telegram_language if coordinator else None,
                    delivered=state.delivered,
                    not_delivered=state.blocked + state.failed_count,
                    skipped=state.skipped_count,
                )
            )
    return updates
