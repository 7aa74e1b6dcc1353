"""Settings: defaults, parsing, and one clear line for every wrong value."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(
            ("BOT_", "DATABASE_", "REDIS_", "COORDINATOR_", "WEBHOOK_", "TELEGRAM_")
        ):
            monkeypatch.delenv(name)
    monkeypatch.delenv("TIMEZONE", raising=False)
    monkeypatch.delenv("DEFAULT_LOCALE", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's


def test_defaults_run_on_a_sqlite_file_in_dutch() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///data/samenspel.db"
    assert settings.sqlite_path() == Path("data/samenspel.db")
    assert settings.default_locale == "nl"
    assert settings.timezone == "Europe/Amsterdam"
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.token is None and not settings.uses_webhook


def test_values_come_from_the_environment_and_env_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("COORDINATOR_IDS=12, 34\nDEFAULT_LOCALE=en\n")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    monkeypatch.setenv("BOT_TOKEN", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi")
    settings = load_settings()
    assert settings.coordinator_ids == (12, 34)
    assert settings.default_locale == "en"
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert settings.token == "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "BOT_TOKEN",
            "not-a-token",
            "BOT_TOKEN: BOT_TOKEN does not look like a Telegram bot token",
        ),
        ("DEFAULT_LOCALE", "fr", "DEFAULT_LOCALE: must be one of: nl, en"),
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE: is not a known time zone"),
        (
            "COORDINATOR_IDS",
            "12,abc",
            "COORDINATOR_IDS: must be Telegram user ids separated by commas",
        ),
        ("TELEGRAM_API_URL", "ftp://x", "TELEGRAM_API_URL: must be an http(s) URL"),
        (
            "CERTIFICATE_VALIDITY_DAYS",
            "spannend=twee",
            "CERTIFICATE_VALIDITY_DAYS: must be levels with days, for example "
            "basis=1095,kinder=1095,spannend=730",
        ),
        (
            "WEBAPP_URL",
            "http://kaart.example",
            "WEBAPP_URL: must be an https URL: Telegram opens Mini Apps only over https",
        ),
        ("WEBHOOK_SECRET", "has spaces!", "WEBHOOK_SECRET: may only contain"),
        ("WEBHOOK_PORT", "99999", "WEBHOOK_PORT:"),
        ("DATABASE_POOL_SIZE", "0", "DATABASE_POOL_SIZE:"),
    ],
)
def test_wrong_value_gives_one_line_saying_what_to_fix(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), **env},
        timeout=120,
        check=False,
    )


def test_cli_stops_with_one_line_for_a_malformed_token(tmp_path: Path) -> None:
    result = _cli("migrate", env={"BOT_TOKEN": "oops"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "samenspel: BOT_TOKEN: BOT_TOKEN does not look like a Telegram bot token (123456:ABC-…). "
        "Fix it in the environment or in .env."
    ]
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_stops_with_one_line_for_an_unreachable_database(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://nobody@127.0.0.1:9/none"
    result = _cli("migrate", env={"DATABASE_URL": url}, cwd=tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("samenspel:")]
    assert len(lines) == 1 and lines[0].startswith(
        "samenspel: DATABASE_URL: cannot connect to the database"
    )
    assert "Traceback" not in result.stderr


def test_cli_migrate_creates_the_sqlite_file(tmp_path: Path) -> None:
    result = _cli("migrate", env={}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "database is up to date"
    assert (tmp_path / "data" / "samenspel.db").exists()


@pytest.mark.parametrize("command", ["run", "console", "migrate", "demo-data", "deliver"])
def test_every_subcommand_has_help(tmp_path: Path, command: str) -> None:
    result = _cli(command, "--help", env={}, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: samenspel {command}")


def test_delivery_worker_needs_a_token(tmp_path: Path) -> None:
    result = _cli("deliver", "--until-idle", env={}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "samenspel: BOT_TOKEN: the delivery worker needs a token. Set it in .env."
    )


def test_the_example_env_file_is_valid_as_it_stands(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    settings = load_settings()
    assert settings.token is None and settings.redis_url is None
    assert settings.coordinator_chat_id is None and settings.coordinator_ids == ()
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert not settings.uses_webhook


@pytest.mark.parametrize(
    ("choice", "loop"), [(None, "uvloop.Loop"), ("asyncio", "asyncio._UnixSelectorEventLoop")]
)
def test_every_command_runs_on_uvloop_unless_asyncio_is_chosen(
    monkeypatch: pytest.MonkeyPatch, choice: str | None, loop: str
) -> None:
    from bot.cli import main as cli

    seen: list[str] = []

    async def migrate(_settings: object) -> None:
        running = type(asyncio.get_running_loop())
        seen.append(f"{running.__module__.split('.')[0]}.{running.__name__}")

    monkeypatch.setattr(cli, "_migrate", migrate)
    monkeypatch.setattr(cli, "_configure_logging", lambda *_args: None)
    if choice is not None:
        monkeypatch.setenv("EVENT_LOOP", choice)
    assert cli.main(["migrate"]) == 0
    assert seen == [loop]
