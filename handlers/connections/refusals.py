"""What a refused connection action says: the one refusal map of this feature."""

from __future__ import annotations

from bot.i18n import _
from bot.services.connections.errors import ConnectionsError
from bot.services.connections.introductions import IntroError
from bot.services.connections.knowledge import KnowledgeError
from bot.services.connections.meetups import ProposalGoneError
from bot.services.connections.peer_questions import PeerError
from bot.views.connections import intro_refusal, peer_refusal
from bot.views.knowledge import article_gone_text


def refusal(exc: ConnectionsError) -> str:
    if isinstance(exc, IntroError):
        return intro_refusal(exc)
    if isinstance(exc, PeerError):
        return peer_refusal(exc)
    if isinstance(exc, ProposalGoneError):
        return _("Someone decided on this proposal already.")
    if isinstance(exc, KnowledgeError):
        return article_gone_text()
    return _("That didn't work. Please try again.")
