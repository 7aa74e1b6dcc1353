"""Introductions with consent: a person writes to an initiative from its card, the bot relays
the conversation both ways through the outbox, and nobody's name, username or Telegram id
reaches the other side until that side taps "share my contact". Abuse controls: a daily limit
per sender (held in the database), report (alerts the coordinators) and block."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.services import outbox
from bot.services.connections.errors import ConnectionsError
from bot.services.message_params import ContactParams, PassOnParams, ThreadMessageParams
from storage.models import Initiative, IntroMessage, IntroThread, Role, ThreadStatus
from storage.repositories import Repo

logger = logging.getLogger(__name__)

DAILY_INTRODUCTIONS = 5  # new conversations one person may start per day
DAILY_MESSAGES = 40  # relayed messages one person may send per day
MIN_TEXT, MAX_TEXT = 5, 1000

REQUEST = "intro.request"
MESSAGE = "intro.message"
ANSWERED = "intro.answered"  # to co-members: a colleague answered the first message already
PASS_ON = "intro.pass_on"  # to coordinators: please pass this on to an initiative
CONTACT = "intro.contact"
DECLINED = "intro.declined"
REPORT = "intro.report"
RELAY_KINDS = (REQUEST, MESSAGE, CONTACT, DECLINED)


class IntroError(ConnectionsError):
    """A refusal in an introduction; the subclass says which."""


class InitiativeUnavailableError(IntroError):
    """The initiative does not exist or is not public."""


class OwnInitiativeError(IntroError):
    pass


class NoMembersError(IntroError):
    """Nobody of the initiative uses Samenspel yet: only its public contact details work."""

    def __init__(self, initiative: Initiative) -> None:
        super().__init__(initiative.id)
        self.initiative = initiative


class BlockedError(IntroError):
    pass


class DailyLimitError(IntroError):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class ThreadClosedError(IntroError):
    pass


class NotInThreadError(IntroError):
    pass


class TextLengthError(IntroError):
    pass


@dataclass(frozen=True, slots=True)
class Side:
    """A person's place in a thread: the one who started it, or a member of the initiative."""

    thread: IntroThread
    is_sender: bool


def thread_subject(thread_id: int) -> str:
    return f"intro:{thread_id}"


def check_text(text: str | None) -> str:
    cleaned = (text or "").strip()
    if not MIN_TEXT <= len(cleaned) <= MAX_TEXT:
        raise TextLengthError(len(cleaned))
    return cleaned


async def _contactable(repo: Repo, initiative_id: int, user_id: int) -> Initiative:
    initiative = await repo.initiatives.get(initiative_id)
    if initiative is None or not initiative.is_published:
        raise InitiativeUnavailableError(initiative_id)
    if await repo.initiatives.member(initiative_id, user_id) is not None:
        raise OwnInitiativeError(initiative_id)
    if await repo.connections.is_blocked(user_id, initiative_id):
        raise BlockedError(initiative_id)
    if not (await repo.initiatives.member_ids([initiative_id])).get(initiative_id):
        raise NoMembersError(initiative)
    return initiative


async def can_contact(
    repo: Repo, initiative_id: int, user_id: int, *, now: datetime, tz: tzinfo
) -> Initiative:
    """The initiative, when the user may write to it now: asked before they type, so someone
    who reached today's limit of new conversations hears it before writing, not after."""
    async with repo.read():
        initiative = await _contactable(repo, initiative_id, user_id)
        day = now.astimezone(tz).date()
        if await repo.connections.quota_used(user_id, day, "intro") >= DAILY_INTRODUCTIONS:
            raise DailyLimitError(DAILY_INTRODUCTIONS)
    return initiative


async def _take(repo: Repo, user_id: int, kind: str, limit: int, now: datetime, tz: tzinfo) -> None:
    if not await repo.connections.take_quota(user_id, now.astimezone(tz).date(), kind, limit):
        raise DailyLimitError(limit)


