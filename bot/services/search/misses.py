"""Words that searches found nothing for, so the vocabulary of the field can grow from real use
without personal data in the logs.

A query can hold a name, an address or a phone number, so no query is ever logged as typed.
Instead each content word of a search without results is counted per person, by a keyed hash
that is never written down. Once `threshold` different people searched a word in vain, that word
alone is logged, once: "search word without results (3 people): xylofoonles". A name that one
person types never reaches the log. Words with digits or @ (numbers, addresses, accounts) are
never counted. The counts live in this process's memory and are capped.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets

from bot.search.normalize import content_tokens
from bot.text import fold

logger = logging.getLogger(__name__)

THRESHOLD = 3
MAX_WORDS = 5000
_MIN_LENGTH = 3
# Digits, @, slashes, colons or a dot inside a word: numbers, e-mail, web and Telegram addresses.
_CONTACT_LIKE = re.compile(r"[\d@/:]|\w\.\w")


class MissedWords:
    """Counts, per word, the different people whose search for it found nothing."""

    def __init__(self, threshold: int = THRESHOLD, capacity: int = MAX_WORDS) -> None:
        self.threshold = threshold
        self.capacity = capacity
        self._key = secrets.token_bytes(16)
        self._people: dict[str, set[str]] = {}
        self._reported: set[str] = set()

    def _person(self, person: int | None) -> str:
        raw = str(person if person is not None else "anonymous").encode()
        return hmac.new(self._key, raw, hashlib.sha256).hexdigest()[:12]

    @staticmethod
    def countable(query: str) -> list[str]:
        """The words of a query worth counting: content words, without anything that looks like
        a number or an address."""
        kept = " ".join(part for part in query.split() if not _CONTACT_LIKE.search(part))
        return [
            word
            for word in dict.fromkeys(content_tokens(fold(kept)))
            if len(word) >= _MIN_LENGTH and word.isalpha()
        ]

    def record(self, query: str, person: int | None) -> list[str]:
        """Count a search without results; returns (and logs) the words that just reached the
        threshold of different people."""
        reached = []
        who = self._person(person)
        for word in self.countable(query):
            if word in self._reported:
                continue
            people = self._people.get(word)
            if people is None:
                if len(self._people) >= self.capacity:
                    self._people.pop(next(iter(self._people)))  # the oldest word goes
                people = self._people[word] = set()
            people.add(who)
            if len(people) >= self.threshold:
                del self._people[word]
                if len(self._reported) >= self.capacity:
                    self._reported.clear()
                self._reported.add(word)
                reached.append(word)
                logger.info("search word without results (%s people): %s", len(people), word)
        return reached
