"""The Samenspel bot. aiogram's Telegram models are built when first used (see
`bot.telegram_models`), so this runs before any module of the bot imports aiogram."""

from bot.telegram_models import import_aiogram

import_aiogram()
