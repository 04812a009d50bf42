"""Split a ClinicalTrials.gov eligibility text into inclusion and exclusion items.

Two layouts are read, and mixtures of them:

* **API v2** (light markdown): `Inclusion Criteria:` headings at the margin, `*` bullets and
  numbered items, nested items indented two spaces, markdown escapes (`\\<`, `\\>=`, `=\\<`, `\\*`);
* **legacy** (the classic XML and API): the whole text indented, headings at 8 spaces, `-  `
  bullets at 10 and lines hard-wrapped at about 90 characters, continued at the bullet's text.

Handled here:

* headings: `Inclusion Criteria:`, `Key Inclusion Criteria:`, `INCLUSIONS CRITERIA:`,
  `Donor/Recipient Exclusion Criteria:`, `Inclusion criteria for Part A:` (a short line naming
  inclusion or exclusion, at any indentation; `Non-inclusion criteria:`, `Ineligibility criteria:`,
  `Contraindications:` and `Not eligible:` head the exclusions, as does a sentence that denies who may take part:
  `Patients cannot participate if they have:`); a lone `Eligibility criteria:` starts the
  inclusion items; text before any heading counts as inclusion; a heading glued to the end of a
  sentence (`... potential. Exclusion Criteria:`) or followed by text on its line is split off; the other
  section's heading written as a list item (`* Exclusion Criteria:`) heads it; a heading that denies its section
  (`The following are not exclusion criteria:`) is a subgroup heading of the section it is in; one that leaves its
  items to the investigator's judgement (`Exclusion Criteria (at the investigator's discretion):`) is kept as their
  group too;
* a heading for someone other than the participant (`Donor exclusion criteria:`, `Infant inclusion criteria:`)
  is kept as the `whose` of its items; a subgroup heading for a later step (`Additional criteria for the
  extension phase:`) as their `stage`, to the end of its section; so is one part a heading names after a comma, a
  dash or in brackets (`Exclusion criteria, Part B:`), and a re-treatment;
* later steps: a heading that names a second (or later) randomisation, a re-randomisation, a
  sub-study or an extension (on its line, or on the line it is wrapped below: "Eligibility
  criteria for the secondary randomisation to ... Inclusion criteria") starts the criteria of that
  step, not of entry into the trial; its items, and those of the headings after it, keep it as
  their `stage`;
* one group's sections: a heading for one group (`Inclusion Criteria for HFpEF:`, `Inclusion Criteria
  (healthy controls):`, `Inclusion criteria - COPD patients:`) in a text where
  another heading is for every participant (`Exclusion Criteria for all subjects:`), or where another
  heading of the same section is for another group (`Inclusion Criteria for Adults:`, `Inclusion
  Criteria for Children:`), is that group's: its items keep the group as their `stage`;
* subgroup headings and lead-ins: a line ending in `:` that is not an item (`For parent
  participants:`, `Subjects must meet all of the following ... baseline visit:`), or a paragraph
  directly followed by list items that says `following` or `criteria`; kept as the `group` of
  the items that follow;
* numbered (`1.`, `1)`, `(1)`, `1.Age`), lettered (`a.`, `b)`, `(c)`), roman (`iv.`) and bulleted
  (`*`, `-`, `+`, `•`, `o`) items;
* nested items (indented under an item): kept as **separate items** numbered `<parent>.<k>`
  (`1.2`), with `parent` set; the parent item keeps its own text (often a lead-in such as
  "... provided that:");
* wrapped lines (a line directly below a line of the item, with no blank line between) are joined
  to it with a space (not a short subgroup heading at the list's margin, ending in a colon, below a line that
  ends the item: `Donor:`); in a text that is not hard-wrapped (a line longer than any wrapping leaves,
  as in the API records that give one criterion a line), a line at the margin below a paragraph
  is a criterion of its own, however it ends or starts; continuation paragraphs (an indented
  line after a blank line) are appended to the item they follow as lines of their own (notes);
* numbered items run on inside a paragraph (`... upper limit of normal 11. Serum creatinine ...`,
  `... etc.) Or; 21.` at a line's end): a number that continues the list's numbering, after the
  end of a word and before a capital letter or the line's end, starts an item on a line of its
  own, at the list's indentation (not after words that take a number: `grade 3. The ...`);
* a paragraph at the margin between the top-level items of a list ('(Reduced ejection is
  defined as ...)') is an item of its own, and the items after it stay top-level;
* a list that starts again at `1.` below an item ending in `:` is nested in it, even at the
  margin ("... any of the following questions:" then "1. Are you ...? 2. ...");
* markdown escapes are resolved: the item text is the text the registry shows (`=<` stays `=<` and
  is read as <=); footnote markers (`*`, `**`) are kept.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>=^~|&%$@:;\"'])")
_SECTION_WORD = re.compile(r"\b((?:non[\s-]?)?inclusions?|exclusions?)\b", re.IGNORECASE)
_ELIGIBILITY = re.compile(r"^\W*(?:key\s+|main\s+)?eligibility(?:\s+criteria)?\s*:?\W*$", re.IGNORECASE)
_HEADING_WORDS = 12
# a sub-heading on the line right below a list item, as it is written without a blank line: 'Children:', 'Healthy
# controls:', 'For parent participants:' (short, capitalised, ending in a colon)
_SUB_HEADING = re.compile(r"[A-Z][\w'/()-]*(?:\s+[\w'/()&-]+){0,5}\s*:")
# a section said as a sentence on a line of its own, ending in a colon: 'Patients will be excluded if they:',
# 'Subjects are not eligible if any of the following apply:', 'Participants will be included if they:'
_SAID_SECTION = re.compile(r"^(?:(?:the\s+)?(?:patients?|subjects?|participants?|individuals?|persons?|people|volunteers?|"
                           r"women|men|children|adults?)\s+)?(?:(?:who|that)\s+[^:]{0,60}?\s+)?(?:will|shall|must|may|are|is)\s+"
                           r"(?:(?P<ex>be\s+excluded|not\s+be\s+(?:eligible|included|enrolled)|not\s+eligible|be\s+ineligible|"
                           r"ineligible)|be\s+(?:included|eligible|enrolled)|eligible)\b"
                           r"(?:\s+(?:for|in|from)\s+(?:the\s+|this\s+)?(?:study|trial))?"
                           r"(?:\s+(?:if|when|should)\b[^:]{0,60})?:$", re.IGNORECASE)
# a section's name alone on its line, without 'Criteria' or a colon ('Inclusion', 'EXCLUSIONS', 'Key Exclusions')
_BARE_SECTION = re.compile(r"^(?:(?:key|main)\s+)?(?:inclusions?|exclusions?)$", re.IGNORECASE)
_HEADING_CHARS = 100
# the exclusions named otherwise, as a heading of its own: 'Ineligibility criteria:', 'Non-eligibility criteria',
# 'Contraindications:', 'Excluded:', 'Not eligible:'
_OTHER_EXCLUSION = re.compile(r"^(?:(?:key|main)\s+)?(?:(?:in|non-?|not\s+)eligibility\s+criteri(?:a|on)\s*:?|"
                              r"contra-?indications?\s*:|(?:excluded|ineligible|not\s+eligible)\s*:)$", re.IGNORECASE)
# the exclusions said as a sentence that denies who may take part: 'Patients cannot participate if they have:',
# 'Subjects may not be enrolled if any of the following apply:'
_SAID_NOT = re.compile(r"^(?:(?:the\s+)?(?:patients?|subjects?|participants?|individuals?|persons?|people|volunteers?|"
                       r"women|men|children|adults?)\s+)?(?:(?:who|that|with)\s+[^:]{0,60}?\s+)?(?:cannot|can\s+not|may\s+not|"
                       r"must\s+not|will\s+not|shall\s+not)\s+(?:participate|take\s+part|enrol(?:l)?|be\s+(?:enrolled|"
                       r"included|randomi[sz]ed|eligible))\b(?:\s+(?:in\s+)?(?:the\s+|this\s+)?(?:study|trial))?"
                       r"(?:\s+(?:if|when|should)\b[^:]{0,60})?:$", re.IGNORECASE)
# a heading that starts a line and has text after its colon: 'Inclusion Criteria: Age >= 18', 'Donor Exclusion Criteria:
# HIV positive' (up to two words naming whose criteria they are)
_LEADING_HEADING = re.compile(
    r"^(?P<h>\W*(?:(?:key|main|major|general|other|additional)\s+|(?:[A-Za-z][\w/'-]*\s+){1,2}(?=(?:inclusion|exclusion)\s+criteri))?"
    r"(?:inclusions?|exclusions?)\s+criteri(?:a|on)\s*:)"
    r"\s*(?P<rest>\S.*)$", re.IGNORECASE)
# a heading glued to the end of a sentence: '... childbearing potential. Exclusion Criteria:'
_GLUED_HEADING = re.compile(
    r"(?<=[.;!?)\]])\s+(?=(?:(?:key|main)\s+)?(?:inclusions?|exclusions?)\s+criteri(?:a|on)\s*:)", re.IGNORECASE)
_LIST = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[*\-+•·▪◦]|o(?=[ \t])|\d{1,3}[.)]|\(\d{1,3}\)|\(?[a-zA-Z][.)]|"
    r"\(?[ivxIVX]{1,4}[.)])[ \t]+(?P<body>\S.*)$"
)
_GLUED_NUMBER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>\d{1,3}[.)])(?P<body>[A-Za-z].*)$")
# a dash bullet glued to a capitalised word ('-Patient must be ...'): a list item as with its space (not '-2',
# '-CSF', a word after a hyphen)
_GLUED_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>-)(?P<body>[A-Z][a-z]+\b.*)$")
_READS_ON = re.compile(r"(?:[,\-/(]|\b(?:of|to|the|a|an|and|or|with|for|in|on|by|than|at|as|from))\s*$",
                       re.IGNORECASE)
# 'below' leads a list in ('the criteria below:'), not when it compares ('eGFR below 45 mL/min')
_LEAD_IN = re.compile(r"\b(?:following|below(?!\s+[<>≤≥]?\s*\d)|criteria)\b", re.IGNORECASE)
# a sub-heading written without its colon ('Age', 'Performance status': PDQ records in the API v2 text)
_BARE_HEADING = re.compile(r"^[A-Z][A-Za-z/&' -]{1,38}$")
# a number that continues the list inside a line: ' 11. Serum', ' 21.' at the end
_RUN_ON = re.compile(r"(?<=[\w)\]?.;:,])\s+(?P<n>\d{1,3})(?P<p>[.)])(?:\s+(?=[A-Z(])|\s*$)")
_MARK = re.compile(r"\d[.)]")
_TAKES_A_NUMBER = re.compile(r"(?:\b(?:of|than|least|most|to|grade|stage|type|phase|class|version|score|level|day|week|"
                             r"month|year|visit|cohort|part|step|section|item|table|figure|no|number)|[<>≤≥=±x×-])\s*$",
                             re.IGNORECASE)
_CONNECTOR = re.compile(r"^\W*(?:or|and|and/or)?\W*$", re.IGNORECASE)
_RESTART = re.compile(r"^\(?(?:1|a|i|A|I)[.)]$")
_NUMBERED = re.compile(r"^(?P<indent>[ \t]*)(?P<n>\d{1,3})[.)]\s")
# a later step or one part of the trial a section's criteria are for: not entry into the trial itself
_STAGE = re.compile(
    r"\b(?:(?:second(?:ary)?|subsequent|later|further|maintenance)\s+randomi[sz]ations?|re-?randomi[sz]ations?|"
    r"sub-?stud(?:y|ies)|(?:open[- ]label\s+)?extension\s+(?:phase|period|study|part|stage)|"
    r"continuation\s+(?:phase|period|study)|re-?treatment|"
    # the criteria of staying in the trial, not of entering it ('Exclusion criteria during the study:')
    r"(?:during|throughout)\s+(?:the\s+)?(?:study|trial|treatment)(?:\s+period)?|"
    # one optional part a heading limits its criteria to ('for vascular studies only')
    r"for\s+(?:the\s+)?(?:[a-z/-]+\s+){0,3}(?:stud(?:y|ies)|procedures?|assessments?|scans?|imaging)\s+only|"
    # one part, cohort or arm of the trial, named by its letter or number ('Additional exclusion criteria for Part B:',
    # 'Inclusion Criteria (Cohort 2 only)'), not several ('for Parts A and B', 'Part A and Part B')
    r"(?:for|in)\s+(?:the\s+)?(?:part|cohort|arm|phase)\s+[A-Z0-9]{1,3}(?![\w-])(?!\s*(?:and|or|&|,|/|\+)\s*(?:(?:part|cohort|arm|phase)\s+)?[A-Z0-9]{1,3}(?![\w-]))|"
    r"(?:part|cohort|arm|phase)\s+[A-Z0-9]{1,3}\s+only)\b",
    re.IGNORECASE)
# a heading of its own line (not the line above it: an item may name a disease's stage) for a later
# numbered stage ('Inclusion criteria stage 2'), or for the first again ('Exclusion Criteria for Stage 1')
_LATER_STAGE = re.compile(r"\bstage\s+(?:[2-9]|II|III)(?![\w-])", re.IGNORECASE)
_FIRST_STAGE = re.compile(r"\bstage\s+(?:1|I)(?![\w-])|"
                          # a heading for every part again ('Exclusion criteria for Parts A and B', '... (all cohorts)')
                          r"\b(?:parts?|cohorts?|arms?)\s+[A-Z0-9]{1,3}\s*(?:and|&|,|/|\+)\s*(?:(?:parts?|cohorts?|arms?)\s+)?"
                          r"[A-Z0-9]{1,3}(?![\w-])|\b(?:all|both)\s+(?:parts|cohorts|arms)\b", re.IGNORECASE)
# a heading for every participant ('Exclusion Criteria for all subjects:', '... (all participants)'), and a heading for
# one group ('Inclusion Criteria for HFpEF:', 'Inclusion criteria for patients with COPD'; not the participants
# alone: 'for participants:', 'for the study'): beside the first, the second's section is that group's
_PEOPLE = r"(?:subjects?|participants?|patients?|volunteers?|individuals?|persons?|people|groups?|cohorts?|arms?|parts?|" \
          r"phases?|stages?)"
_FOR_ALL = re.compile(rf"\b(?:for|in|of)\s+(?:all|both|every|each)\s+(?:(?:study|trial|enrolled)\s+)?{_PEOPLE}\b|"
                      rf"\(\s*(?:all|both)\s+{_PEOPLE}\s*\)", re.IGNORECASE)
_FOR_GROUP = re.compile(rf"\bfor\s+(?!(?:all|both|every|each|any|the|this|study|trial|enrol\w*|entry|inclusion|"
                        r"exclusion|screening|participation|randomi[sz]ation|parts?|cohorts?|arms?|phases?|stages?|"
                        rf"groups?)\b)(?!{_PEOPLE}\s*(?:[,:(]|$|includes?\b))"
                        r"[^\W\d_][\w/-]*(?:\s+[\w/-]+){0,5}?(?=\s*(?:[,:(]|$|includes?\b))", re.IGNORECASE)
# a group named in brackets or after a dash ('Inclusion Criteria (patients with HFpEF):', 'Inclusion criteria - healthy
# controls:')
_PEOPLE_WORD = (r"\b(?:patients?|controls?|volunteers?|subjects?|participants?|children|adults?|adolescents?|infants?|"
                r"women|men|donors?|recipients?|caregivers?|parents?)\b")
_GROUP_AFTER = re.compile(rf"(?:\(\s*(?P<a>[^()]*{_PEOPLE_WORD}[^()]*)\)|\s[-–]\s*(?P<b>[^:()]*{_PEOPLE_WORD}[^:()]*?))"
                          r"\s*:?\s*$", re.IGNORECASE)
# a heading for someone other than the participant ('Donor exclusion criteria:', 'Infant inclusion criteria:', 'Exclusion
# criteria for the partner:'): its items are that person's, not the participant's (not a heading that names the
# participant too: 'Donor/Recipient Exclusion Criteria:', 'Mother and infant ...' names both as one)
_OTHER_PERSON = re.compile(r"\b(?:donors?|(?:sexual\s+|male\s+|female\s+)?partners?|spouses?|mothers?|fathers?|maternal|"
                           r"paternal|infants?|newborns?|neonates?|bab(?:y|ies)|caregivers?|carers?|siblings?|relatives?|"
                           r"household\s+(?:members?|contacts?)|family\s+members?)\b", re.IGNORECASE)
# a heading for one group of the participants, the controls ('Inclusion Criteria for healthy controls:', 'Healthy
# volunteer exclusion criteria'): their items are that group's, not every participant's
_ONE_GROUP = re.compile(r"\b(?:(?:healthy|matched|normal)\s+)?controls?\b(?!\s+(?:arm|group)\s+(?:and|&))|\bhealthy\s+(?:volunteers?|"
                        r"participants?|subjects?|individuals?|adults?)\b", re.IGNORECASE)
_PARTICIPANT = re.compile(r"\b(?:recipients?|patients?|participants?|subjects?|volunteers?|and)\b|/", re.IGNORECASE)
# a heading that denies its items are criteria of the section it names ('The following are not exclusion criteria:',
# 'Not exclusionary:'): a lead-in of the section it is in, not a heading
_DENIED = re.compile(r"\b(?:not|no)\s+(?:an?\s+)?(?:inclusion|exclusion)|\b(?:are|is)\s+not\b", re.IGNORECASE)
_LISTED_HEADING = re.compile(r"(?:(?:key|main|major|general|other|additional)\s+)?(?:inclusions?|exclusions?)"
                             r"(?:\s+criteri(?:a|on)\s*:?|\s*:)", re.IGNORECASE)
# one part, cohort or arm a heading names after a comma, a dash or in brackets ('Exclusion criteria, Part B:',
# 'Inclusion Criteria (Cohort 2)'), not several ('(Parts A and B)')
_PART_NAMED = re.compile(r"(?:[,(]|\s[-\u2013])\s*(?:part|cohort|arm)\s+[A-Z0-9]{1,3}\)?\s*:?\s*$", re.IGNORECASE)
# a heading that leaves its section's items to the investigator's judgement ('Exclusion Criteria (at the investigator's
# discretion):', 'Exclusion criteria, as judged by the investigator:'): kept as the group of the items below it (until a
# subgroup heading), where the lead-ins' reading (`recognisers.lead_ins`) finds it
_JUDGED_HEADING = re.compile(r"\bdiscretion\b|\b(?:judge?ment|opinion)\b|\b(?:judged|deemed)\b", re.IGNORECASE)
_SUBGROUP_WORDS = 6  # the most words of a subgroup heading read below a list item without a blank line between
_WRAP_WIDTH = 100  # hard-wrapped registry texts (the classic XML) keep their lines within about 90 characters


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
    enclosing: list[Item] = field(default_factory=list, repr=False)  # the items it is nested under, outermost first
    listed: bool = True  # a list item (False: a paragraph of its own)
    stage: str | None = None  # the later step of the trial its section is for ('secondary randomisation')
    whose: str | None = None  # its section's heading names someone other than the participant ('Donor ...') or the controls

    @property
    def ancestors(self) -> tuple[str, ...]:
        """The texts of the items this one is nested under, outermost first."""
        return tuple(i.text for i in self.enclosing)

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
    written: int | None = None  # the indentation as written, for an item nested by its numbering


@dataclass
class Split:
    items: list[Item]
    headings: list[str]
    notes: list[str]

    def of(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]


def said_section(line: str) -> str | None:
    """'inclusion' or 'exclusion' for a line that says a section as a sentence ('Patients will be excluded if
    they:', 'Subjects are eligible for the study if:'), else None."""
    if ":" not in line:
        return None  # (a cheap first look: every such line ends in a colon)
    s = line.strip().strip("*_#").strip()
    if not s.endswith(":") or len(s) > _HEADING_CHARS or _LIST.match(line):
        return None
    said = _SAID_SECTION.match(s)
    if said is None:
        return "exclusion" if _SAID_NOT.match(s) else None
    return "exclusion" if said.group("ex") else "inclusion"


def heading_kind(line: str) -> str | None:
    """'inclusion' or 'exclusion' for a section heading line, else None: a short line (not a list
    item) that names one of the two sections ('Donor/Recipient Exclusion Criteria:',
    'INCLUSIONS CRITERIA', 'Inclusion criteria for Part A:', the name alone: 'Exclusion'), or a lone
    'Eligibility criteria:'."""
    s = line.strip().strip("*_#").strip()
    if not s or len(s) > _HEADING_CHARS or _LIST.match(line):
        return None
    other = _named_otherwise(s)
    if other is not None:
        return other
    if s.isascii() and "clusion" not in s.lower():
        return None  # a cheap first look: no section word in it (outside ASCII, IGNORECASE reads more letters)
    words = _SECTION_WORD.findall(s)
    if len({w.lower().rstrip("s") for w in words}) != 1 or len(s.split()) > _HEADING_WORDS:
        return None
    if not (s.endswith(":") or re.search(r"\bcriteri(?:a|on)\b", s, re.IGNORECASE) or _BARE_SECTION.match(s)):
        return None
    if _a_sentence_or_denied(s):
        return None
    # 'Non-inclusion criteria:' (a French usage) heads the exclusions
    return "exclusion" if words[0].lower().startswith(("exclusion", "non")) else "inclusion"


def _named_otherwise(s: str) -> str | None:
    """The section a heading names without its word: a lone 'Eligibility criteria:' the inclusions, 'Ineligibility
    criteria:' or 'Contraindications:' the exclusions (`_OTHER_EXCLUSION`)."""
    if _ELIGIBILITY.match(s):
        return "inclusion"
    low = s.lower()
    if ("ligib" in low or "ontra" in low or "xclud" in low) and _OTHER_EXCLUSION.match(s):  # (a cheap first look)
        return "exclusion"
    return None


def _a_sentence_or_denied(s: str) -> bool:
    """The line naming a section is a sentence (it ends in a full stop, or has a verb and no colon), or denies the
    section it names (`_DENIED`)."""
    return s.endswith(".") or bool(re.search(r"\b(?:must|will|are|is|who|should|may)\b", s, re.IGNORECASE)) \
        and not s.endswith(":") or _DENIED.search(s) is not None


def _listed_heading(body: str) -> str | None:
    """The section a list item's text heads ('* Exclusion Criteria:', '- Key inclusion criteria'), else None: the
    heading's words alone, with its colon or the word 'criteria' (not a section's name alone: '- Inclusion'; nor the
    first line of a wrapped item: '- Treatment other than stated in the inclusion criteria')."""
    s = body.strip().strip("*_#").strip()
    return heading_kind(s) if _LISTED_HEADING.fullmatch(s) else None


def _ends(line: str) -> bool:
    """The line may end its item: it ends in a word, a number, a full stop, a semicolon, a bracket or a percent sign."""
    last = line.rstrip()[-1:]
    return last.isalnum() or last in ".;)%"


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def _first_line_of(prev: str, heading: str) -> bool:
    """The line above a heading may be its first line: it ends no sentence, opens no list item and is indented no
    further (an item's line may name the study period: '... contraception throughout the study.')."""
    return not prev.rstrip().endswith((".", ";")) and _indent(prev) <= _indent(heading) \
        and not (_LIST.match(prev) or _GLUED_NUMBER.match(prev) or _GLUED_BULLET.match(prev))


def _run_on(lines: list[str]) -> list[str]:
    """Numbered items that run on inside a line, each moved to a line of its own at the indentation
    of the list it continues; a marker at a line's end is carried to the next line."""
    out: list[str] = []
    last, indent, carried = 0, "", ""
    for line in lines:
        if carried and line.strip():
            line, carried = f"{indent}{carried} {line.strip()}", ""
        m = _NUMBERED.match(line)
        if m:
            last, indent = int(m.group("n")), m.group("indent")
        elif heading_kind(line) is not None:
            last = 0
        rest, start = line, m.end() if m else 0
        while last and _MARK.search(rest, start):  # a cheap first look for the digits and mark it needs
            run = next((r for r in _RUN_ON.finditer(rest, start) if int(r.group("n")) == last + 1
                        and not _TAKES_A_NUMBER.search(rest[:r.start()])), None)
            if run is None:
                break
            head, tail, last = rest[:run.start()], rest[run.end():].strip(), last + 1
            marker = f"{last}{run.group('p')}"
            if _CONNECTOR.match(head) and not _NUMBERED.match(head):  # 'Or; 22. Participant ...'
                tail, head = f"{head.strip()} {tail}".strip(), ""
            if head.strip():
                out.append(head)
            if not tail:
                carried = marker
                rest = ""
                break
            rest, start = f"{indent}{marker} {tail}", len(indent) + len(marker) + 1
        if rest.strip() or not line.strip():
            out.append(rest)
    if carried:
        out.append(f"{indent}{carried}")
    return out


# full-width punctuation (CJK typing) in its ASCII form, with the space its ASCII form is written with:
# 'older；' -> 'older; ', 'Criteria：' -> 'Criteria: ', 'normal（ULN）' -> 'normal (ULN) '; comparison signs
# as they are ('BMI＜18.5' -> 'BMI<18.5', '＞＝' -> '>=')
_FULL_WIDTH = {"；": "; ", "：": ": ", "，": ", ", "（": " (", "）": ") ", "＜": "<", "＞": ">", "＝": "="}
# (found by a scan for the characters, not `str.translate`, which looks up every character of a record: the same text,
# about fifteen times as fast on a long record)
_FULL_WIDTH_CHAR = re.compile(f"[{''.join(_FULL_WIDTH)}]")


def _in_ascii_punctuation(text: str) -> str:
    return _FULL_WIDTH_CHAR.sub(lambda m: _FULL_WIDTH[m.group()], text)


def _lines(text: str) -> list[str]:
    """The text's lines, common indentation removed, full-width punctuation in its ASCII form, glued
    headings split off and run-on numbered items put on lines of their own."""
    text = textwrap.dedent(_in_ascii_punctuation(text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)))
    out: list[str] = []
    for line in text.split("\n"):
        pieces = _GLUED_HEADING.split(line)
        indent = line[:_indent(line)]
        for k, piece in enumerate(pieces):
            m = _LEADING_HEADING.match(piece.strip()) if not _LIST.match(piece) else None
            if m:
                out += [indent + m.group("h"), indent + m.group("rest")]
            else:
                out.append(piece if k == 0 else indent + piece.strip())
    return _run_on(out)


