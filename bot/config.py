"""Settings of one Samenspel process, read from the environment and an optional `.env` file.

Built once in `bot.cli.main` and passed down; nothing else reads the environment.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.catalog.certificates import DEFAULT_VALIDITY_DAYS
from storage.engine import POOL_SIZE

SUPPORTED_LOCALES: tuple[str, ...] = ("nl", "en")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/samenspel.db"
TELEGRAM_API_URL = "https://api.telegram.org"
# Used when PRIVACY_SALT is not set; production sets its own (see the README).
DEFAULT_PRIVACY_SALT = "samenspel-tombstones"

_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


# What the derived webhook secret is for; changing it changes every derived secret.
_WEBHOOK_SECRET_LABEL = b"samenspel webhook secret v1"


class ConfigError(Exception):
    """A setting has a value the program cannot work with; the message says what to fix."""


class Settings(BaseSettings):
    """Every setting the bot understands. Names are the environment variable names."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str = TELEGRAM_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    # Connections each process keeps to PostgreSQL, and never more (`storage.engine.POOL_SIZE`).
    database_pool_size: int = Field(default=POOL_SIZE, ge=1, le=100)
    redis_url: str | None = None
    coordinator_ids: Annotated[tuple[int, ...], NoDecode] = ()
    coordinator_chat_id: int | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    # On SIGTERM: how long updates already taken may take to finish before the process stops.
    shutdown_grace_seconds: float = Field(default=25.0, ge=0, le=600)
    # "json": one JSON object per log line, for a log collector; "text" for people.
    log_format: Literal["text", "json"] = "text"
    # "uvloop" (less CPU per update; where it is installed) or "asyncio" (the standard loop).
    event_loop: Literal["uvloop", "asyncio"] = "uvloop"
    timezone: str = "Europe/Amsterdam"
    default_locale: str = "nl"
    # Messages per second the sender allows itself overall (Telegram's ceiling is about 30).
    delivery_rate: float = Field(default=25.0, gt=0, le=1000)
    # Days after an event ends until its participant list loses the names (AVG: no longer
    # than needed); the counts stay for the figures.
    retention_days: int = Field(default=90, ge=1, le=3650)
    # Secret key of the tombstones of erased people (keep it out of the database backups).
    privacy_salt: SecretStr | None = None
    # The Dutch government's free address lookup (PDOK Locatieserver): a typed address or
    # postcode becomes a pin. Any server with the same API works (a local copy, a test fake).
    geocoder_url: str = "https://api.pdok.nl/bzk/locatieserver/search/v3_1"
    geocoder_timeout_seconds: float = Field(default=4.0, gt=0, le=60)
    # Where the search index is saved when the bot stops, so the next start reads it back
    # instead of building it again: empty means beside the SQLite database (none with another
    # server), "off" means never.
    search_snapshot_path: str = ""
    # The map (a Telegram Mini App at /webapp/ on the webhook's host and port): the public https
    # base URL it is reached at. Set, the web server also runs beside polling.
    webapp_url: str | None = None
    # Background tiles of the map: PDOK's BRT-Achtergrondkaart by default; any {z}/{x}/{y}
    # tile URL works (OpenStreetMap: https://tile.openstreetmap.org/{z}/{x}/{y}.png).
    map_tile_url: str = (
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
    )
    map_tile_attribution: str = (
        'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> (BRT-Achtergrondkaart)'
    )
    # How old Telegram's signed launch data of the Mini App may be before a sign-up needs a
    # fresh start of the map.
    webapp_init_data_max_age_seconds: int = Field(default=24 * 3600, ge=60, le=7 * 24 * 3600)
    # How long a certificate counts, per level, in days: "basis=1095,kinder=1095,spannend=730".
    certificate_validity_days: Annotated[dict[str, int], NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_VALIDITY_DAYS)
    )

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not _TOKEN_RE.match(value.strip()):
            raise ValueError("BOT_TOKEN does not look like a Telegram bot token (123456:ABC-…)")
        return value.strip()

    @field_validator("telegram_api_url", "webhook_url", "webapp_url", mode="before")
    @classmethod
    def _http_url(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return TELEGRAM_API_URL if info.field_name == "telegram_api_url" else None
        text = str(value).strip().rstrip("/")
        if not re.match(r"^https?://[^\s/]+", text):
            raise ValueError("must be an http(s) URL such as http://127.0.0.1:8081")
        return text

    @field_validator("certificate_validity_days", mode="before")
    @classmethod
    def _validity_per_level(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return value
        days: dict[str, int] = {}
        for part in str(value or "").split(","):
            if not part.strip():
                continue
            level, _sep, number = part.partition("=")
            level, number = level.strip().lower(), number.strip()
            if level not in DEFAULT_VALIDITY_DAYS or not number.isdigit() or int(number) < 1:
                raise ValueError(
                    "must be levels with days, for example basis=1095,kinder=1095,spannend=730"
                )
            days[level] = int(number)
        return {**DEFAULT_VALIDITY_DAYS, **days}

    @field_validator("webapp_url")
    @classmethod
    def _https_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("must be an https URL: Telegram opens Mini Apps only over https")
        return value

    @field_validator("redis_url", "coordinator_chat_id", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("coordinator_ids", mode="before")
    @classmethod
    def _comma_separated_ids(cls, value: Any) -> Any:
        if value is None:
            return ()
        if isinstance(value, int):
            return (value,)
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(re.fullmatch(r"-?\d+", part) for part in parts):
                raise ValueError("must be Telegram user ids separated by commas, e.g. 1234,5678")
            return tuple(int(part) for part in parts)
        return value

    @field_validator("privacy_salt", mode="before")
    @classmethod
    def _salt_or_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret_shape(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value):
            return None
        if not isinstance(value, str) or not _SECRET_RE.match(value):
            raise ValueError("may only contain A-Z, a-z, 0-9, _ and - (1 to 256 characters)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("is not a known time zone such as Europe/Amsterdam") from exc
        return value

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of: {', '.join(SUPPORTED_LOCALES)}")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def token(self) -> str | None:
        return self.bot_token.get_secret_value() if self.bot_token else None

    @property
    def tombstone_salt(self) -> str:
        """The key that hashes erased people's ids; a fixed default when none is configured."""
        return self.privacy_salt.get_secret_value() if self.privacy_salt else DEFAULT_PRIVACY_SALT

    @property
    def uses_webhook(self) -> bool:
        return bool(self.webhook_url)

    @property
    def effective_webhook_secret(self) -> str:
        """The secret Telegram sends with every webhook call: WEBHOOK_SECRET, or else one derived
        from the bot token (HMAC-SHA256), so that the webhook never runs unauthenticated and
        every process with the same token agrees without sharing anything else."""
        if self.webhook_secret:
            return self.webhook_secret.get_secret_value()
        token = self.bot_token.get_secret_value() if self.bot_token else ""
        return hmac.new(token.encode(), _WEBHOOK_SECRET_LABEL, hashlib.sha256).hexdigest()

    def search_snapshot_file(self) -> Path | None:
        """Where the search index is saved (see `search_snapshot_path`), or None."""
        chosen = self.search_snapshot_path.strip()
        if chosen.lower() == "off":
            return None
        if chosen:
            return Path(chosen)
        database = self.sqlite_path()
        return None if database is None else database.with_name(f"{database.stem}.search-index")

    def sqlite_path(self) -> Path | None:
        """The file behind a SQLite URL, so its folder can be created; None for other servers."""
        match = re.match(r"^sqlite(\+\w+)?:///(.+)$", self.database_url)
        if not match or match.group(2) == ":memory:":
            return None
        return Path(match.group(2))


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning a validation failure into one line that says what to fix."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "configuration"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}. Fix it in the environment or in .env.") from None
