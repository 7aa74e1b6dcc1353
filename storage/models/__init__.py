"""All tables, one module per feature. Importing this package registers every table."""

from storage.models.outbox import OutboxMessage, OutboxStatus
from storage.models.users import Role, User

__all__ = ["OutboxMessage", "OutboxStatus", "Role", "User"]