class _Splitter:
    """Reads the registry text line by line; each line is a heading, a subgroup heading, an item,
    a wrapped line of an item, or a paragraph of an item."""

    def __init__(self, hard_wrapped: bool = True) -> None:
        self.hard_wrapped = hard_wrapped  # lines may be wrapped: a paragraph line may read on below
        self.items: list[Item] = []
        self.headings: list[str] = []
        self.kind = "inclusion"
        self.group: str | None = None
        self.pending_group: str | None = None  # a subgroup heading not yet followed by an item
        self.outer: str | None = None  # a subgroup heading in capitals, over the subgroups below it
        self.stage: str | None = None  # the later step the sections from here on are for
        self.for_group: str | None = None  # the one group the section's heading names ('for HFpEF')
        self.group_items: list[tuple[Item, str]] = []  # the items of sections headed for one group, with it
        self.sub_stage: str | None = None  # the later step a subgroup heading of this section names, to its end
        self.whose: str | None = None  # the section's heading names someone other than the participant
        self.counters = {"inclusion": 0, "exclusion": 0}
        self.stack: list[_Open] = []  # the open items, outermost first
        self.list_indent: int | None = None  # the indentation of the section's top-level list items
        self.prev_blank = True
        self.prev_line = ""

    def feed(self, raw: str) -> None:
        line = raw.rstrip()
        if not line.strip():
            self.prev_blank = True
            return
        self._line(line)
        self.prev_blank, self.prev_line = False, line

    def finish(self) -> Split:
        self._flush_group()
        named = {(item.kind, group.lower()) for item, group in self.group_items}
        several = any(len([g for k, g in named if k == kind]) > 1 for kind in ("inclusion", "exclusion"))
        if self.group_items and (several or any(_FOR_ALL.search(h) for h in self.headings)):
            for item, group in self.group_items:
                item.stage = item.stage or group
        notes = [] if self.headings else ["no Inclusion/Exclusion heading: every item is read as inclusion"]
        _under_flat_history_lead_ins(self.items)
        return Split(self.items, self.headings, notes)

    def _line(self, line: str) -> None:
        heading = heading_kind(line)
        said = said_section(line) if heading is None else None
        if said is not None and said != self.kind:
            # a section said as a sentence that turns to the other section ('Patients will be excluded if they:'
            # below the inclusions) heads it; one that says the section it is in stays its subgroup heading
            heading = said
        if heading is not None:
            self._heading(line, heading)
            return
        m = _LIST.match(line) or _GLUED_NUMBER.match(line) or _GLUED_BULLET.match(line)
        if m and (kind := _listed_heading(m.group("body"))) not in (None, self.kind):
            self._heading(m.group("body"), kind)  # a heading of the other section as a list item ('* Exclusion Criteria:')
            return
        if m:
            self._new_item(m.group("body"), _indent(m.group("indent")), m.group("marker"))
            return
        indent, body = _indent(line), unescape(line.strip())
        if self.stack and not self.prev_blank and self._wraps(indent, body):
            self._wrapped(body)
        elif self.stack and indent > 0:
            self._continuation(body, indent)
        elif body.endswith(":") and len(body) <= 120:
            self._subgroup(body.rstrip(":").strip())
        else:
            self._paragraph(body)

    def _top_level_item(self, body: str, group: str | None, listed: bool = True) -> Item:
        self.counters[self.kind] += 1
        item = Item(self.kind, str(self.counters[self.kind]), [body], group, listed=listed,
                    stage=self.stage or self.sub_stage, whose=self.whose)
        self.items.append(item)
        if self.for_group is not None:
            self.group_items.append((item, self.for_group))
        return item

    def _flush_group(self) -> None:
        """A subgroup heading with no item below it becomes an item."""
        if self.pending_group is not None:
            self._top_level_item(self.pending_group + ":", None)
            self.pending_group = None

    def _heading(self, line: str, kind: str) -> None:
        self._flush_group()
        self.headings.append(unescape(line.strip()))
        named = _STAGE.search(line) or _LATER_STAGE.search(line) or _PART_NAMED.search(line.strip().strip("*_#")) or (
            _STAGE.search(self.prev_line) if not self.prev_blank and _first_line_of(self.prev_line, line) else None)
        if named is not None:
            self.stage = named.group(0).strip(" ,():-\u2013")
        elif _FIRST_STAGE.search(line):
            self.stage = None
        # (a part, cohort or stage the heading names is read above: 'for Part B', 'for Parts A and B')
        one_group = None if named is not None or _FIRST_STAGE.search(line) or _FOR_ALL.search(line) \
            else _FOR_GROUP.search(line) or _GROUP_AFTER.search(line)
        self.for_group = None if one_group is None else one_group.group(0).strip(" -–():")
        other = _OTHER_PERSON.search(line)
        other = None if other is None or _PARTICIPANT.search(line) else other
        self.sub_stage, self.whose = None, (other or _ONE_GROUP.search(line) or [None])[0]
        # (a heading that leaves its items to the investigator's judgement is kept as their group, for the lead-ins)
        judged = unescape(line.strip()).rstrip(":").strip() if _JUDGED_HEADING.search(line) else None
        self.kind, self.group, self.outer, self.stack, self.list_indent = kind, judged, None, [], None

    def _subgroup(self, name: str) -> None:
        """A subgroup heading; one in capitals ('PATIENT CHARACTERISTICS') heads the subgroups
        below it ('Age:'), which are named under it ('PATIENT CHARACTERISTICS: Age'). One that names a later
        step or one part of the trial ('Additional criteria for the extension phase:') is that step's to the end of
        its section."""
        named = _STAGE.search(name) or _LATER_STAGE.search(name)
        if named is not None:
            self.sub_stage = named.group(0)
        if sum(c.isalpha() for c in name) > 1 and name.isupper():
            self.pending_group = None
            self.outer = self.group = self.pending_group = name
        else:
            if self.pending_group is not None and self.pending_group != self.outer:
                self._flush_group()
            self.group = self.pending_group = f"{self.outer}: {name}" if self.outer else name
        self.stack = []

    def _lead_in(self) -> bool:
        """The open top-level paragraph is a lead-in to the list that starts now ('Subjects must
        meet all of the following ...'): it becomes the group of the items below."""
        if len(self.stack) != 1 or self.stack[0].item.listed or self.stack[0].children:
            return False
        item = self.stack[0].item
        text = " ".join(item.lines)
        if not (text.endswith(":") or _LEAD_IN.search(text)) or item is not self.items[-1]:
            return False
        self.items.pop()
        self.counters[self.kind] -= 1
        self.group, self.stack = text.rstrip(":").strip(), []
        return True

    def _nested_by_numbering(self, indent: int, marker: str) -> int | None:
        """The indentation a list starting again at 1 (or a, i) is read at when it comes below an
        item ending in ':' that has no items yet, at its indentation or less: nested in it."""
        if not self.stack or not _RESTART.match(marker):
            return None
        top = self.stack[-1]
        if top.children or not top.item.lines[-1].rstrip().endswith(":") or indent > top.indent:
            return None
        return top.indent + 1

    def _bare_heading(self, indent: int) -> bool:
        """Under a heading in capitals ('PATIENT CHARACTERISTICS:'), the open paragraph is a short
        title of at most four words without a colon ('Age', 'Performance status', 'Biologic
        therapy': PDQ records in the API v2 text) and the list that starts now is not indented
        under it: a subgroup heading, as 'Age:' is."""
        if self.outer is None or len(self.stack) != 1 or self.stack[0].item.listed or self.stack[0].children \
                or indent > self.stack[0].indent:
            return False
        item = self.stack[0].item
        if item is not self.items[-1] or len(item.lines) != 1 or not _BARE_HEADING.match(item.text) \
                or len(item.text.split()) > 4:
            return False
        self.items.pop()
        self.counters[self.kind] -= 1
        self._subgroup(item.text)
        return True

    def _new_item(self, body: str, indent: int, marker: str = "") -> None:
        self._bare_heading(indent) or self._lead_in()
        written: int | None = None
        if self.stack and self.stack[-1].written == indent:
            indent = self.stack[-1].indent  # a sibling of the items nested by their numbering
            written = self.stack[-1].written
        elif (nested := self._nested_by_numbering(indent, marker)) is not None:
            indent, written = nested, indent
        elif self._between_items(indent):
            self.stack = []  # a paragraph between the list's items: no lead-in of those after it
        while self.stack and indent <= self.stack[-1].indent:
            self.stack.pop()
        body = unescape(body.strip())
        if self.stack:
            parent = self.stack[-1]
            parent.children += 1
            item = Item(self.kind, f"{parent.item.number}.{parent.children}", [body], self.group,
                        parent.item.number, parent.item.depth + 1, enclosing=[*parent.item.enclosing, parent.item],
                        stage=self.stage or self.sub_stage, whose=self.whose)
            self.items.append(item)
            if self.for_group is not None:
                self.group_items.append((item, self.for_group))
        else:
            item = self._top_level_item(body, self.group)
            self.list_indent = indent if self.list_indent is None else self.list_indent
        self.pending_group = None
        self.stack.append(_Open(indent, item, written=written))

    def _between_items(self, indent: int) -> bool:
        """The open item is a paragraph without items of its own, written between top-level
        items of the list at this indentation ('(X is defined as ...)' after item 3)."""
        open_ = self.stack[0] if len(self.stack) == 1 else None
        return open_ is not None and not open_.item.listed and not open_.children and self.list_indent == indent \
            and indent > open_.indent and open_.item.lines[-1].rstrip().endswith((".", ")"))

    def _wraps(self, indent: int, body: str) -> bool:
        """A line directly below a line of an open item continues it when it is indented under
        the item, the item is a list item, or (a paragraph: one criterion a line in some records)
        the text is hard-wrapped and the line reads on from the one above (it starts in lower
        case, or that one ends in a comma, a hyphen or a word such as 'of')."""
        open_ = self.stack[-1]
        if indent > open_.indent:
            return True
        if open_.item.listed:
            # not a subgroup heading at the list's margin below an item that ends, or a short capitalised one ('Donor:',
            # 'For the partner:', 'Children:')
            heading = body.endswith(":") and body[:1].isupper() and len(body.split()) <= _SUBGROUP_WORDS
            return not (heading and _READS_ON.search(self.prev_line) is None
                        and (_ends(self.prev_line) or _SUB_HEADING.fullmatch(body) is not None))
        if not self.hard_wrapped:
            return False
        return not body[:1].isupper() or _READS_ON.search(self.prev_line) is not None

    def _wrapped(self, body: str) -> None:
        """A wrapped line: joined to the last line of the innermost open item."""
        item = self.stack[-1].item
        item.lines[-1] = f"{item.lines[-1]} {body}"

    def _continuation(self, body: str, indent: int) -> None:
        """A continuation paragraph: attached to the deepest open item indented less than it."""
        target = next((o for o in reversed(self.stack) if o.indent < indent), self.stack[-1])
        target.item.continued.append(len(target.item.lines))
        target.item.lines.append(body)

    def _paragraph(self, body: str) -> None:
        """An unindented paragraph of its own: an item."""
        self.stack = [_Open(0, self._top_level_item(body, self.group, listed=False))]
        self.pending_group = None


