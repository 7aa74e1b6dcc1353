"""Telling someone a certificate was taken back (attendance corrected, or a coordinator's
decision); used by the events and the facilitation features alike."""

from __future__ import annotations

from datetime import datetime

from bot.services import outbox
from bot.services.message_params import CertificateRevokedParams
from storage.repositories import Repo


async def tell_certificate_revoked(
    repo: Repo, user_id: int, level: str, reason: str, *, now: datetime
) -> None:
    """The person hears that a certificate was taken back ("attendance": their presence at
    the training was corrected; else the coordinator's reason)."""
    await outbox.schedule(
        repo,
        key=f"certificate.revoked:{user_id}:{level}:{int(now.timestamp())}",
        recipient_id=user_id,
        kind="certificate.revoked",
        params=CertificateRevokedParams(level=level, reason=reason[:300]),
        due_at=now,
        now=now,
        subject=f"user:{user_id}",
    )
