"""How an initiative looks in the chat: the profile card, its status for members, a list line."""

from __future__ import annotations

import html
from datetime import datetime

from bot.catalog.themes import THEMES
from bot.i18n import _
from bot.services.initiatives.profiles import is_outdated
from storage.models import Initiative, InitiativeStatus


def theme_names(slugs: list[str], locale: str) -> str:
    return " · ".join(THEMES[slug].label(locale) for slug in slugs if slug in THEMES)


def format_phone(phone: str) -> str:
    """+31612345678 → 06 12345678; other Dutch numbers in their national form."""
    national = "0" + phone[3:] if phone.startswith("+31") else phone
    return f"{national[:2]} {national[2:]}" if national.startswith("06") else national


def public_contact_lines(initiative: Initiative) -> list[str]:
    """The contact details the initiative published: website, e-mail, phone, Telegram."""
    lines = []
    if initiative.website:
        lines.append(f"🌐 {html.escape(initiative.website)}")
    if initiative.email:
        lines.append(f"✉️ {html.escape(initiative.email)}")
    if initiative.phone:
        lines.append(f"📞 {html.escape(format_phone(initiative.phone))}")
    if initiative.telegram:
        lines.append(f"💬 @{html.escape(initiative.telegram)}")
    return lines


def place_line(initiative: Initiative) -> str:
    parts = [initiative.municipality or "", initiative.neighbourhood or ""]
    return " · ".join(html.escape(part) for part in parts if part)


def card_text(initiative: Initiative, locale: str, now: datetime) -> str:
    """The public profile: what anyone sees (HTML, user content escaped)."""
    lines = [f"<b>{html.escape(initiative.name or '…')}</b>"]
    if initiative.description:
        lines.append(html.escape(initiative.description))
    lines.append("")
    if initiative.themes:
        lines.append(f"🏷 {theme_names(initiative.themes, locale)}")
    if initiative.municipality:
        lines.append(f"📍 {place_line(initiative)}")
    lines.extend(public_contact_lines(initiative))
    if initiative.keywords:
        lines.append(f"🔑 {html.escape(', '.join(initiative.keywords))}")
    if initiative.is_published and is_outdated(initiative, now):
        lines.append("")
        lines.append(_("⚠️ Possibly outdated: not confirmed for over a year."))
    return "\n".join(lines).rstrip()


def status_line(initiative: Initiative) -> str:
    if initiative.status == InitiativeStatus.PUBLISHED:
        return _("🟢 Published: everyone can find it.")
    if initiative.status == InitiativeStatus.HIDDEN:
        return _("🚫 Hidden by a coordinator. Questions? Ask via /help.")
    if initiative.draft_step is not None:
        return _("✏️ Registration not finished. Type /new to go on.")
    return _("🔒 Not published: only members see it.")


def member_card_text(initiative: Initiative, locale: str, now: datetime) -> str:
    """The card as a member sees it: the profile plus its status."""
    return f"{card_text(initiative, locale, now)}\n\n{status_line(initiative)}"


def join_decided_text(name: str, accepted: bool) -> str:
    """After an owner answered a request to join their initiative."""
    text = (
        _("✅ Accepted: they can now keep <b>{name}</b> up to date.")
        if accepted
        else _("You declined the request to join <b>{name}</b>.")
    )
    return text.format(name=html.escape(name))
