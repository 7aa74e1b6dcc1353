"""Formatting of dates and cards for chat messages."""
