"""All tables, one module per feature. Importing this package registers every table."""

from storage.base import Base, never_reuse_ids
from storage.models.connections import (
    HelpOffer,
    IntroMessage,
    IntroThread,
    KnowledgeArticle,
    KnowledgeRevision,
    MeetupProposal,
    PeerAnswer,
    PeerQuestion,
    PeerRecipient,
    ProposalStatus,
    SenderBlock,
    SenderQuota,
    ThreadStatus,
)
from storage.models.coordination import AuditEntry, Broadcast, BroadcastStatus
from storage.models.events import (
    Certificate,
    DigestSubscription,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    StandingWish,
    TableFeedback,
    TrainingLevel,
)
from storage.models.facilitation import (
    AvailableDay,
    Debrief,
    FacilitationRequest,
    FacilitatorProfile,
    OpenCall,
    RequestStatus,
    Unavailability,
)
from storage.models.initiatives import (
    Initiative,
    InitiativeInvite,
    InitiativeJoinRequest,
    InitiativeMember,
    InitiativeStatus,
    MemberRole,
)
from storage.models.outbox import OutboxMessage, OutboxStatus
from storage.models.privacy import Tombstone
from storage.models.search import SearchChange, SearchState
from storage.models.users import Role, User

__all__ = [
    "AuditEntry",
    "AvailableDay",
    "Broadcast",
    "BroadcastStatus",
    "Certificate",
    "Debrief",
    "DigestSubscription",
    "Event",
    "EventKind",
    "EventStatus",
    "FacilitationRequest",
    "FacilitatorProfile",
    "HelpOffer",
    "Initiative",
    "InitiativeInvite",
    "InitiativeJoinRequest",
    "InitiativeMember",
    "InitiativeStatus",
    "IntroMessage",
    "IntroThread",
    "KnowledgeArticle",
    "KnowledgeRevision",
    "MeetupProposal",
    "MemberRole",
    "OpenCall",
    "OutboxMessage",
    "OutboxStatus",
    "PeerAnswer",
    "PeerQuestion",
    "PeerRecipient",
    "ProposalStatus",
    "Registration",
    "RegistrationStatus",
    "RequestStatus",
    "Role",
    "SearchChange",
    "SearchState",
    "SenderBlock",
    "SenderQuota",
    "StandingWish",
    "TableFeedback",
    "ThreadStatus",
    "Tombstone",
    "TrainingLevel",
    "Unavailability",
    "User",
]

never_reuse_ids(Base.metadata)