async def own_initiatives(repo: Repo, user_id: int, exclude: int) -> list[tuple[int, str]]:
    """The published initiatives the user may write on behalf of (not the one written to)."""
    async with repo.read():
        rows = await repo.initiatives.for_member(user_id)
    return [(i.id, i.name) for i, _role in rows if i.is_published and i.id != exclude]


async def start_thread(
    repo: Repo,
    initiative_id: int,
    sender_id: int,
    text: str,
    *,
    now: datetime,
    tz: tzinfo,
    as_initiative_id: int | None = None,
) -> tuple[IntroThread, Initiative]:
    """Open a conversation with an initiative and relay the first message to its members;
    `as_initiative_id` is the sender's own initiative when they write on its behalf."""
    text = check_text(text)
    async with repo.write():
        initiative = await _contactable(repo, initiative_id, sender_id)
        if as_initiative_id is not None and (
            await repo.initiatives.member(as_initiative_id, sender_id) is None
        ):
            as_initiative_id = None
        await _take(repo, sender_id, "intro", DAILY_INTRODUCTIONS, now, tz)
        thread = IntroThread(
            initiative_id=initiative_id,
            sender_id=sender_id,
            as_initiative_id=as_initiative_id,
            status=ThreadStatus.OPEN,
            created_at=now,
            updated_at=now,
        )
        await repo.connections.add(thread)
        await _relay(repo, thread, sender_id, text, from_initiative=False, now=now, first=True)
    logger.info("introduction %s started", thread.id)
    return thread, initiative


async def side_of(repo: Repo, thread_id: int, user_id: int, *, for_update: bool = False) -> Side:
    thread = await repo.connections.thread(thread_id, for_update=for_update)
    if thread is None:
        raise NotInThreadError(thread_id)
    if thread.sender_id == user_id:
        return Side(thread, is_sender=True)
    if await repo.initiatives.member(thread.initiative_id, user_id) is not None:
        return Side(thread, is_sender=False)
    raise NotInThreadError(thread_id)


async def open_side(repo: Repo, thread_id: int, user_id: int) -> Side:
    """The user's side of an open thread (before they type a reply)."""
    async with repo.read():
        side = await side_of(repo, thread_id, user_id)
        _require_open(side)
        return side


def _require_open(side: Side) -> None:
    if side.thread.status != ThreadStatus.OPEN:
        raise ThreadClosedError(side.thread.id)


async def reply(
    repo: Repo, thread_id: int, user_id: int, text: str, *, now: datetime, tz: tzinfo
) -> Side:
    """Relay a reply to the other side of the thread."""
    text = check_text(text)
    async with repo.write():
        side = await side_of(repo, thread_id, user_id, for_update=True)
        _require_open(side)
        if side.is_sender and await repo.connections.is_blocked(user_id, side.thread.initiative_id):
            raise BlockedError(thread_id)
        await _take(repo, user_id, "message", DAILY_MESSAGES, now, tz)
        first_answer = not side.is_sender and not any(
            earlier.from_initiative for earlier in await repo.connections.messages(thread_id)
        )
        message = await _relay(
            repo, side.thread, user_id, text, from_initiative=not side.is_sender, now=now
        )
        if first_answer:
            await _tell_co_members(repo, side.thread, user_id, message, now)
    return side


async def _tell_co_members(
    repo: Repo, thread: IntroThread, author_id: int, message: IntroMessage, now: datetime
) -> None:
    """The other members of the initiative hear that a colleague answered, so nobody writes a
    second answer to the same message."""
    members = (await repo.initiatives.member_ids([thread.initiative_id])).get(
        thread.initiative_id, []
    )
    for member in members:
        if member == author_id:
            continue
        await outbox.schedule(
            repo,
            key=f"intro:{thread.id}:answered:{member}",
            recipient_id=member,
            kind=ANSWERED,
            params=ThreadMessageParams(thread_id=thread.id, message_id=message.id),
            due_at=now,
            now=now,
            subject=thread_subject(thread.id),
        )


