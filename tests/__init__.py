"""The tests import the bot first, as the running bot does, so aiogram's models are built
when first used here too (see `bot.telegram_models`)."""

import bot  # noqa: F401
