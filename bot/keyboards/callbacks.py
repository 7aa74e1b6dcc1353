"""Callback data of every inline button. One class per kind of action; prefixes stay short."""

from __future__ import annotations

from enum import StrEnum
from typing import cast

from aiogram.filters.callback_data import MAX_CALLBACK_LENGTH, CallbackData


class QuickPack:
    """Put before `CallbackData` in the bases of every callback here: packed as aiogram packs
    it, without making a dict of the model first (aiogram's `pack` cost more than the button it
    is for). An `int` or `str` value is written as it is; everything else (enums, booleans,
    None) as aiogram writes it."""

    __slots__ = ()

    def pack(self) -> str:
        callback = cast(CallbackData, self)
        separator = callback.__separator__
        parts = [callback.__prefix__]
        for name in _field_names(type(callback)):
            value = getattr(callback, name)
            kind = type(value)
            encoded = (
                value if kind is str else str(value) if kind is int
                else callback._encode_value(name, value)
            )  # fmt: skip
            if separator in encoded:
                raise ValueError(
                    f"Separator symbol {separator!r} can not be used in value {name}={encoded!r}"
                )
            parts.append(encoded)
        packed = separator.join(parts)
        if len(packed.encode()) > MAX_CALLBACK_LENGTH:
            raise ValueError(
                f"Resulted callback data is too long! len({packed!r}.encode()) > "
                f"{MAX_CALLBACK_LENGTH}"
            )
        return packed


_FIELD_NAMES: dict[type[CallbackData], tuple[str, ...]] = {}


