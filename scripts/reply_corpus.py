"""How the reply reader does on the judged corpus of facilitators' free answers
(`tests/data/facilitator_replies.tsv`): one line, `replies=… wrong=… understood=…/… asked_back=…`.

Run with `python scripts/reply_corpus.py` (or `make reply-corpus`).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.services.facilitation.reply_intent import classify  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "facilitator_replies.tsv"


def main() -> int:
    rows = [
        line.split("\t")
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    wrong, understood, clear, asked = [], 0, 0, 0
    for text, expected in rows:
        got = classify(text).value
        if expected in ("yes", "no"):
            clear += 1
            understood += got == expected
        if got in ("yes", "no") and got != expected:
            wrong.append((text, expected, got))
        elif got not in ("yes", "no"):
            asked += 1
    for text, expected, got in wrong:
        print(f"wrong: {text!r} is {expected}, read as {got}", file=sys.stderr)
    print(
        f"replies={len(rows)} wrong={len(wrong)} understood={understood}/{clear} asked_back={asked}"
    )
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
