"""The steps of every conversation that spans several messages, one StatesGroup per flow."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class PrivacyStates(StatesGroup):
    confirm_erase = State()


class SearchStates(StatesGroup):
    query = State()


class PeerStates(StatesGroup):
    question = State()
    answer = State()


class ArticleStates(StatesGroup):
    new = State()
    edit = State()


class IntroStates(StatesGroup):
    first = State()
    reply = State()
    pass_on = State()  # a message the coordinators pass on to an initiative nobody uses it for


class EditEventStates(StatesGroup):
    value = State()  # a typed value
    pick = State()  # a theme or level, with a button
    confirm = State()  # a new time or place waits for [Ja, wijzig en stuur]


class CallOffStates(StatesGroup):
    reason = State()  # the coordinator may type why, for the message to everyone signed up


class NewEventStates(StatesGroup):
    title = State()
    level = State()
    when = State()
    place = State()
    capacity = State()
    theme = State()
    description = State()
    contribution = State()
    confirm = State()


class RegisterStates(StatesGroup):
    answering = State()
    duplicate = State()


class EditStates(StatesGroup):
    value = State()


class BroadcastStates(StatesGroup):
    text = State()
    button = State()
    button_link = State()
    button_event = State()
    audience = State()
    audience_event = State()


class FeedbackStates(StatesGroup):
    comment = State()  # after the stars: a sentence, if they like