def _field_names(cls: type[CallbackData]) -> tuple[str, ...]:
    """A callback's fields, in the order aiogram packs them."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(cls.model_fields)
    return names


class MenuAction(StrEnum):
    SEARCH = "search"
    AGENDA = "agenda"
    MY_AGENDA = "my_agenda"
    NEW_INITIATIVE = "new_initiative"
    MY_INITIATIVES = "my_initiatives"
    ASK = "ask"
    KNOWLEDGE = "knowledge"
    HELP = "help"
    LANGUAGE = "language"
    MENU = "menu"
    # Another page of a list on screen (edited in place).
    MY_AGENDA_PAGE = "my_agenda_page"
    MY_INITIATIVES_PAGE = "my_initiatives_page"


class MenuCallback(QuickPack, CallbackData, prefix="menu"):
    action: MenuAction
    page: int = 0


class LanguageCallback(QuickPack, CallbackData, prefix="lang"):
    code: str


class EventAction(StrEnum):
    OPEN = "open"
    JOIN = "join"
    LEAVE = "leave"
    LEAVE_CONFIRMED = "leaveyes"
    ICS = "ics"
    UNLIST = "unlist"
    TAKE = "take"  # yes to a seat offered to the whole waitlist
    GROUP = "group"  # sign up (or change) with more people


class EventCallback(QuickPack, CallbackData, prefix="ev"):
    """An action on one event: open, join, leave, ics."""

    action: EventAction
    event_id: int


class EventPartyCallback(QuickPack, CallbackData, prefix="evp"):
    """How many people a sign-up brings, the signer included."""

    event_id: int
    people: int


class EventListCallback(QuickPack, CallbackData, prefix="evl"):
    """A page of the agenda with its filters: `when` is a period ("w1" this week, "w2" next
    week, "2703" a month, "270328" a day); `pick` opens the theme ("t"), place ("p") or month
    ("m") picker. Short codes keep the longest theme and place within 64 bytes."""

    kind: str = ""
    theme: str = ""
    place: str = ""
    when: str = ""
    page: int = 0
    pick: str = ""


class ReconfirmCallback(QuickPack, CallbackData, prefix="evr"):
    """The answer to "Kom je nog?"; "no" gives the seat away, so it is confirmed (`sure`)."""

    registration_id: int
    coming: bool
    sure: bool = False


class AttendanceCallback(QuickPack, CallbackData, prefix="eva"):
    """A coordinator marks one participant as present or absent."""

    registration_id: int
    attended: bool
    page: int = 0  # the attendance page the button is on, shown again after the tap


class EventAdminAction(StrEnum):
    QR = "qr"
    PEOPLE = "people"
    EDIT = "edit"
    CANCEL = "cancel"
    CANCEL_YES = "cancel_yes"
    CANCEL_NO = "cancel_no"
    ATTENDANCE = "attendance"
    # Another page of a list already on screen (the message is edited in place).
    PEOPLE_PAGE = "people_page"
    ATTENDANCE_PAGE = "attendance_page"


class EventAdminCallback(QuickPack, CallbackData, prefix="evm"):
    """A coordinator's action on an event: participants, attendance, qr, cancel, confirm;
    `page` of the participant and attendance lists."""

    action: EventAdminAction
    event_id: int
    page: int = 0


class DigestAction(StrEnum):
    ON = "on"
    OFF = "off"
    SHOW = "show"
    THEMES = "themes"
    PLACES = "places"
    THEME = "theme"
    PLACE = "place"


class DigestCallback(QuickPack, CallbackData, prefix="dg"):
    """Settings of the weekly digest: on/off, a theme or a municipality to toggle."""

    action: DigestAction
    value: str = ""


class RegisterAction(StrEnum):
    BACK = "back"
    SKIP = "skip"
    CANCEL = "cancel"
    REMOVE = "remove"
    THEME = "theme"
    THEMES_DONE = "themes_done"
    MUN = "mun"
    CONTINUE = "continue"
    RESTART = "restart"
    PUBLISH = "publish"
    LATER = "later"
    DUP_YES = "dup_yes"
    DUP_NO = "dup_no"


class RegisterCallback(QuickPack, CallbackData, prefix="rg"):
    """A button in the registration of a new initiative: back, skip, cancel, a theme to tick,
    a municipality, continue/restart a draft, publish, later, and the duplicate hint."""

    action: RegisterAction
    value: str = ""


class InitiativeAction(StrEnum):
    OPEN = "open"
    EDIT = "edit"
    FIELD = "field"
    PUBLISH = "pub"
    PUBLISH_CONFIRMED = "pubyes"
    UNPUBLISH = "unpub"
    UNPUBLISH_CONFIRMED = "unpubyes"
    DELETE = "del"
    DELETE_CONFIRMED = "delyes"
    FRESH = "fresh"
    MEMBERS = "members"
    INVITE = "invite"
    MAKE_OWNER = "owner"
    LEAVE = "leave"
    LEAVE_CONFIRMED = "leaveyes"


class InitiativeCallback(QuickPack, CallbackData, prefix="ini"):
    """A member's action on an initiative; `value` carries a field name or a member id where
    the action needs one."""

    action: InitiativeAction
    id: int
    value: str = ""


class JoinRequestCallback(QuickPack, CallbackData, prefix="ijr"):
    """An owner's (or coordinator's) answer to a request to join an initiative; declining is
    confirmed first (`sure`)."""

    request_id: int
    accept: bool
    sure: bool = False


class EventFormCallback(QuickPack, CallbackData, prefix="evf"):
    """A choice while a coordinator creates or edits an event (level, theme, publish, field)."""

    field: str
    value: str = ""


class BroadcastComposeCallback(QuickPack, CallbackData, prefix="bcc"):
    """A step while a coordinator composes a broadcast: the button choice, an audience
    segment to toggle (with its value), a picker to open, the preview."""

    step: str
    value: str = ""


class BroadcastAction(StrEnum):
    SEND = "send"
    LATER = "later"
    CANCEL = "cancel"


class BroadcastCallback(QuickPack, CallbackData, prefix="bc"):
    """A coordinator's answer to a broadcast's preview: send, later (after quiet hours),
    cancel."""

    action: BroadcastAction
    id: int


class StatsCallback(QuickPack, CallbackData, prefix="st"):
    """The figures for another period (month, lastmonth, year, lastyear, all)."""

    period: str


class ExportCallback(QuickPack, CallbackData, prefix="ex"):
    """A CSV export: initiatives, events, registrations, debriefs or audit."""

    what: str
    period: str = ""


class IntroAction(StrEnum):
    START = "start"
    AS = "as"
    CANCEL = "cancel"
    REPLY = "reply"
    SHARE = "share"
    DECLINE = "decline"
    REPORT = "report"
    BLOCK = "block"
    BAN = "ban"
    PASS_ON = "passon"


class IntroCallback(QuickPack, CallbackData, prefix="itr"):
    """Introductions with consent: `start` (from an initiative's card, `id` = initiative),
    or an action in a relayed conversation (`id` = thread): reply, share, decline, report,
    block; `cancel` stops typing; `ban` is a coordinator's block after a report. Reporting
    and blocking are confirmed first (`sure`)."""

    action: IntroAction
    id: int
    sure: bool = False


class PeerAction(StrEnum):
    THEME = "theme"
    CLOSE = "close"
    ANSWER = "answer"
    SKIP = "skip"
    HELPFUL = "helpful"
    CYES = "cyes"
    CNO = "cno"
    OFFER = "offer"
    OFFERS = "offers"
    OFFERS_DONE = "offdone"


class PeerCallback(QuickPack, CallbackData, prefix="pq"):
    """Questions to peers: a theme picked for a question, answer / skip a question, mark an
    answer helpful, consent to the knowledge base, and the help-offer settings."""

    action: PeerAction
    id: int = 0
    value: str = ""


class KnowledgeAction(StrEnum):
    OPEN = "open"
    EDIT = "edit"
    FIELD = "field"
    SAVE = "save"
    CANCEL = "cancel"
    DEL = "del"
    DELYES = "delyes"
    LIST = "list"  # a page of the list of subjects (`value` = the page)


class KnowledgeCallback(QuickPack, CallbackData, prefix="kb"):
    """The knowledge base: open an article; coordinators edit a field, remove, confirm."""

    action: KnowledgeAction
    id: int = 0
    value: str = ""


class MeetupProposalAction(StrEnum):
    OPEN = "open"  # one proposal out of a list
    CREATE = "create"
    PUBLISH = "publish"
    DISMISS = "dismiss"


class MeetupProposalCallback(QuickPack, CallbackData, prefix="mtp"):
    """A coordinator's answer to a themed-meetup proposal: create the draft, or not now."""

    action: MeetupProposalAction
    id: int


class SearchCallback(QuickPack, CallbackData, prefix="sr"):
    """A page or filter of a search. `q` names the search kept in the conversation; `pick`
    opens the theme or municipality picker."""

    q: int
    page: int = 0
    theme: str = ""
    place: str = ""
    pick: str = ""


class SearchItemAction(StrEnum):
    OPEN = "open"
    SIMILAR = "similar"
    CONTACT = "contact"


class SearchItemCallback(QuickPack, CallbackData, prefix="si"):
    """A found initiative: open its card, its similar initiatives, or its contact details."""

    action: SearchItemAction
    id: int


class NearbyCallback(QuickPack, CallbackData, prefix="nb"):
    """Another page of the initiatives near a shared location (`q` names the location)."""

    q: int
    page: int = 0


class PrivacyAction(StrEnum):
    ERASE = "erase"
    KEEP = "keep"


class PrivacyCallback(QuickPack, CallbackData, prefix="pv"):
    """The answer to "erase everything?": `erase` or `keep`, with the one-time code the
    question carried (a forged or old button erases nothing)."""

    action: PrivacyAction
    code: str = ""


class FacAnswerCallback(QuickPack, CallbackData, prefix="fq"):
    """A facilitator's [Ja] / [Nee] to a request to lead a table."""

    request_id: int
    yes: bool


class FacDutyAction(StrEnum):
    WITHDRAW = "withdraw"
    WITHDRAW_YES = "withdraw_yes"
    STILL_ON = "still"  # the table moved, and they can still lead it


class FacDutyCallback(QuickPack, CallbackData, prefix="fd"):
    """A facilitator's own table: "I can't after all" (`withdraw`) and its confirmation."""

    action: FacDutyAction
    request_id: int


class FacAdminAction(StrEnum):
    PANEL = "panel"
    ASK = "ask"
    CALL = "call"
    NEED = "need"
    LEVEL = "level"


class FacAdminCallback(QuickPack, CallbackData, prefix="fa"):
    """A coordinator's facilitation action on a table: the overview (`panel`), ask someone
    (`ask`, value = user id), an open call (`call`), the certificate (`level`), how many
    (`need`, value = +1 / -1)."""

    action: FacAdminAction
    event_id: int
    value: str = ""


class FacSettingsAction(StrEnum):
    DEL = "del"
    MAX = "max"


class FacSettingsCallback(QuickPack, CallbackData, prefix="fs"):
    """A facilitator's own settings: remove an unavailable period (`del`), a monthly maximum
    (`max`, 0 = none)."""

    action: FacSettingsAction
    value: int = 0


# Prefixes of buttons that only coordinators get. A button with such a prefix that no handler
# understood (an old or forged action) is still refused to anyone else as an admin button.
ADMIN_PREFIXES: frozenset[str] = frozenset(
    {
        EventAdminCallback.__prefix__,
        AttendanceCallback.__prefix__,
        EventFormCallback.__prefix__,
        BroadcastComposeCallback.__prefix__,
        BroadcastCallback.__prefix__,
        StatsCallback.__prefix__,
        ExportCallback.__prefix__,
        FacAdminCallback.__prefix__,
        MeetupProposalCallback.__prefix__,
    }
)


class ConfirmCallback(QuickPack, CallbackData, prefix="cf"):
    """[No, never mind] under a one-tap confirmation row (`bot.keyboards.confirm`)."""

    action: str = "no"


class FeedbackCallback(QuickPack, CallbackData, prefix="fb"):
    """ "Hoe was het gesprek?": `rating` 1–5 stars; 0 is [Klaar] (no sentence); `share` after
    a sentence: 1 it may be shared, 0 only the stars."""

    event_id: int
    rating: int = 0
    share: int = -1


class WishAction(StrEnum):
    ADD = "add"  # a wish like this (full) event
    DROP = "drop"  # remove a wish (in /mijnagenda)


class WishCallback(QuickPack, CallbackData, prefix="wl"):
    """The flexible waitlist: `id` is the event (add) or the wish (drop)."""

    action: WishAction
    id: int


class PollCallback(QuickPack, CallbackData, prefix="ap"):
    """A day of the monthly availability poll ("270112") ticked on or off; no day: done."""

    month: str
    day: str = ""
    on: bool = False


class RotaCallback(QuickPack, CallbackData, prefix="ro"):
    """The coordinators' rota proposal of a month: send the requests, or not now."""

    month: str
    send: bool


class MixCallback(QuickPack, CallbackData, prefix="mx"):
    """An answer to one of the two optional sign-up questions: `q` the question ("a" age,
    "p" place), `v` the answer's code ("-" skipped); `join` > 0 signs up that many people
    with it (when only reserved seats were left)."""

    event_id: int
    q: str
    v: str
    join: int = 0
