"""The delivery engine: a durable outbox (bot.services.outbox), a sender that respects
Telegram's limits (sender.py, limits.py) and the rules for when a message may go out
(policy.py)."""

from bot.delivery.limits import Limits, RateLimiter
from bot.delivery.sender import DeliveryStats, Sender

__all__ = ["DeliveryStats", "Limits", "RateLimiter", "Sender"]
