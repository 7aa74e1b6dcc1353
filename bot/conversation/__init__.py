"""Helpers for conversations that span several messages (typing steps, writing windows)."""
