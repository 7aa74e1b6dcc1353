"""Screens that handlers share: texts and cards for chat messages, built from service results."""
