"""With Redis (several processes), an update costs two Redis round trips: in (seen, lock, state)
and out (changes, unlock). A repeat costs one and changes nothing; the conversation still
carries on across processes, and a person's updates still wait for each other."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bot.app import build_dispatcher, build_shared_state
from bot.clock import FakeClock
from bot.config import Settings
from bot.i18n import CatalogI18n
from bot.middlewares.redis_line import RedisLine
from bot.middlewares.throttling import ThrottlingMiddleware
from scheduler.setup import build_scheduler
from storage.engine import SessionPool
from storage.repositories import Repo
from tests.conftest import REDIS_URL
from tests.factories import callback_update, make_user, message_update
from tests.mocked_bot import MockedBotAPI

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")

MENU_TEXT = "Wat wil je doen?"


class CommandCount:
    def __init__(self) -> None:
        self.commands: list[str] = []


@pytest.fixture
def redis_commands(monkeypatch: pytest.MonkeyPatch) -> CommandCount:
    """Every command any Redis client of the bot sends (a pipeline counts its commands, the
    gate's own connection each script call)."""
    count = CommandCount()
    original: Any = Redis.execute_command
    original_pipe: Any = Pipeline.execute
    original_line: Any = RedisLine._write

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        count.commands.append(str(args[0]))
        return await original(self, *args, **kwargs)

    async def counted_pipe(self: Any, *args: Any, **kwargs: Any) -> Any:
        count.commands += [str(command[0][0]) for command in self.command_stack]
        return await original_pipe(self, *args, **kwargs)

    def counted_line(protocol: Any, command: bytes) -> Any:
        count.commands.append("line " + command.split(b"\r\n")[2].decode())
        return original_line(protocol, command)

    monkeypatch.setattr(Redis, "execute_command", counted)
    monkeypatch.setattr(RedisLine, "_write", staticmethod(counted_line))
    monkeypatch.setattr(Pipeline, "execute", counted_pipe)
    return count


def _process(settings: Settings, pool: SessionPool, clock: FakeClock, i18n: CatalogI18n) -> Any:
    shared_settings = settings.model_copy(update={"redis_url": REDIS_URL})
    return build_dispatcher(
        shared_settings,
        session_pool=pool,
        clock=clock,
        i18n=i18n,
        scheduler=build_scheduler(),
        throttling=ThrottlingMiddleware(limit=1000),
        shared=build_shared_state(shared_settings),
    )


@pytest.fixture
async def processes(
    settings: Settings, session_pool: SessionPool, clock: FakeClock, i18n: CatalogI18n
) -> AsyncIterator[Callable[[], Dispatcher]]:
    made: list[Dispatcher] = []

    def make() -> Dispatcher:
        made.append(_process(settings, session_pool, clock, i18n))
        return made[-1]

    yield make
    for dispatcher in made:
        await dispatcher.fsm.gate.close()  # type: ignore[attr-defined]
        await dispatcher.storage.close()


async def test_an_update_costs_two_round_trips_and_a_repeat_one(
    processes: Callable[[], Dispatcher],
    bot: Bot,
    bot_api: MockedBotAPI,
    redis_commands: CommandCount,
) -> None:
    first, second = processes(), processes()
    person = make_user()
    await first.storage.redis.script_flush()  # type: ignore[attr-defined]  # as after a restart
    redis_commands.commands.clear()
    # The scripts get loaded: Redis knew neither, so the way out goes whole at once.
    await first.feed_update(bot, message_update(person, "/menu"))
    bot_api.take_all()
    assert redis_commands.commands == ["line EVALSHA", "line EVAL", "line EVAL"]
    redis_commands.commands.clear()

    update = message_update(person, "/menu")
    await first.feed_update(bot, update)
    assert bot_api.take(SendMessage).text == MENU_TEXT
    # Both go over the gate's own connection.
    assert redis_commands.commands == ["line EVALSHA", "line EVALSHA"]

    redis_commands.commands.clear()
    await second.feed_update(bot, update)  # Telegram sent it again, to the other process
    assert not bot_api.calls
    assert redis_commands.commands == ["line EVALSHA"]


async def test_a_conversation_goes_on_in_the_other_process_with_two_round_trips_a_step(
    processes: Callable[[], Dispatcher],
    bot: Bot,
    bot_api: MockedBotAPI,
    redis_commands: CommandCount,
    repo: Repo,
) -> None:
    """/verwijder keeps a one-time code in the conversation; the tap on "yes" reaches the other
    process, which finds the code, erases the person and ends the conversation."""
    first, second = processes(), processes()
    person = make_user()
    await first.feed_update(bot, message_update(person, "/menu"))
    bot_api.take_all()
    assert await repo.users.get(person.id) is not None
    key = StorageKey(bot_id=bot.id, chat_id=person.id, user_id=person.id)

    redis_commands.commands.clear()
    await first.feed_update(bot, message_update(person, "/verwijder"))
    question = bot_api.take(SendMessage)
    assert len(redis_commands.commands) == 2
    await first.fsm.gate.settled()  # type: ignore[attr-defined]  # the way out has run
    assert await second.storage.get_state(key) == "PrivacyStates:confirm_erase"
    code = (await second.storage.get_data(key))["erase_code"]
    buttons = [b for row in question.reply_markup.inline_keyboard for b in row]  # type: ignore[union-attr]
    yes = next(b.callback_data for b in buttons if b.callback_data and code in b.callback_data)

    redis_commands.commands.clear()
    await second.feed_update(bot, callback_update(person, yes))
    assert len(redis_commands.commands) == 2
    await second.fsm.gate.settled()  # type: ignore[attr-defined]
    bot_api.take(AnswerCallbackQuery)
    assert bot_api.take(EditMessageText).text.startswith("Klaar: alles over jou is verwijderd.")
    await repo.session.commit()
    assert await repo.users.get(person.id) is None
    assert await first.storage.get_state(key) is None
    assert await first.storage.get_data(key) == {}


async def test_a_persons_update_waits_while_another_of_theirs_is_handled(
    processes: Callable[[], Dispatcher], bot: Bot, bot_api: MockedBotAPI
) -> None:
    first, second = processes(), processes()
    person = make_user()
    key = StorageKey(bot_id=bot.id, chat_id=person.id, user_id=person.id)
    lock_key = DefaultKeyBuilder().build(key, "lock")  # aiogram's, as every process uses it
    redis: Redis = second.storage.redis  # type: ignore[attr-defined]
    # Another process is in the middle of this person's update: it holds their lock.
    await redis.set(lock_key, "the-other-process", px=10_000)

    waiting = asyncio.create_task(first.feed_update(bot, message_update(person, "/menu")))
    await asyncio.sleep(0.4)
    assert not bot_api.calls and not waiting.done()

    await redis.delete(lock_key)
    await asyncio.wait_for(waiting, 5)
    assert bot_api.take(SendMessage).text == MENU_TEXT
    await first.fsm.gate.settled()  # type: ignore[attr-defined]
    assert await redis.get(lock_key) is None  # given back afterwards


async def test_an_update_is_done_without_waiting_for_redis_to_answer_its_way_out(
    processes: Callable[[], Dispatcher],
    bot: Bot,
    bot_api: MockedBotAPI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The way out (the state written, the lock given back) is written to Redis as the update
    ends, and the update does not wait for the answer; the person's next update, in this
    process or another, finds the lock free and the state as the first one left it."""
    first, second = processes(), processes()
    person = make_user()
    key = StorageKey(bot_id=bot.id, chat_id=person.id, user_id=person.id)
    lock_key = DefaultKeyBuilder().build(key, "lock")
    redis: Redis = second.storage.redis  # type: ignore[attr-defined]
    await first.feed_update(bot, message_update(person, "/menu"))
    bot_api.take_all()
    sent: list[asyncio.Future[Any]] = []
    await_answer: Any = RedisLine._await_answer

    def kept(self: Any, protocol: Any, waiter: asyncio.Future[Any], *rest: Any) -> None:
        sent.append(waiter)
        await_answer(self, protocol, waiter, *rest)

    monkeypatch.setattr(RedisLine, "_await_answer", kept)
    await first.feed_update(bot, message_update(person, "/verwijder"))
    assert bot_api.take(SendMessage).text.startswith("<b>Alles over jou verwijderen?</b>")
    assert len(sent) == 1 and not sent[0].done()  # written; Redis has not answered yet
    # The same person at once in the other process: in after the way out has run.
    await second.feed_update(bot, message_update(person, "/menu"))
    assert bot_api.take(SendMessage).text == MENU_TEXT
    await first.fsm.gate.settled()  # type: ignore[attr-defined]
    await second.fsm.gate.settled()  # type: ignore[attr-defined]
    assert sent[0].done() and sent[0].result() == 1
    assert await redis.get(lock_key) is None
