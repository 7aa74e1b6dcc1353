"""The knowledge-base articles that ship with the product (rules and practical tips every
residents' initiative runs into). A migration adds them once to every database, so a real
deployment has them from the start; coordinators edit or remove them like any other article,
and a removed one does not come back."""

from __future__ import annotations

import json
from datetime import datetime
from importlib import resources
from typing import Any


def starter_rows() -> list[dict[str, Any]]:
    data = resources.files("storage").joinpath("starter_knowledge.json").read_text("utf-8")
    rows: list[dict[str, Any]] = json.loads(data)
    return rows


def article_values(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The column values of one starter article."""
    return {
        "ref": row["ref"],
        "title": row["title"],
        "body": row["body"],
        "title_en": row.get("title_en"),
        "body_en": row.get("body_en"),
        "themes": row.get("themes", []),
        "keywords": row.get("keywords", []),
        "source": "seed",
        "created_at": now,
        "updated_at": now,
    }