# a list item that is only a history lead-in ('- History of:', '- Past medical history of any of the following:') with
# the items it leads in written at its own level after it, not nested under it
_FLAT_HISTORY_LEAD_IN = re.compile(r"^\W*(?:(?:prior|past|previous|personal)\s+)?(?:medical\s+)?history\s+of"
                                   r"(?:\s+(?:any\s+of\s+)?the\s+following)?\s*:\s*$", re.IGNORECASE)


def _under_flat_history_lead_ins(items: list[Item]) -> None:
    """The items written after a flat history lead-in at its level, up to the next that ends with a colon or the
    section's end, are under it (`enclosing`: a pregnancy or a cancer listed under 'History of:' is one at any time,
    not now); their numbers stay as written."""
    lead: Item | None = None
    for item in items:
        if lead is not None and (item.kind != lead.kind or item.depth != lead.depth or item.group != lead.group
                                 or not item.listed or item.parent is not None):
            lead = None
        if item.parent is None and item.listed and _FLAT_HISTORY_LEAD_IN.match(item.text):
            lead = item
        elif lead is not None and item.text.rstrip().endswith(":"):
            lead = None
        elif lead is not None and not item.enclosing:
            item.enclosing = [lead]


def split_criteria(text: str) -> Split:
    """Split the registry text into items; nothing is dropped (a line is a heading, a subgroup
    heading or lead-in, an item, or part of an item)."""
    lines = _lines(text)
    splitter = _Splitter(hard_wrapped=max((len(x.rstrip()) for x in lines), default=0) <= _WRAP_WIDTH)
    for line in lines:
        splitter.feed(line)
    return splitter.finish()
