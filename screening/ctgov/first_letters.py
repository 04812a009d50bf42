"""Alternations of many names, read faster by the letter a name starts with.

Python's regular expressions try an alternation's branches one after another at each place of a text, and for a few
dozen names that walk is most of a search's time. Grouping the branches by the letter they start with lets a place
try only the branches that can start there:

- `by_first_letter(alternatives)` writes an alternation with the alternatives that start with the same character
  under it once, keeping their order (the same matches); `any_of(names)` is a first look (does any of the names
  occur?) written so;
- `FirstMatch(patterns)` reads which of an ordered list of patterns names a place, as their alternation would (the
  first that matches), trying at each place only the patterns that can start with its letter.

Both give the answers of the plain alternation, only faster (held by tests on every fixture item)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

_sre_parser: Any
_sre_constants: Any
try:  # the standard library's own parse of a pattern (private, the same shape since Python 3.11)
    _sre_parser = importlib.import_module("re._parser")
    _sre_constants = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - another Python: every pattern is tried at every place
    _sre_parser = _sre_constants = None


def by_first_letter(alternatives: Iterable[str]) -> str:
    """The alternation of `alternatives` with those that start with the same character written under it once, in
    their order (the same matches: two alternatives that can match at a place start with the same character and keep
    their order), so a place tries one branch for its character instead of every alternative. Each alternative starts
    with a literal character (a lower-case letter, a digit, a symbol or an escaped one: 're.escape' output), or with
    '\\b' and a letter or digit ('\\bhb\\b')."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        bounded = alternative.startswith(r"\b")
        body = alternative[2:] if bounded else alternative
        first = body[:2] if body.startswith("\\") else body[:1]
        rest = body[len(first):]
        if not first or rest[:1] in ("?", "*", "+", "{") or first in _SPECIAL or first.isupper() or (bounded and not first.isalnum()) \
                or (first.startswith("\\") and first[1:].isalnum()):
            raise ValueError(f"an alternative must start with a literal character (lower case): {alternative!r}")
        groups.setdefault(first, []).append(f"(?<=\\b{first})(?:{rest})" if bounded else f"(?:{rest})")
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


_SPECIAL = set(".^$*+?{}[]|()")


def any_of(names: Iterable[str]) -> re.Pattern[str]:
    """A first look: one pattern searching lower-case text for any of `names` (`by_first_letter`'s alternation)."""
    return re.compile(by_first_letter(names))


class FirstMatch:
    """Which of an ordered list of patterns (all with the same flags) matches at a place, as the alternation of all of
    them would say: the first that matches. Each place tries only the patterns that can start with its character
    (read from the patterns' parse; a pattern whose first characters cannot be told is tried everywhere, and so is
    every pattern at a character outside ASCII, where IGNORECASE has case pairs of its own)."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        flags = patterns[0].flags if patterns else 0
        self.everything = self._alternation(range(len(patterns)), patterns, flags)
        firsts = [_first_characters(p) for p in patterns]
        by_key: dict[str, re.Pattern[str] | None] = {}
        self.by_char: dict[str, re.Pattern[str] | None] = {}
        for c in map(chr, range(128)):
            key = c.lower() if flags & re.IGNORECASE else c
            if key not in by_key:
                these = [i for i, f in enumerate(firsts) if f is None or key in f]
                by_key[key] = self._alternation(these, patterns, flags) if these else None
            self.by_char[c] = by_key[key]

    @staticmethod
    def _alternation(indices: Iterable[int], patterns: Sequence[re.Pattern[str]], flags: int) -> re.Pattern[str]:
        return re.compile("|".join(f"(?P<p{i}>{patterns[i].pattern})" for i in indices), flags)

    def match(self, text: str, pos: int) -> tuple[int, re.Match[str]] | None:
        """(index of the first pattern matching at `pos`, its match), or None."""
        if pos >= len(text):
            return None
        c = text[pos]
        pattern = self.by_char[c] if c.isascii() else self.everything
        if pattern is None or (m := pattern.match(text, pos)) is None:
            return None
        return int((m.lastgroup or "p0")[1:]), m


def with_first_look(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` with a look at the character a match can start with ahead of it ('(?=[...])', read from its parse):
    the same matches, but a search fails at most places at once instead of entering the pattern's alternatives. The
    pattern itself where its first characters cannot be told."""
    if _sre_parser is None:
        return pattern
    try:
        found, may_be_empty = _firsts(_sre_parser.parse(pattern.pattern, pattern.flags), classes=True)
    except Exception:  # noqa: BLE001 - an unexpected parse: the pattern as it is
        return pattern
    if found is None or may_be_empty or "\\w" in found:
        return pattern
    look = "".join(sorted(x if len(x) > 1 else re.escape(x) for x in found))
    looked = re.compile(f"(?=[{look}])(?:{pattern.pattern})", pattern.flags)
    AS_WRITTEN.append((looked, pattern))
    return looked


