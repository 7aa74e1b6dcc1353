"""Log lines as JSON objects (`LOG_FORMAT=json`), for a log collector: time, level, logger,
message and, for an error, its traceback. What goes in is the same as in the text format,
which holds no personal data (see `bot.logging_privacy`)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def formatter(kind: str) -> logging.Formatter:
    return JsonLineFormatter() if kind == "json" else logging.Formatter(TEXT_FORMAT)
