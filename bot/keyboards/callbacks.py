"""Callback data of every inline button. One class per kind of action; prefixes stay short."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class MenuCallback(CallbackData, prefix="menu"):
    action: str


class LanguageCallback(CallbackData, prefix="lang"):
    code: str


class EventCallback(CallbackData, prefix="ev"):
    """An action on one event: open, join, leave, ics."""

    action: str
    event_id: int


class EventListCallback(CallbackData, prefix="evl"):
    """A page of the agenda with its filters; `pick` opens the theme or place picker."""

    kind: str = ""
    theme: str = ""
    place: str = ""
    week: int = 0
    page: int = 0
    pick: str = ""


class ReconfirmCallback(CallbackData, prefix="evr"):
    """The answer to "Kom je nog?"."""

    registration_id: int
    coming: bool


class AttendanceCallback(CallbackData, prefix="eva"):
    """A coordinator marks one participant as present or absent."""

    registration_id: int
    attended: bool


class EventAdminCallback(CallbackData, prefix="evm"):
    """A coordinator's action on an event: participants, attendance, qr, cancel, confirm."""

    action: str
    event_id: int


class DigestCallback(CallbackData, prefix="dg"):
    """Settings of the weekly digest: on/off, a theme or a municipality to toggle."""

    action: str
    value: str = ""


class RegisterCallback(CallbackData, prefix="rg"):
    """A button in the registration of a new initiative: back, skip, cancel, a theme to tick,
    a municipality, continue/restart a draft, publish, later, and the duplicate hint."""

    action: str
    value: str = ""


class InitiativeAction(StrEnum):
    OPEN = "open"
    EDIT = "edit"
    FIELD = "field"
    PUBLISH = "pub"
    PUBLISH_CONFIRMED = "pubyes"
    UNPUBLISH = "unpub"
    DELETE = "del"
    DELETE_CONFIRMED = "delyes"
    FRESH = "fresh"
    MEMBERS = "members"
    INVITE = "invite"
    MAKE_OWNER = "owner"
    LEAVE = "leave"
    LEAVE_CONFIRMED = "leaveyes"


class InitiativeCallback(CallbackData, prefix="ini"):
    """A member's action on an initiative; `value` carries a field name or a member id where
    the action needs one."""

    action: InitiativeAction
    id: int
    value: str = ""


class JoinRequestCallback(CallbackData, prefix="ijr"):
    """An owner's (or coordinator's) answer to a request to join an initiative."""

    request_id: int
    accept: bool


class EventFormCallback(CallbackData, prefix="evf"):
    """A choice while a coordinator creates or edits an event (level, theme, publish, field)."""

    field: str
    value: str = ""


class BroadcastComposeCallback(CallbackData, prefix="bcc"):
    """A step while a coordinator composes a broadcast: the button choice, an audience
    segment to toggle (with its value), a picker to open, the preview."""

    step: str
    value: str = ""


class BroadcastCallback(CallbackData, prefix="bc"):
    """A coordinator's answer to a broadcast's preview: send, later (after quiet hours),
    cancel."""

    action: str
    id: int


class StatsCallback(CallbackData, prefix="st"):
    """The figures for another period (month, lastmonth, year, lastyear, all)."""

    period: str


class ExportCallback(CallbackData, prefix="ex"):
    """A CSV export: initiatives, events, registrations, debriefs or audit."""

    what: str
    period: str = ""


class IntroCallback(CallbackData, prefix="itr"):
    """Introductions with consent: `start` (from an initiative's card, `id` = initiative),
    or an action in a relayed conversation (`id` = thread): reply, share, decline, report,
    block; `cancel` stops typing; `ban` is a coordinator's block after a report."""

    action: str
    id: int


class PeerCallback(CallbackData, prefix="pq"):
    """Questions to peers: a theme picked for a question, answer / skip a question, mark an
    answer helpful, consent to the knowledge base, and the help-offer settings."""

    action: str
    id: int = 0
    value: str = ""


class KnowledgeCallback(CallbackData, prefix="kb"):
    """The knowledge base: open an article; coordinators edit a field, remove, confirm."""

    action: str
    id: int = 0
    value: str = ""


class MeetupProposalCallback(CallbackData, prefix="mtp"):
    """A coordinator's answer to a themed-meetup proposal: create the draft, or not now."""

    action: str
    id: int


class SearchCallback(CallbackData, prefix="sr"):
    """A page or filter of a search. `q` names the search kept in the conversation; `pick`
    opens the theme or municipality picker."""

    q: int
    page: int = 0
    theme: str = ""
    place: str = ""
    pick: str = ""


class SearchItemCallback(CallbackData, prefix="si"):
    """A found initiative: open its card, its similar initiatives, or its contact details."""

    action: str
    id: int


class NearbyCallback(CallbackData, prefix="nb"):
    """Another page of the initiatives near a shared location (`q` names the location)."""

    q: int
    page: int = 0


class PrivacyCallback(CallbackData, prefix="pv"):
    """The answer to "erase everything?": `erase` or `keep`, with the one-time code the
    question carried (a forged or old button erases nothing)."""

    action: str
    code: str = ""


class FacAnswerCallback(CallbackData, prefix="fq"):
    """A facilitator's [Ja] / [Nee] to a request to lead a table."""

    request_id: int
    yes: bool


class FacDutyCallback(CallbackData, prefix="fd"):
    """A facilitator's own table: "I can't after all" (`withdraw`) and its confirmation."""

    action: str
    request_id: int


class FacAdminCallback(CallbackData, prefix="fa"):
    """A coordinator's facilitation action on a table: the overview (`panel`), ask someone
    (`ask`, value = user id), an open call (`call`), the certificate (`level`), how many
    (`need`, value = +1 / -1)."""

    action: str
    event_id: int
    value: str = ""


class FacSettingsCallback(CallbackData, prefix="fs"):
    """A facilitator's own settings: remove an unavailable period (`del`), a monthly maximum
    (`max`, 0 = none)."""

    action: str
    value: int = 0
