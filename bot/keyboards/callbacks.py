"""Callback data of every inline button. One class per kind of action; prefixes stay short."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class MenuCallback(CallbackData, prefix="menu"):
    action: str


class LanguageCallback(CallbackData, prefix="lang"):
    code: str
