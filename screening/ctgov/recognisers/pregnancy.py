"""Pregnancy and lactation: an inclusion that requires a negative pregnancy test, an exclusion of
pregnant or breast-feeding women; not statements about avoiding pregnancy (contraception)."""

from __future__ import annotations

import re

from screening.ctgov.recognisers.base import NEGATIVE, Finding, ItemText

_PREGNANCY = re.compile(r"pregnan(?:t|cy)(?:\s+test)?", re.IGNORECASE)
_LACTATION = re.compile(r"lactat(?:ing|ion)|breast[- ]?feeding|nursing", re.IGNORECASE)
_AVOIDING = re.compile(r"avoid|prevent|contracept|birth\s+control|become\s+pregnant|plan(?:s|ning)?\s+to|partner",
                       re.IGNORECASE)
_NEGATIVE_TEST = re.compile(r"negative\s+(?:serum\s+|urine\s+|blood\s+)?(?:or\s+urine\s+|\(?serum\s+or\s+urine\)?\s+)?"
                            r"(?:beta[- ]?hcg\s+|hcg\s+)?pregnancy\s+test", re.IGNORECASE)
_TEST_WORDS = ("positive", "urine", "serum")  # a word before the mention that belongs to its span
# (pregnancy mentioned, lactation mentioned) -> (slug, library concept, reading)
_STATES = {
    (True, True): ("pregnancy", "pregnant_or_lactating", "pregnant or breast-feeding"),
    (True, False): ("pregnancy", "pregnant", "pregnant (recorded, positive hCG within 30 days, or active pregnancy)"),
    (False, True): ("lactation", "lactating", "breast-feeding"),
}


def _negative_test(text: str) -> list[Finding]:
    """An inclusion: women must have a negative pregnancy test."""
    neg = _NEGATIVE_TEST.search(text)
    if not neg:
        return []
    return [Finding("pregnancy_test", {"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}, neg.group(0), 0.7,
                    "women: not pregnant (no positive hCG within 30 days, no recorded pregnancy); "
                    "a missing test is unknown", neg.start(), neg.end())]


def _span_start(text: str, start: int) -> int:
    """The mention's start, or that of the word before it when it is 'positive', 'urine' or 'serum'."""
    if start and text[:start].lower().rstrip().endswith(_TEST_WORDS):
        return max(0, text.rfind(" ", 0, max(0, start - 1)) + 1)
    return start


def _pregnant_or_lactating(text: str, mentions: list[re.Match[str]], state: tuple[bool, bool]) -> Finding:
    """An exclusion: women who are pregnant, breast-feeding, or either."""
    slug, ref, what = _STATES[state]
    start = _span_start(text, min(m.start() for m in mentions))
    end = max(m.end() for m in mentions)
    return Finding(slug, {"all": [{"sex": ["female"]}, {"ref": ref}]}, text[start:end], 0.8,
                   f"applies to women: {what}", start, end)


def recognise_pregnancy(item: ItemText) -> list[Finding]:
    text = item.text
    pregnancy, lactation = _PREGNANCY.search(text), _LACTATION.search(text)
    mentions = [m for m in (pregnancy, lactation) if m]
    if not mentions:
        return []
    lead = text[: max(m.end() for m in mentions)]
    if _AVOIDING.search(lead):
        return []
    if item.kind == "inclusion":
        return _negative_test(text)
    if NEGATIVE.search(lead):
        return []
    return [_pregnant_or_lactating(text, mentions, (pregnancy is not None, lactation is not None))]
