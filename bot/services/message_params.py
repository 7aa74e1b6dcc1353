"""The parameters each kind of outbox message carries, one TypedDict per kind.

A row stores its kind and these parameters as JSON; the renderer of the kind
(`bot/notifications/`) reads them back at send time. Services build them with the class, so a
missing or misspelt field is a type error, not a message that can't be rendered."""

from __future__ import annotations

from typing import NotRequired, TypedDict

# Events ----------------------------------------------------------------------------------------


class SeatParams(TypedDict):
    """event.reminder, event.reconfirm, event.promoted, event.changed, event.cancelled."""

    event_id: int
    registration_id: int
    starts_at: str  # ISO, to drop a message once the event has started
    version: int  # the event's version: a new time or place makes older messages moot
    offset: NotRequired[int]  # event.reminder: minutes before the start
    reason: NotRequired[str]  # event.cancelled: the coordinator's reason


class DigestParams(TypedDict):
    """digest.weekly: what was published that week and fits the subscriber."""

    event_ids: list[int]
    initiative_ids: list[int]


# Facilitation ----------------------------------------------------------------------------------


class RequestParams(TypedDict):
    """facilitation.request, .nudge, .duty_reminder, .debrief."""

    request_id: int
    version: NotRequired[int]  # duty reminder and debrief: the table's version when planned


class AnsweredParams(TypedDict):
    """facilitation.answered: the coordinator hears the facilitator's answer."""

    request_id: int
    status: str


class WithdrawnParams(TypedDict):
    """facilitation.withdrawn: a facilitator gave a duty back."""

    request_id: int
    event_id: int


class TableParams(TypedDict):
    """facilitation.missing, facilitation.called_off, meetup.invite."""

    event_id: int


# Connections -----------------------------------------------------------------------------------


class PassOnParams(TypedDict):
    """intro.pass_on: a message for an initiative nobody uses Samenspel for, to coordinators."""

    initiative_id: int
    sender_id: int
    text: str


class ThreadMessageParams(TypedDict):
    """intro.request, intro.message: a relayed message of a conversation."""

    thread_id: int
    message_id: int


class ThreadParams(TypedDict):
    """intro.declined, intro.report."""

    thread_id: int


class ContactParams(TypedDict):
    """intro.contact: one side shared their contact with the other."""

    thread_id: int
    user_id: int


class QuestionParams(TypedDict):
    """peer.question."""

    question_id: int


class AnswerParams(TypedDict):
    """peer.answer, peer.thanks."""

    answer_id: int


class ProposalParams(TypedDict):
    """meetup.proposal."""

    proposal_id: int


class ProposalListParams(TypedDict):
    """meetup.proposals: several proposals of one run, as one list."""

    proposal_ids: list[int]


# Initiatives -----------------------------------------------------------------------------------


class FreshnessParams(TypedDict):
    """initiative.freshness: "Klopt dit nog?", moot once confirmed after `confirmed`."""

    initiative_id: int
    confirmed: str


class JoinRequestParams(TypedDict):
    """initiative.join_request."""

    request_id: int


class UnclaimedFreshnessParams(TypedDict):
    """initiative.freshness_unclaimed: to coordinators, for an initiative without members."""

    initiative_id: int
    confirmed: str
    token: str


class CertificateRevokedParams(TypedDict):
    """certificate.revoked: the person hears a certificate was taken back, and why."""

    level: str
    reason: str


class MemberJoinedParams(TypedDict):
    """initiative.member_joined: the one who made an invitation hears it was used."""

    initiative_id: int
    member_id: int


class JoinAnswerParams(TypedDict):
    """initiative.join_answer."""

    initiative_id: int
    accepted: bool


class ModeratedParams(TypedDict):
    """initiative.moderated: a coordinator hid or showed the profile."""

    initiative_id: int
    hidden: bool


# Coordination ----------------------------------------------------------------------------------


class BroadcastParams(TypedDict):
    """broadcast, broadcast.report."""

    broadcast_id: int


class RoleParams(TypedDict):
    """role.changed."""

    role: str


class AnnouncementParams(TypedDict):
    """announcement: HTML the coordinator composed, sent unchanged."""

    text: str
