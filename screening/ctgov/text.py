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

    @property
    def notes_from(self) -> int | None:
        """Offset in `text` where the item's continuation paragraphs (notes, footnotes) begin."""
        return len(self.lines[0]) if len(self.lines) > 1 else None


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


class _Splitter:
    """Reads the registry text line by line; each line is a heading, a subgroup heading, an item,
    or part of an item."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.headings: list[str] = []
        self.kind = "inclusion"
        self.group: str | None = None
        self.pending_group: str | None = None  # a subgroup heading not yet followed by an item
        self.counters = {"inclusion": 0, "exclusion": 0}
        self.stack: list[_Open] = []  # the open items, outermost first
        self.prev_blank = True

    def feed(self, raw: str) -> None:
        line = raw.rstrip()
        if not line.strip():
            self.prev_blank = True
            return
        self._line(line)
        self.prev_blank = False

    def finish(self) -> Split:
        self._flush_group()
        notes = [] if self.headings else ["no Inclusion/Exclusion heading: every item is read as inclusion"]
        return Split(self.items, self.headings, notes)

    def _line(self, line: str) -> None:
        heading = _heading_kind(line)
        if heading is not None and _indent(line) == 0:
            self._heading(line, heading)
            return
        m = _LIST.match(line)
        if m:
            self._new_item(m.group("body"), _indent(m.group("indent")))
            return
        indent, body = _indent(line), unescape(line.strip())
        if self.stack and (indent > 0 or not self.prev_blank):
            self._continuation(body, indent)
        elif body.endswith(":") and len(body) <= 120:
            self._subgroup(body.rstrip(":").strip())
        else:
            self._paragraph(body)

    def _top_level_item(self, body: str, group: str | None) -> Item:
        self.counters[self.kind] += 1
        item = Item(self.kind, str(self.counters[self.kind]), [body], group)
        self.items.append(item)
        return item

    def _flush_group(self) -> None:
        """A subgroup heading with no item below it becomes an item."""
        if self.pending_group is not None:
            self._top_level_item(self.pending_group + ":", None)
            self.pending_group = None

    def _heading(self, line: str, kind: str) -> None:
        self._flush_group()
        self.headings.append(unescape(line.strip()))
        self.kind, self.group, self.stack = kind, None, []

    def _subgroup(self, name: str) -> None:
        self._flush_group()
        self.group = self.pending_group = name
        self.stack = []

    def _new_item(self, body: str, indent: int) -> None:
        while self.stack and indent <= self.stack[-1].indent:
            self.stack.pop()
        body = unescape(body.strip())
        if self.stack:
            parent = self.stack[-1]
            parent.children += 1
            item = Item(self.kind, f"{parent.item.number}.{parent.children}", [body], self.group,
                        parent.item.number, parent.item.depth + 1)
            self.items.append(item)
        else:
            item = self._top_level_item(body, self.group)
        self.pending_group = None
        self.stack.append(_Open(indent, item))

    def _continuation(self, body: str, indent: int) -> None:
        """A continuation paragraph: attached to the deepest open item indented less than it."""
        target = next((o for o in reversed(self.stack) if o.indent < indent), self.stack[-1])
        target.item.continued.append(len(target.item.lines))
        target.item.lines.append(body)

    def _paragraph(self, body: str) -> None:
        """An unindented paragraph of its own: an item."""
        self.stack = [_Open(0, self._top_level_item(body, self.group))]


def split_criteria(text: str) -> Split:
    """Split the registry text into items; nothing is dropped (a line is a heading, a subgroup
    heading, an item, or part of an item)."""
    splitter = _Splitter()
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        splitter.feed(raw)
    return splitter.finish()
