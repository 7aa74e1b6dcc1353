"""Buttons of the initiative registration and of editing one field: the questions, themes,
municipalities, the location keyboard, the preview and the duplicate hint."""

from __future__ import annotations

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.catalog.municipalities import MUNICIPALITIES, Municipality
from bot.catalog.themes import THEMES
from bot.i18n import N_, _
from bot.keyboards.builder import InlineKeyboardBuilder
from bot.keyboards.callbacks import InitiativeCallback, RegisterAction, RegisterCallback
from bot.services.initiatives.fields import REQUIRED, STEPS, Field, has_value
from storage.models import Initiative

FIELD_LABELS: dict[Field, str] = {
    Field.NAME: N_("Name"),
    Field.DESCRIPTION: N_("Description"),
    Field.THEMES: N_("Themes"),
    Field.MUNICIPALITY: N_("Municipality"),
    Field.NEIGHBOURHOOD: N_("Neighbourhood"),
    Field.LOCATION: N_("Location"),
    Field.WEBSITE: N_("Website"),
    Field.EMAIL: N_("E-mail"),
    Field.PHONE: N_("Phone"),
    Field.TELEGRAM: N_("Telegram"),
    Field.KEYWORDS: N_("Keywords"),
}


def back_label() -> str:
    return _("⬅️ Back")


def skip_label() -> str:
    return _("⏭ Skip")


def keep_label() -> str:
    return _("➡️ Keep")


def cancel_label() -> str:
    return _("✖️ Cancel")


def remove_label() -> str:
    return _("🗑 Remove")


def send_location_label() -> str:
    return _("📍 I'm there now")


def _nav(builder: InlineKeyboardBuilder, field: Field, *, editing: bool, filled: bool) -> None:
    """The last row: back/skip/keep/cancel while registering, remove/cancel while editing."""
    row: list[InlineKeyboardButton] = []
    if editing:
        if field not in REQUIRED and filled:
            row.append(
                _button(
                    remove_label(),
                    RegisterCallback(action=RegisterAction.REMOVE, value=field.value),
                )
            )
    else:
        if field is not STEPS[0]:
            row.append(
                _button(
                    back_label(), RegisterCallback(action=RegisterAction.BACK, value=field.value)
                )
            )
        if filled:
            row.append(
                _button(
                    keep_label(), RegisterCallback(action=RegisterAction.SKIP, value=field.value)
                )
            )
        elif field not in REQUIRED:
            row.append(
                _button(
                    skip_label(), RegisterCallback(action=RegisterAction.SKIP, value=field.value)
                )
            )
    row.append(
        _button(cancel_label(), RegisterCallback(action=RegisterAction.CANCEL, value=field.value))
    )
    builder.row(*row)


def _button(text: str, data: RegisterCallback | InitiativeCallback) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def question_keyboard(
    field: Field, initiative: Initiative, locale: str, *, editing: bool = False
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if field is Field.THEMES:
        for slug, label in THEMES.items():
            ticked = "✅ " if slug in initiative.themes else ""
            builder.button(
                text=f"{ticked}{label.label(locale)}",
                callback_data=RegisterCallback(action=RegisterAction.THEME, value=slug),
            )
        builder.adjust(2)
        if initiative.themes:
            builder.row(_button(_("✔️ Done"), RegisterCallback(action=RegisterAction.THEMES_DONE)))
    elif field is Field.MUNICIPALITY:
        for municipality in MUNICIPALITIES:
            builder.button(
                text=municipality.name,
                callback_data=RegisterCallback(action=RegisterAction.MUN, value=municipality.name),
            )
        builder.adjust(2)
    # Themes are confirmed with "Done"; the other steps can keep what is there.
    filled = field is not Field.THEMES and has_value(initiative, field)
    _nav(builder, field, editing=editing, filled=filled)
    return builder.as_markup()


def location_keyboard(*, editing: bool, filled: bool) -> ReplyKeyboardMarkup:
    """A reply keyboard: only it can ask Telegram for the user's location."""
    second: list[KeyboardButton] = []
    if editing:
        if filled:
            second.append(KeyboardButton(text=remove_label()))
    else:
        second.append(KeyboardButton(text=back_label()))
        second.append(KeyboardButton(text=keep_label() if filled else skip_label()))
    second.append(KeyboardButton(text=cancel_label()))
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=send_location_label(), request_location=True)], second],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def suggestions_keyboard(suggestions: tuple[Municipality, ...]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for municipality in suggestions:
        builder.button(
            text=municipality.name,
            callback_data=RegisterCallback(action=RegisterAction.MUN, value=municipality.name),
        )
    builder.adjust(1)
    return builder.as_markup()


def resume_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("▶️ Go on"), callback_data=RegisterCallback(action=RegisterAction.CONTINUE)
    )
    builder.button(
        text=_("🔄 Start again"), callback_data=RegisterCallback(action=RegisterAction.RESTART)
    )
    builder.adjust(2)
    return builder.as_markup()


def preview_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("✅ Yes, publish"), callback_data=RegisterCallback(action=RegisterAction.PUBLISH)
    )
    builder.button(
        text=back_label(),
        callback_data=RegisterCallback(action=RegisterAction.BACK, value="preview"),
    )
    builder.button(
        text=_("💾 Not yet"), callback_data=RegisterCallback(action=RegisterAction.LATER)
    )
    builder.button(
        text=cancel_label(),
        callback_data=RegisterCallback(action=RegisterAction.CANCEL, value="preview"),
    )
    builder.adjust(1, 2, 1)
    return builder.as_markup()


def duplicate_keyboard(initiative_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Yes, request to join"),
        callback_data=RegisterCallback(action=RegisterAction.DUP_YES, value=str(initiative_id)),
    )
    builder.button(
        text=_("No, it's a different one"),
        callback_data=RegisterCallback(action=RegisterAction.DUP_NO, value=str(initiative_id)),
    )
    builder.adjust(1)
    return builder.as_markup()