async def _other_side(repo: Repo, thread: IntroThread, from_initiative: bool) -> list[int]:
    if from_initiative:
        return [thread.sender_id]
    return (await repo.initiatives.member_ids([thread.initiative_id])).get(thread.initiative_id, [])


async def _relay(
    repo: Repo,
    thread: IntroThread,
    author_id: int,
    text: str,
    *,
    from_initiative: bool,
    now: datetime,
    first: bool = False,
) -> IntroMessage:
    message = IntroMessage(
        thread_id=thread.id,
        author_id=author_id,
        from_initiative=from_initiative,
        text=text,
        created_at=now,
    )
    await repo.connections.add(message)
    thread.updated_at = now
    for recipient in await _other_side(repo, thread, from_initiative):
        await outbox.schedule(
            repo,
            key=f"intro:{thread.id}:m{message.id}:{recipient}",
            recipient_id=recipient,
            kind=REQUEST if first else MESSAGE,
            params=ThreadMessageParams(thread_id=thread.id, message_id=message.id),
            due_at=now,
            now=now,
            subject=thread_subject(thread.id),
            urgent=True,
        )
    return message


async def share_contact(repo: Repo, thread_id: int, user_id: int, *, now: datetime) -> bool:
    """The user agrees that the other side sees who they are; False when shared already."""
    async with repo.write():
        side = await side_of(repo, thread_id, user_id, for_update=True)
        thread = side.thread
        _require_open(side)
        if side.is_sender:
            shared = thread.sender_shared_at is None
            thread.sender_shared_at = thread.sender_shared_at or now
        else:
            shared = thread.member_shared_by != user_id
            if shared:
                thread.member_shared_by, thread.member_shared_at = user_id, now
        if shared:
            thread.updated_at = now
            for recipient in await _other_side(repo, thread, not side.is_sender):
                await outbox.schedule(
                    repo,
                    key=f"intro:{thread.id}:contact:{user_id}:{recipient}",
                    recipient_id=recipient,
                    kind=CONTACT,
                    params=ContactParams(thread_id=thread.id, user_id=user_id),
                    due_at=now,
                    now=now,
                    subject=thread_subject(thread.id),
                    urgent=True,
                )
    return shared


async def thread_replied_to(repo: Repo, user_id: int, telegram_message_id: int) -> int | None:
    """The thread of a relayed message the user answered with Telegram's "reply"."""
    async with repo.read():
        params = await repo.connections.thread_of_delivered(
            user_id, telegram_message_id, RELAY_KINDS
        )
    thread_id = params.get("thread_id") if params else None
    return int(thread_id) if isinstance(thread_id, int) else None


async def ask_coordinators_to_pass_on(
    repo: Repo, initiative_id: int, sender_id: int, text: str, *, now: datetime, tz: tzinfo
) -> Initiative:
    """Nobody of the initiative uses Samenspel: the coordinators get the message with the
    sender's name, so they can pass it on (by phone, by mail, in person) or answer."""
    text = check_text(text)
    async with repo.write():
        initiative = await repo.initiatives.get(initiative_id)
        if initiative is None or not initiative.is_published:
            raise InitiativeUnavailableError(initiative_id)
        await _take(repo, sender_id, "intro", DAILY_INTRODUCTIONS, now, tz)
        coordinators = [user.id for user in await repo.users.with_role(Role.COORDINATOR)]
        stamp = int(now.timestamp())
        for coordinator in coordinators:
            await outbox.schedule(
                repo,
                key=f"intro-pass-on:{initiative_id}:{sender_id}:{stamp}:{coordinator}",
                recipient_id=coordinator,
                kind=PASS_ON,
                params=PassOnParams(initiative_id=initiative_id, sender_id=sender_id, text=text),
                due_at=now,
                now=now,
                subject=f"user:{sender_id}",
            )
    return initiative
