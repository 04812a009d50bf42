"""Split a ClinicalTrials.gov `eligibilityCriteria` text into inclusion and exclusion items.

The registry stores the text as light markdown. Handled here:

* headings: `Inclusion Criteria:`, `Key Inclusion Criteria:`, `Exclusion criteria:`; a lone
  `Eligibility criteria:` (no inclusion heading) starts the inclusion items; text before any
  heading counts as inclusion;
* subgroup headings: an unindented line ending in `:` that is not an item
  (`For parent participants:`); it is kept as the `group` of the items that follow;
* numbered (`1.`, `1)`, `a.`, `iv.`) and bulleted (`*`, `-`, `+`, `•`) items;
* nested items (indented under an item): kept as **separate items** numbered `<parent>.<k>`
  (`1.2`), with `parent` set, so that each can be drafted or reviewed on its own; the parent
  item keeps its own text (often a lead-in such as "... provided that:");
* continuation paragraphs (indented non-item lines, or an unindented line directly below an
  item) are appended to the item they follow, one line each;
* markdown escapes (`\\<`, `\\>=`, `=\\<`, `\\*`, `\\^`) are resolved: the item text is the text the
  registry shows (`=<` stays `=<` and is read as <=); footnote markers (`*`, `**`) are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>=^~|&%$@:;\"'])")
_HEADING = re.compile(
    r"^\W*(?:(?:key|main|major|principal|general|other|additional)\s+)?"
    r"(inclusion|exclusion|eligibility)(?:\s+(?:criteria|criterion))?\b[^:]{0,80}:?\W*$",
    re.IGNORECASE,
)
_LIST = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[*\-+•·▪]|\d{1,3}[.)]|\(\d{1,3}\)|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)])"
    r"[ \t]+(?P<body>\S.*)$"
)


def unescape(text: str) -> str:
    """Resolve markdown backslash escapes: `\\<` -> `<`, `=\\<` -> `=<`, `\\*` -> `*`."""
    return _ESCAPE.sub(r"\1", text)


@dataclass
class Item:
    kind: str  # inclusion | exclusion
    number: str  # "3", or "1.2" for a nested item
    lines: list[str]
    group: str | None = None
    parent: str | None = None
    depth: int = 0
    continued: list[int] = field(default_factory=list)  # indexes of lines that are continuation paragraphs

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def first_line(self) -> str:
        return self.lines[0]


@dataclass
class _Open:
    indent: int
    item: Item
    children: int = 0


@dataclass
class Split:
    items: list[Item]
    headings: list[str]
    notes: list[str]

    def of(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]


def _heading_kind(line: str) -> str | None:
    s = line.strip().strip("*_#").strip()
    if len(s) > 100 or _LIST.match(line):
        return None
    m = _HEADING.match(s)
    if not m:
        return None
    word = m.group(1).lower()
    return "exclusion" if word == "exclusion" else "inclusion"


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def split_criteria(text: str) -> Split:
    """Split the registry text into items; nothing is dropped (a line is a heading, a subgroup
    heading, an item, or part of an item)."""
    items: list[Item] = []
    headings: list[str] = []
    notes: list[str] = []
    kind = "inclusion"
    group: str | None = None
    pending_group: str | None = None  # a subgroup heading not yet followed by an item
    counters = {"inclusion": 0, "exclusion": 0}
    stack: list[_Open] = []
    prev_blank = True

    def flush_group() -> None:
        nonlocal pending_group
        if pending_group is not None:  # a subgroup heading with no item below it becomes an item
            counters[kind] += 1
            items.append(Item(kind, str(counters[kind]), [pending_group + ":"]))
            pending_group = None

    def new_item(body: str, indent: int) -> None:
        nonlocal pending_group
        while stack and indent <= stack[-1].indent:
            stack.pop()
        body = unescape(body.strip())
        if stack:
            parent = stack[-1]
            parent.children += 1
            it = Item(kind, f"{parent.item.number}.{parent.children}", [body], group, parent.item.number,
                      parent.item.depth + 1)
        else:
            counters[kind] += 1
            it = Item(kind, str(counters[kind]), [body], group)
        pending_group = None
        items.append(it)
        stack.append(_Open(indent, it))

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            prev_blank = True
            continue
        hk = _heading_kind(line)
        if hk is not None and _indent(line) == 0:
            flush_group()
            headings.append(unescape(line.strip()))
            kind, group, stack = hk, None, []
            prev_blank = False
            continue
        m = _LIST.match(line)
        if m:
            new_item(m.group("body"), _indent(m.group("indent")))
            prev_blank = False
            continue
        ind = _indent(line)
        body = unescape(line.strip())
        if stack and (ind > 0 or not prev_blank):
            # a continuation paragraph: attach to the deepest open item indented less than it
            target = stack[-1]
            for o in reversed(stack):
                if o.indent < ind:
                    target = o
                    break
            target.item.continued.append(len(target.item.lines))
            target.item.lines.append(body)
        elif body.endswith(":") and len(body) <= 120:
            flush_group()
            group = body.rstrip(":").strip()
            pending_group = body.rstrip(":").strip()
            stack = []
        else:
            # an unindented paragraph of its own
            stack = []
            counters[kind] += 1
            items.append(Item(kind, str(counters[kind]), [body], group))
            stack.append(_Open(0, items[-1]))
        prev_blank = False
    flush_group()
    if not headings:
        notes.append("no Inclusion/Exclusion heading: every item is read as inclusion")
    return Split(items, headings, notes)
