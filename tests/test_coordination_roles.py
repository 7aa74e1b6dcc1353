"""/rol grants and revokes roles (by @username, id, or a reply to a forwarded message);
COORDINATOR_IDS stay coordinators; the last coordinator stays; /log shows who did what."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from aiogram.methods import DeleteMyCommands, SendMessage, SetMyCommands
from aiogram.types import BotCommandScopeChat, MessageOriginUser
from sqlalchemy import select

from bot.i18n import CatalogI18n, speaking
from bot.notifications.broadcasts import render_role_changed
from bot.notifications.registry import RenderContext
from bot.services.coordination import roles
from bot.services.coordination.roles import LastCoordinatorError, RoleError
from storage.engine import SessionPool
from storage.models import AuditEntry, OutboxMessage, Role
from storage.repositories import Repo
from tests.conftest import COORDINATOR_ID, Feeder
from tests.coordination_support import T0, add_user
from tests.factories import make_message, make_user, message_update
from tests.mocked_bot import MockedBotAPI

FATIMA = 6001


async def _audit(repo: Repo) -> list[tuple[int | None, str, str, dict[str, Any]]]:
    repo.session.expire_all()
    entries = (await repo.session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()
    found = [(e.actor_id, e.action, e.target, e.details) for e in entries]
    await repo.session.commit()
    return found


async def _role(repo: Repo, user_id: int) -> str:
    repo.session.expire_all()
    user = await repo.users.get(user_id)
    await repo.session.commit()
    assert user is not None
    return user.role


async def test_coordinator_makes_someone_facilitator_by_username(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    await add_user(repo, FATIMA, first_name="Fatima", username="fatima_utrecht")
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, "/rol @Fatima_Utrecht begeleider"))

    menus = [bot_api.take(SetMyCommands) for _ in range(2)]
    assert [(m.scope, m.language_code) for m in menus] == [
        (BotCommandScopeChat(chat_id=FATIMA), "nl"),
        (BotCommandScopeChat(chat_id=FATIMA), "en"),
    ]
    assert [c.command for c in menus[0].commands][-1] == "beschikbaarheid"
    assert [c.command for c in menus[1].commands][-1] == "availability"
    assert bot_api.take(SendMessage).text == (
        "✅ Fatima is nu dialoogbegeleider. Ik heb het laten weten."
    )
    assert await _role(repo, FATIMA) == "facilitator"
    assert await _audit(repo) == [
        (COORDINATOR_ID, "role.set", f"user:{FATIMA}", {"from": "resident", "to": "facilitator"})
    ]
    rows = (await repo.session.execute(select(OutboxMessage))).scalars().all()
    assert [(r.recipient_id, r.kind, r.params, r.urgent) for r in rows] == [
        (FATIMA, "role.changed", {"role": "facilitator"}, True)
    ]
    await repo.session.commit()

    await feed(message_update(kees, "/rol @fatima_utrecht facilitator"))
    assert bot_api.take(SendMessage).text == "Fatima is al dialoogbegeleider."


async def test_new_coordinator_gets_the_coordinator_menu_and_loses_it_again(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    await add_user(repo, FATIMA, first_name="Fatima")
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="en")
    await feed(message_update(kees, f"/role {FATIMA} coordinator"))
    menus = [bot_api.take(SetMyCommands) for _ in range(2)]
    assert [(m.scope, m.language_code) for m in menus] == [
        (BotCommandScopeChat(chat_id=FATIMA), "nl"),
        (BotCommandScopeChat(chat_id=FATIMA), "en"),
    ]
    assert "bericht" in [c.command for c in menus[0].commands]
    assert bot_api.take(SendMessage).text == "✅ Fatima is now coordinator. I've let them know."
    assert await _role(repo, FATIMA) == "coordinator"

    await feed(message_update(kees, f"/role {FATIMA} resident"))
    removed = [bot_api.take(DeleteMyCommands) for _ in range(2)]
    assert [m.language_code for m in removed] == ["nl", "en"]
    assert bot_api.take(SendMessage).text == "✅ Fatima is now resident. I've let them know."
    assert [entry[3] for entry in await _audit(repo)] == [
        {"from": "resident", "to": "coordinator"},
        {"from": "coordinator", "to": "resident"},
    ]


async def test_role_by_replying_to_a_forwarded_message(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    await add_user(repo, FATIMA, first_name="Fatima")
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    fatima = make_user(id=FATIMA, first_name="Fatima")
    forwarded = make_message(
        kees,
        "Ik wil graag tafels begeleiden!",
        forward_origin=MessageOriginUser(date=datetime.now(UTC), sender_user=fatima),
    )
    await feed(message_update(kees, "/rol facilitator", reply_to_message=forwarded))
    bot_api.take(SetMyCommands), bot_api.take(SetMyCommands)
    assert bot_api.take(SendMessage).text.startswith("✅ Fatima is nu dialoogbegeleider.")
    assert await _role(repo, FATIMA) == "facilitator"


async def test_unclear_or_unknown_input_gets_a_clear_answer_and_changes_nothing(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    usage = bot_api
    for text in ("/rol", "/rol @fatima", "/rol @fatima koning"):
        await feed(message_update(kees, text))
        assert usage.take(SendMessage).text.startswith("Typ wie en welke rol, bijvoorbeeld:")
    await feed(message_update(kees, "/rol @niemand facilitator"))
    assert bot_api.take(SendMessage).text == (
        "Ik ken @niemand niet. Diegene moet eerst de bot starten (/start); "
        "probeer het daarna opnieuw."
    )
    assert await _audit(repo) == []


async def test_coordinator_ids_stay_coordinators(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    await add_user(repo, COORDINATOR_ID, role="coordinator", first_name="Kees")
    await add_user(repo, FATIMA, role="coordinator", first_name="Fatima")
    fatima = make_user(id=FATIMA, first_name="Fatima", language_code="nl")
    await feed(message_update(fatima, f"/rol {COORDINATOR_ID} bewoner"))
    assert bot_api.take(SendMessage).text == (
        "Deze persoon is coördinator in de instellingen (COORDINATOR_IDS) en blijft dat."
    )
    assert await _role(repo, COORDINATOR_ID) == "coordinator"
    assert await _audit(repo) == []


async def test_the_last_coordinator_cannot_be_demoted(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    await add_user(repo, FATIMA, role="coordinator", first_name="Fatima")
    fatima = make_user(id=FATIMA, first_name="Fatima", language_code="en")
    await feed(message_update(fatima, f"/role {FATIMA} resident"))
    assert bot_api.take(SendMessage).text == (
        "This is the last coordinator. Make someone else coordinator first."
    )
    assert await _role(repo, FATIMA) == "coordinator"


async def test_two_coordinators_demoting_each_other_at_once_leave_one(
    repo: Repo, session_pool: SessionPool
) -> None:
    await add_user(repo, 6101, role="coordinator")
    await add_user(repo, 6102, role="coordinator")

    async def demote(actor: int, target: int) -> str:
        async with session_pool() as session:
            try:
                await roles.set_role(
                    Repo(session),
                    actor_id=actor,
                    target=target,
                    role=Role.RESIDENT,
                    coordinator_ids=(),
                    now=T0,
                )
            except LastCoordinatorError:
                return "refused"
            except RoleError as exc:  # pragma: no cover - shows an unexpected refusal
                return type(exc).__name__
            return "demoted"

    results = await asyncio.gather(demote(6101, 6102), demote(6102, 6101))
    assert sorted(results) == ["demoted", "refused"]
    remaining = [await _role(repo, 6101), await _role(repo, 6102)]
    assert sorted(remaining) == ["coordinator", "resident"]


async def test_log_lists_the_newest_admin_actions(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, "/log"))
    assert bot_api.take(SendMessage).text == "Het logboek is leeg."
    await add_user(repo, FATIMA, first_name="Fatima", username="fatima")
    await feed(message_update(kees, "/rol @fatima facilitator"))
    bot_api.take(SetMyCommands), bot_api.take(SetMyCommands)
    bot_api.take(SendMessage)
    await feed(message_update(kees, "/log"))
    assert bot_api.take(SendMessage).text == (
        "🗒 <b>Logboek</b> (nieuwste eerst)\n"
        "02-03 10:00 · Kees · <b>role.set</b> · Fatima (@fatima) · "
        '<code>{"from": "resident", "to": "facilitator"}</code>\n'
        "Het hele logboek: /export audit"
    )
    kees_en = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="en")
    await feed(message_update(kees_en, "/log broadcast"))
    assert bot_api.take(SendMessage).text == "The log is empty."


async def test_role_change_message_in_both_languages(repo: Repo, i18n: CatalogI18n) -> None:
    from bot.config import Settings

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    expected = {
        "nl": "Je bent nu <b>dialoogbegeleider</b>. Je kunt gevraagd worden om tafels te "
        "begeleiden.",
        "en": "You are now a <b>facilitator</b>. You can be asked to lead dialogue tables.",
    }
    for locale, text in expected.items():
        context = RenderContext(repo, None, locale, T0, settings)
        with speaking(i18n, locale):
            rendered = await render_role_changed(context, {"role": "facilitator"})
        assert rendered is not None and rendered.text == text


async def test_hiding_and_showing_an_initiative_is_logged(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    from tests.coordination_support import add_initiative

    initiative = await add_initiative(repo, [])
    initiative_id = initiative.id
    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="nl")
    await feed(message_update(kees, f"/verberg {initiative_id}"))
    bot_api.take(SendMessage)
    await feed(message_update(kees, f"/toon {initiative_id}"))
    bot_api.take(SendMessage)
    assert await _audit(repo) == [
        (COORDINATOR_ID, "initiative.hide", f"initiative:{initiative_id}", {"status": "hidden"}),
        (COORDINATOR_ID, "initiative.show", f"initiative:{initiative_id}", {"status": "draft"}),
    ]


def test_coordinators_see_their_commands_in_the_menu(i18n: CatalogI18n) -> None:
    from bot.commands import commands_for

    dutch = {c.command: c.description for c in commands_for(i18n, "nl", coordinator=True)}
    assert dutch["bericht"] == "Een bericht naar een groep sturen"
    assert dutch["stats"] == "Cijfers over een periode"
    assert {"export", "rol", "log"} <= set(dutch)
    english = {c.command: c.description for c in commands_for(i18n, "en", coordinator=True)}
    assert english["role"] == "Give someone a role"
    assert english["broadcast"] == "Send an announcement to a group"
    residents = {c.command for c in commands_for(i18n, "nl", coordinator=False)}
    assert not {"bericht", "stats", "export", "rol", "log"} & residents


async def test_a_forward_that_hides_its_sender_is_not_taken_for_someone_else(
    feed: Feeder, bot_api: MockedBotAPI, repo: Repo
) -> None:
    from aiogram.types import MessageOriginHiddenUser

    kees = make_user(id=COORDINATOR_ID, first_name="Kees", language_code="en")
    forwarded = make_message(
        kees,
        "Hello!",
        forward_origin=MessageOriginHiddenUser(date=datetime.now(UTC), sender_user_name="F."),
    )
    await feed(message_update(kees, "/role facilitator", reply_to_message=forwarded))
    assert bot_api.take(SendMessage).text == (
        "I can't see who wrote that message: their privacy settings hide it. "
        "Use their @username or Telegram id instead."
    )
    own = make_message(kees, "my own message")
    await feed(message_update(kees, "/role facilitator", reply_to_message=own))
    assert bot_api.take(SendMessage).text.startswith("Type who and which role, for example:")
    assert await _role(repo, COORDINATOR_ID) == "coordinator"
    assert await _audit(repo) == []
