"""HIV, hepatitis B and hepatitis C: an exclusion of the infection ('Known HIV infection') or an
inclusion that requires a negative test ('Negative HIV 1/2 antibody, HBsAg and HCV antibody'),
drafted with the library concepts `hiv_positive`, `hepatitis_b_positive`, `hepatitis_c_positive`."""

from __future__ import annotations

import re
from typing import Any

from screening.ctgov.recognisers.base import NEGATIVE, Finding, ItemText

_VIRUSES: list[tuple[str, re.Pattern[str]]] = [
    ("hiv_positive", re.compile(r"\bHIV(?:[- ]?1(?:/2)?)?\b|human\s+immunodeficiency\s+virus", re.IGNORECASE)),
    ("hepatitis_b_positive", re.compile(r"hepatitis\s+B(?:sAg)?\b(?:\s+surface\s+antigen)?|\bHBV\b|\bHBsAg\b",
                                        re.IGNORECASE)),
    ("hepatitis_c_positive", re.compile(r"hepatitis\s+C\b(?:\s+virus)?|\bHCV\b", re.IGNORECASE)),
]
_SENTENCE_END = re.compile(r"\.\s|;")


def _sentence_end(text: str, first: int) -> int:
    """Where the sentence of the first mention ends (a full stop or a semicolon), else the text's end."""
    stop = _SENTENCE_END.search(text[first:])
    return first + stop.start() if stop else len(text)


def _mentions(text: str) -> tuple[list[tuple[str, re.Match[str]]], int]:
    """Each virus's first mention within the sentence of the first mention of any, and where the
    last mention in that sentence ends."""
    firsts = [m.start() for _, rx in _VIRUSES for m in rx.finditer(text)]
    if not firsts:
        return [], 0
    limit = _sentence_end(text, min(firsts))
    found: list[tuple[str, re.Match[str]]] = []
    last = 0
    for concept, rx in _VIRUSES:
        ms = [m for m in rx.finditer(text) if m.end() <= limit]
        if ms:
            found.append((concept, ms[0]))
            last = max(last, ms[-1].end())
    return found, last


def _polarity_fits(kind: str, negative: re.Match[str] | None) -> bool:
    """An inclusion must ask for a negative test; an exclusion must not mention one."""
    return not (kind == "inclusion" and not negative) and not (kind == "exclusion" and negative)


def _span(text: str, found: list[tuple[str, re.Match[str]]], last: int, negative: re.Match[str] | None,
          kind: str) -> tuple[int, int]:
    """From the first mention (or 'negative' before it, in an inclusion) to the last, with a closing
    parenthesis right after it."""
    start = min(m.start() for _, m in found)
    end = max(last, text.find(")", last) + 1 if text[last:last + 2].lstrip().startswith(")") else last)
    if negative and kind == "inclusion":
        start = min(start, negative.start())
    return start, end


def recognise_infections(item: ItemText) -> list[Finding]:
    text, kind = item.text, item.kind
    found, last = _mentions(text)
    negative = NEGATIVE.search(text) if found else None
    if not found or not _polarity_fits(kind, negative):
        return []
    refs: list[dict[str, Any]] = [{"ref": c} for c, _ in found]
    cond: dict[str, Any] = refs[0] if len(refs) == 1 else {"any": refs}
    start, end = _span(text, found, last, negative, kind)
    names = ", ".join(c.replace("_positive", "").replace("_", " ") for c, _ in found)
    if kind == "inclusion":
        when: dict[str, Any] = {"not": cond}
        reading = f"no {names} (diagnosis or positive test); a missing test result is unknown"
    else:
        when = cond
        reading = f"{names}: by diagnosis or positive test; a missing test result is unknown"
    return [Finding("infections", when, text[start:end], 0.85 if kind == "exclusion" else 0.8, reading, start, end)]