# every pattern given a first look, with the pattern as written (a test holds each pair to the same matches)
AS_WRITTEN: list[tuple[re.Pattern[str], re.Pattern[str]]] = []


def _first_characters(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with (lower case where it ignores case), or None where that
    cannot be told (a class such as '\\w', a pattern that may match nothing, a character outside ASCII)."""
    if _sre_parser is None:
        return None
    try:
        found, may_be_empty = _firsts(_sre_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - an unexpected parse: the pattern is tried at every place
        return None
    if found is None or may_be_empty or not all(c.isascii() for c in found):
        return None
    return frozenset(c.lower() for c in found) if pattern.flags & re.IGNORECASE else frozenset(found)


def _firsts(items: Any, classes: bool = False) -> tuple[set[str] | None, bool]:
    """(the first characters of a parsed sequence or None, whether it may match nothing); with `classes`, a class
    among them ('\\d', '\\s', '\\w') is one of the set, written so."""
    c = _sre_constants
    out: set[str] = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # takes no character
            continue
        if op is c.LITERAL:
            return out | {chr(av)}, False
        if op is c.IN:
            found = _set_firsts(av, classes)
            return (None if found is None else out | found), False
        if op is c.SUBPATTERN or op is c.BRANCH or op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            found, required = _group_firsts(op, av, classes)
            if found is None:
                return None, False
            out |= found
            if required:
                return out, False
            continue
        return None, False  # any character, a back-reference, a conditional, an atomic group ...
    return out, True


def _set_firsts(av: Any, classes: bool) -> set[str] | None:
    """The characters of a set ('[a-c\\d]'), None where it is negated or has another category."""
    c = _sre_constants
    out: set[str] = set()
    for o, a in av:
        if o is c.LITERAL:
            out.add(chr(a))
        elif o is c.RANGE:
            out.update(chr(x) for x in range(a[0], a[1] + 1))
        elif classes and o is c.CATEGORY and a in _CLASSES:
            out.add(_CLASSES[a])
        else:  # a negated set or another category
            return None
    return out


def _group_firsts(op: Any, av: Any, classes: bool) -> tuple[set[str] | None, bool]:
    """(the first characters of a group, an alternation or a repeat, or None; whether a character of them is
    required: the group cannot match nothing)."""
    subs, required = _parts(op, av)
    out: set[str] = set()
    may_be_empty = False
    for sub in subs:
        found, empty = _firsts(sub, classes)
        if found is None:
            return None, False
        if op is _sre_constants.SUBPATTERN and av[1] & re.IGNORECASE:  # '(?i:...)': either case
            found = found | {x.swapcase() for x in found if len(x) == 1}
        out |= found
        may_be_empty |= empty
    return out, required and not may_be_empty


def _classes() -> dict[Any, str]:
    c = _sre_constants
    return {} if c is None else {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_SPACE: r"\s", c.CATEGORY_WORD: r"\w"}


_CLASSES = _classes()


def _parts(op: Any, av: Any) -> tuple[list[Any], bool]:
    """The parsed sequences of a group, an alternation or a repeat, and whether one of them must be matched."""
    c = _sre_constants
    if op is c.SUBPATTERN:
        return [av[-1]], True
    if op is c.BRANCH:
        return list(av[1]), True
    low, _high, sub = av
    return [sub], low > 0
