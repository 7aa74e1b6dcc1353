"""Renderers of the messages the bot sends on its own initiative, one module per feature.

Importing this package registers every kind (see `registry.py`).
"""

from bot.notifications import (
    announcements,  # noqa: F401  (registers "announcement")
    broadcasts,  # noqa: F401  (registers the coordinator tools' kinds)
    connections,  # noqa: F401  (registers the connections' kinds)
    events,  # noqa: F401  (registers the event kinds)
    facilitation,  # noqa: F401  (registers the facilitation kinds)
    initiatives,  # noqa: F401  (registers the initiative kinds)
)
