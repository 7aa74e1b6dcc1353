"""Renderers of the messages the bot sends on its own initiative, one module per feature.

Importing this package registers every kind (see `registry.py`).
"""

from bot.notifications import announcements  # noqa: F401  (registers "announcement")
