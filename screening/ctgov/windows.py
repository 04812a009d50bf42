"""Time windows in eligibility text: 'within 4 weeks', 'in the past 5 years', 'within the last year'."""

from __future__ import annotations

import re
from typing import NamedTuple

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "eighteen": 18,
                "twenty-four": 24, "twenty four": 24, "thirty": 30, "a": 1, "an": 1}
_NUMBER_WORD_RE = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_WINDOW = re.compile(
    rf"\b(?:within|in|during)\s+(?:the\s+)?(?:(?P<past>past|last|previous|prior|preceding)\s+)?"
    rf"(?P<n>\d+|{_NUMBER_WORD_RE})?\s*"
    r"(?P<u>days?|weeks?|months?|years?)\b(?:\s*\(\s*\d+\s*days?\s*\))?",
    re.IGNORECASE)


class Window(NamedTuple):
    duration: str  # '4 weeks', '1 year'
    start: int
    end: int


def count(word: str) -> int:
    """'4' -> 4, 'six' -> 6, 'a' -> 1."""
    word = word.lower()
    return NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)


def windows(text: str) -> list[Window]:
    """Time windows: 'within 4 weeks' -> '4 weeks'; 'in the past 5 years'; 'within the last year'.
    'in' and 'during' count only with 'past', 'last', 'previous' or 'prior' ('in 5 years' is no window)."""
    out = []
    for m in _WINDOW.finditer(text):
        if not m.group("past") and (m.group("n") is None or m.group(0).split()[0].lower() in ("in", "during")):
            continue
        n = count(m.group("n")) if m.group("n") else 1
        unit = m.group("u").lower().rstrip("s") + ("s" if n != 1 else "")
        out.append(Window(f"{n} {unit}", m.start(), m.end()))
    return out
