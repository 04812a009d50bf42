"""Recognisers that draft computable definitions from one eligibility item's text.

Each recogniser returns `Finding`s: a `when:` definition (plain dicts in the rule-set grammar),
the text span it came from, a confidence (0..1) and a reading. A recogniser only drafts what it
is confident about; everything else stays for review. Supported: age ranges, ECOG, life
expectancy, lab and vital-sign comparisons with units (symbols, markdown escapes, unicode signs
and words such as "2.0 mg/dl or less", "100,000 per cu mm or more"), time windows attached to
a recognised event ("within 4 weeks", "in the past 5 years"), pregnancy and lactation, HIV,
hepatitis B and C, and written informed consent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from screening.core.units import UnitError, factor, parse_molar_mass

# --- value sets -----------------------------------------------------------------------------
# name -> (title, codes, canonical UCUM unit, molar mass). Library names are referred to as is;
# the others are written into the drafted trial as trial-local value sets.
LIBRARY_LABS = {"creatinine": "umol/L", "lvef": "%", "ecog": "1"}
LOCAL_VALUE_SETS: dict[str, dict[str, Any]] = {
    "total_bilirubin": {"title": "bilirubin, total (serum or plasma)", "codes": ["loinc:1975-2"],
                        "unit": "mg/dL", "molar_mass": "584.66 g/mol"},
    "hemoglobin": {"title": "haemoglobin (blood)", "codes": ["loinc:718-7"], "unit": "g/dL"},
    "platelets": {"title": "platelets (blood)", "codes": ["loinc:777-3", "loinc:26515-7"], "unit": "10*3/uL"},
    "leukocytes": {"title": "white blood cells (blood)", "codes": ["loinc:6690-2", "loinc:26464-8"],
                   "unit": "10*3/uL"},
    "neutrophils": {"title": "neutrophils, absolute count (blood)", "codes": ["loinc:751-8", "loinc:26499-4"],
                    "unit": "10*3/uL"},
    "bmi": {"title": "body mass index", "codes": ["loinc:39156-5"], "unit": "kg/m2"},
    "body_temperature": {"title": "body temperature", "codes": ["loinc:8310-5"], "unit": "Cel"},
    "heart_rate": {"title": "heart rate", "codes": ["loinc:8867-4"], "unit": "/min"},
    "respiratory_rate": {"title": "respiratory rate", "codes": ["loinc:9279-1"], "unit": "/min"},
    "systolic_bp": {"title": "systolic blood pressure", "codes": ["loinc:8480-6"], "unit": "mm[Hg]"},
    "diastolic_bp": {"title": "diastolic blood pressure", "codes": ["loinc:8462-4"], "unit": "mm[Hg]"},
    "systemic_corticosteroids": {"title": "corticosteroids for systemic use (ATC H02)", "codes": ["atc:H02*"]},
    "antineoplastic_agents": {"title": "antineoplastic agents (ATC L01)", "codes": ["atc:L01*"]},
    "vaccines": {"title": "vaccines (ATC J07)", "codes": ["atc:J07*"]},
}

# analyte: (slug, name pattern, value set); analytes without a value set only bound segments
_LABS: list[tuple[str, str, str | None]] = [
    ("creatinine", r"(?:serum\s+)?creatinine(?!\s*clearance)", "creatinine"),
    ("bilirubin", r"(?:total\s+)?bilirubin", "total_bilirubin"),
    ("hemoglobin", r"ha?emoglobin|\bhgb\b|\bhb\b", "hemoglobin"),
    ("platelets", r"platelets?(?:\s+count)?|\bplt\b", "platelets"),
    ("wbc", r"(?:total\s+)?wh(?:i)?te\s+blood\s+cells?(?:\s+count)?(?:\s*\(WBC\))?|\bwbc\b|leukocytes?", "leukocytes"),
    ("anc", r"absolute\s+neutrophil\s+count(?:\s*\(ANC\))?|\banc\b|neutrophils?", "neutrophils"),
    ("lvef", r"(?:left\s+ventricular\s+)?ejection\s+fraction(?:\s*\(LVEF\))?|\blvef\b", "lvef"),
    ("bmi", r"\bBMI\b|body\s+mass\s+index(?:\s*\(BMI\))?", "bmi"),
    ("temperature", r"(?:oral\s+|body\s+)?temperature", "body_temperature"),
    ("heart_rate", r"heart\s+rate|pulse(?:\s+rate)?", "heart_rate"),
    ("respiratory_rate", r"respiratory\s+rate", "respiratory_rate"),
    ("systolic_bp", r"systolic(?:\s+blood\s+pressure)?", "systolic_bp"),
    ("diastolic_bp", r"diastolic(?:\s+blood\s+pressure)?", "diastolic_bp"),
    ("other", r"\b(?:SGOT|SGPT|ALT|AST|alkaline\s+phosphatase|sodium|potassium|glucose|granulocytes|"
              r"creatinine\s+clearance|INR|albumin)\b", None),
]
_LAB_RE = [(slug, re.compile(p, re.IGNORECASE), vs) for slug, p, vs in _LABS]

# --- numbers, units, comparisons ----------------------------------------------------------------
_NUM = r"\d{1,3}(?:[,.'’ ]\d{3})+(?![\d])|\d+(?:[.,]\d+)?"
_UNITS: list[tuple[str, str]] = [
    (r"[x×*]\s*10\s*(?:\^|\*|e)?\s*(?:9|⁹)\s*/\s*l\b", "10*9/L"),
    (r"[x×*]\s*10\s*(?:\^|\*|e)?\s*(?:3|³)\s*/\s*(?:[uµμ]l|mm3|mm³)\b", "10*3/uL"),
    (r"(?:cells\s*)?(?:/|per)\s*(?:cu\.?\s*mm|cubic\s+mm|cubic\s+millimet(?:er|re)s?|mm\s*\^?\s*3|mm³)", "/mm3"),
    (r"(?:cells\s*)?(?:/|per)\s*(?:[uµμ]l|microlit(?:er|re))\b", "/uL"),
    (r"mg\s*/\s*dl\b", "mg/dL"),
    (r"g(?:m|r)?\s*/\s*dl\b", "g/dL"),
    (r"g\s*/\s*l\b", "g/L"),
    (r"mg\s*/\s*l\b", "mg/L"),
    (r"[uµμ]mol\s*/\s*l\b", "umol/L"),
    (r"mmol\s*/\s*l\b", "mmol/L"),
    (r"mm\s*hg\b", "mm[Hg]"),
    (r"bpm\b|beats\s*(?:per|/)\s*min(?:ute)?\b|/\s*min\b", "/min"),
    (r"breaths\s*(?:pm|per\s+min(?:ute)?|/\s*min)\b", "/min"),
    (r"(?:°|º|deg(?:rees?)?\s*)\s*c\b", "Cel"),
    (r"(?:°|º|deg(?:rees?)?\s*)\s*f\b", "[degF]"),
    (r"kg\s*/\s*m\s*(?:2|²|\^2)", "kg/m2"),
    (r"%|percent\b", "%"),
]
_UNIT_RE = "|".join(f"(?:{p})" for p, _ in _UNITS)
_SYM = {"≤": "le", "≦": "le", "⩽": "le", "<=": "le", "=<": "le", "≥": "ge", "≧": "ge", "⩾": "ge", ">=": "ge",
        "=>": "ge", "<": "lt", ">": "gt", "< or =": "le", "> or =": "ge", "≥ or =": "ge", "≤ or =": "le"}
_BEFORE = {
    "less than or equal to": "le", "greater than or equal to": "ge", "equal to or less than": "le",
    "equal to or greater than": "ge", "equal to or more than": "ge", "less than": "lt", "fewer than": "lt",
    "greater than": "gt", "more than": "gt", "at least": "ge", "at most": "le", "no more than": "le",
    "not more than": "le", "no greater than": "le", "not greater than": "le", "no less than": "ge",
    "not less than": "ge", "not exceeding": "le", "up to": "le", "below": "lt", "above": "gt",
    "over": "gt", "under": "lt", "exceeding": "gt", "minimum of": "ge", "maximum of": "le",
}
_AFTER = {"less": "le", "lower": "le", "below": "le", "fewer": "le", "under": "le", "more": "ge",
          "greater": "ge", "higher": "ge", "above": "ge", "over": "ge", "better": "ge"}
_SYM_RE = "|".join(re.escape(s) for s in sorted(_SYM, key=len, reverse=True))
_BEFORE_RE = "|".join(re.escape(s) for s in sorted(_BEFORE, key=len, reverse=True))
_CMP_BEFORE = re.compile(
    rf"(?P<op>{_SYM_RE}|\b(?:{_BEFORE_RE})\b)\s*(?:to\s+)?(?P<num>{_NUM})\s*(?P<unit>{_UNIT_RE})?", re.IGNORECASE)
_CMP_AFTER = re.compile(
    rf"(?P<num>{_NUM})\s*(?P<unit>{_UNIT_RE})?\s*(?:or|and)\s+(?P<word>{'|'.join(_AFTER)})\b", re.IGNORECASE)
_OP_TEXT = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "="}


def ucum_unit(text: str | None) -> str | None:
    if not text:
        return None
    for pattern, unit in _UNITS:
        if re.fullmatch(pattern, text.strip(), re.IGNORECASE):
            return unit
    return None


def parse_number(text: str, counting: bool = False) -> float:
    """'100,000' -> 100000; '100.000' -> 100000 for counts (European thousands), else 100.0;
    '2,5' -> 2.5 (decimal comma); '9.0' -> 9.0."""
    s = text.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:['’ ]\d{3})+", s):
        return float(re.sub(r"['’ ]", "", s))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        return float(s.replace(".", "")) if counting or s.count(".") > 1 else float(s)
    return float(s.replace(",", "."))


@dataclass
class Comparison:
    op: str
    value: float
    unit: str | None
    start: int
    end: int
    raw: str


def comparisons(text: str, counting: bool = False) -> list[Comparison]:
    """Every threshold in `text`, in order: '≥ 3', '\\>=3' (unescaped), '=< 2', '2.0 mg/dl or less'."""
    out: list[Comparison] = []
    taken: list[tuple[int, int]] = []
    for rx, kind in ((_CMP_AFTER, "after"), (_CMP_BEFORE, "before")):
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            op = _AFTER[m.group("word").lower()] if kind == "after" else (
                _SYM.get(m.group("op")) or _BEFORE[m.group("op").lower()])
            out.append(Comparison(op, parse_number(m.group("num"), counting), ucum_unit(m.group("unit")),
                                  m.start(), m.end(), m.group(0)))
            taken.append((m.start(), m.end()))
    return sorted(out, key=lambda c: c.start)


def _qty(value: float, unit: str | None) -> Any:
    v = int(value) if float(value).is_integer() else value
    return v if unit in (None, "1") else f"{v:g} {unit}" if isinstance(v, float) else f"{v} {unit}"


# --- findings -----------------------------------------------------------------------------------


@dataclass
class Finding:
    slug: str
    when: dict[str, Any]
    span: str
    confidence: float
    reading: str
    start: int
    end: int
    value_sets: list[str] = field(default_factory=list)
    missing: str | None = None


_NUMWORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "eighteen": 18, "twenty-four": 24,
             "twenty four": 24, "thirty": 30, "a": 1, "an": 1}
_NUMWORD_RE = "|".join(sorted((re.escape(w) for w in _NUMWORDS), key=len, reverse=True))


def _int(s: str) -> int:
    s = s.lower()
    return _NUMWORDS[s] if s in _NUMWORDS else int(s)


_CONDITIONAL = re.compile(r"^\s*(?:for|if|when|in)\s", re.IGNORECASE)


def _age(text: str, kind: str) -> list[Finding]:
    if _CONDITIONAL.match(text):
        return []
    pats = [
        (re.compile(r"(?:aged?\s+)?(?P<lo>\d{1,3})\s*(?:-|–|to)\s*(?P<hi>\d{1,3})\s*years?(?:\s+of\s+age|\s+old)",
                    re.IGNORECASE), "range"),
        (re.compile(r"aged?\s+(?:between\s+)?(?P<lo>\d{1,3})\s*(?:-|–|to|and)\s*(?P<hi>\d{1,3})\s*(?:years?)?",
                    re.IGNORECASE), "range"),
        (re.compile(rf"\bage[ds]?\s*(?:of\s+)?(?P<op>{_SYM_RE}|\b(?:{_BEFORE_RE})\b)\s*(?P<lo>\d{{1,3}})\s*(?:years?)?",
                    re.IGNORECASE), "cmp"),
        (re.compile(r"(?P<lo>\d{1,3})\s*years?\s+(?:of\s+age\s+|old\s+)?(?:or|and)\s+(?:older|over|above)",
                    re.IGNORECASE), "ge"),
        (re.compile(r"(?:at\s+least|≥|>=)\s*(?P<lo>\d{1,3})\s*years?\s+(?:of\s+age|old)", re.IGNORECASE), "ge"),
    ]
    for rx, how in pats:
        m = rx.search(text)
        if not m:
            continue
        lo = int(m.group("lo"))
        if how == "range":
            hi = int(m.group("hi"))
            if not lo < hi <= 130:
                continue
            rng: dict[str, Any] = {"between": [lo, hi]}
            reading = f"age {lo} to {hi} years inclusive (completed years)"
        elif how == "ge":
            rng = {"ge": lo}
            reading = f"age {lo} years or older (completed years)"
        else:
            op = _SYM.get(m.group("op")) or _BEFORE[m.group("op").lower()]
            rng = {op: lo}
            reading = f"age {_OP_TEXT[op]} {lo} years (completed years)"
        inside = text[:m.start()].count("(") > text[:m.start()].count(")")
        conf = 0.7 if inside else 0.9
        if inside:
            reading += "; the age is stated in parentheses as a gloss of another requirement"
        return [Finding("age", {"age": rng}, m.group(0), conf, reading, m.start(), m.end())]
    return []


_ECOG = re.compile(
    r"(?:Eastern\s+Cooperative\s+Oncology\s+Group\s*(?:\(ECOG\))?|\bECOG\b)"
    r"(?:\s*(?:performance\s+status|performance\s+score|PS|\(PS\)|score|grade|of|is|must\s+be|:))*\s*"
    r"(?:(?P<a>[0-4])\s*(?:,\s*[0-4]\s*)*(?:-|–|to|or|and)\s*(?P<b>[0-4])"
    rf"|(?P<op>{_SYM_RE}|\b(?:{_BEFORE_RE})\b)\s*(?P<c>[0-4])|(?P<d>[0-4])\s*or\s+(?P<w>less|lower|better|below))",
    re.IGNORECASE)


def _ecog(text: str, kind: str) -> list[Finding]:
    m = _ECOG.search(text)
    if not m:
        return []
    if m.group("a") is not None:
        lo, hi = int(m.group("a")), int(m.group("b"))
        if lo > hi:
            return []
        rng: dict[str, Any] = {"between": [lo, hi]}
        reading = f"ECOG {lo} to {hi} inclusive"
    elif m.group("op") is not None:
        op = _SYM.get(m.group("op")) or _BEFORE[m.group("op").lower()]
        rng = {op: int(m.group("c"))}
        reading = f"ECOG {_OP_TEXT[op]} {m.group('c')}"
    else:
        rng = {"le": int(m.group("d"))}
        reading = f"ECOG <= {m.group('d')}"
    reading += "; no time window is stated: the most recent score of any date is used (set `within:` on review)"
    return [Finding("ecog", {"latest": {"code": "ecog", **rng}}, m.group(0), 0.9, reading, m.start(), m.end(),
                    ["ecog"])]


_LIFE = re.compile(
    rf"life\s+expectancy\s*(?:of\s+)?(?P<op>{_SYM_RE}|\b(?:{_BEFORE_RE})\b)\s*(?P<n>\d+)\s*(?P<u>months?|weeks?|years?)",
    re.IGNORECASE)


def _life(text: str, kind: str) -> list[Finding]:
    m = _LIFE.search(text)
    if not m:
        return []
    op = _SYM.get(m.group("op")) or _BEFORE[m.group("op").lower()]
    n, u = int(m.group("n")), m.group("u").lower().rstrip("s")
    months = {"month": n, "year": n * 12, "week": round(n * 7 / 30.4375, 2)}[u]
    reading = f"life expectancy {_OP_TEXT[op]} {months:g} months" + ("" if u == "month" else f" (from {n} {u}s)")
    return [Finding("life_expectancy", {"life_expectancy_months": {op: months}}, m.group(0), 0.9, reading,
                    m.start(), m.end())]


def _segments(text: str) -> list[tuple[str, str | None, int, int]]:
    """Analyte mentions with the stretch of text that belongs to each (up to the next analyte,
    a semicolon, a sentence end, or a comma followed by a word)."""
    hits: list[tuple[int, int, str, str | None]] = []
    for slug, rx, vs in _LAB_RE:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _, _ in hits):
                continue
            hits.append((m.start(), m.end(), slug, vs))
    hits.sort()
    out = []
    for i, (s, e, slug, vs) in enumerate(hits):
        stop = hits[i + 1][0] if i + 1 < len(hits) else len(text)
        b = re.search(r";|\.\s|\.$|,\s+(?=[A-Za-z])|\n", text[e:stop])
        if b:
            stop = e + b.start()
        out.append((slug, vs, s, stop))
    return out


def _labs(text: str, kind: str, continued_from: int) -> list[Finding]:
    out: list[Finding] = []
    for slug, vs, s, stop in _segments(text):
        if vs is None:
            continue
        canonical = LIBRARY_LABS.get(vs) or LOCAL_VALUE_SETS[vs]["unit"]
        counting = canonical in ("10*3/uL",)
        seg = text[s:stop]
        cmps = comparisons(seg, counting)
        if not cmps or cmps[0].start > 45:
            continue
        mm = LOCAL_VALUE_SETS.get(vs, {}).get("molar_mass") or ("113.12 g/mol" if vs == "creatinine" else None)
        bounds: list[tuple[str, Any, str]] = []
        ok = True
        shared = cmps[-1].unit  # 'BMI <18 or >35 kg/m2': a trailing unit applies to every bound
        for c in cmps:
            unit = c.unit or shared
            if unit is None:
                ok = False
                break
            if unit == "[degF]" and canonical == "Cel":
                celsius = round((c.value - 32) * 5 / 9, 1)
                bounds.append((c.op, _qty(celsius, "Cel"), f"{c.raw.strip()} = {celsius:g} °C"))
                continue
            try:
                k = factor(unit, canonical, parse_molar_mass(mm) if mm else None)
            except UnitError:
                ok = False
                break
            if unit in ("/mm3", "/uL", "10*9/L"):
                value = float(f"{c.value * k:.9g}")
                note = f"{c.raw.strip()} = {value:g} x 10^3/uL"
                unit = canonical
            else:
                value, note = c.value, c.raw.strip() + ("" if c.unit else f" ({unit})")
            bounds.append((c.op, _qty(value, unit), note))
        if not ok:
            continue
        joined = seg[cmps[0].start:cmps[-1].end]
        alternative = len(bounds) > 1 and re.search(r"\bor\b", joined) is not None
        span = seg[:cmps[-1].end].strip()
        in_note = s >= continued_from
        conf = 0.6 if in_note else 0.8
        if alternative:
            when: dict[str, Any] = {"any": [{"latest": {"code": vs, op: q}} for op, q, _ in bounds]}
        else:
            spec: dict[str, Any] = {"code": vs}
            for op, q, _ in bounds:
                if op in spec:
                    ok = False
                spec[op] = q
            if not ok:
                continue
            when = {"latest": spec}
        reading = (f"{slug.replace('_', ' ')}: " + (" or " if alternative else " and ").join(n for _, _, n in bounds)
                   + "; no time window is stated: the most recent value of any date is used (set `within:` on review)")
        if in_note:
            reading += "; the threshold comes from a note or footnote of the item"
        end = s + cmps[-1].end
        if re.match(r"\s*,?\s*(?:or|and/or)\b", text[end:]) or re.search(r"\b(?:or|and/or)\s*$", text[:s]):
            conf = min(conf, 0.4)
            reading += "; the item offers an alternative ('or ...') that is not part of this definition"
        out.append(Finding(slug, when, span, conf, reading, s, s + cmps[-1].end, [vs]))
    return out


_WINDOW = re.compile(
    rf"\b(?:within|in|during)\s+(?:the\s+)?(?:(?P<past>past|last|previous|prior)\s+)?(?P<n>\d+|{_NUMWORD_RE})?\s*"
    r"(?P<u>days?|weeks?|months?|years?)\b(?:\s*\(\s*\d+\s*days?\s*\))?",
    re.IGNORECASE)


def windows(text: str) -> list[tuple[str, int, int]]:
    """Time windows: 'within 4 weeks' -> '4 weeks'; 'in the past 5 years'; 'within the last year'."""
    out = []
    for m in _WINDOW.finditer(text):
        word = m.group(0).split()[0].lower()
        if word in ("in", "during") and not m.group("past"):
            continue
        n = _int(m.group("n")) if m.group("n") else 1
        if m.group("n") is None and not m.group("past"):
            continue
        u = m.group("u").lower().rstrip("s") + ("s" if n != 1 else "")
        out.append((f"{n} {u}", m.start(), m.end()))
    return out


# event: (slug, pattern, kind, codes, confidence)
_EVENTS: list[tuple[str, str, str, list[str] | None, float]] = [
    ("trial_participation", r"investigational\s+(?:drug|agent|product|therap|study|device|medicin)|"
                            r"(?:another|other)\s+(?:clinical\s+)?(?:trial|study)|clinical\s+(?:trial|study)",
     "participation", None, 0.6),
    ("corticosteroids", r"\b(?:cortico)?steroids?\b", "medication", ["systemic_corticosteroids"], 0.6),
    ("immunosuppressants", r"immunosuppressive\s+(?:medication|therap|drug|agent)", "medication",
     ["immunosuppressive_therapy", "systemic_corticosteroids"], 0.6),
    ("chemotherapy", r"chemotherapy|cytotoxic\s+therap", "medication", ["antineoplastic_agents"], 0.6),
    ("vaccine", r"\b(?:any\s+)?vaccines?\b(?!\s+study)", "medication", ["vaccines"], 0.6),
    ("malignancy", r"(?<![\w-])(?:cancer|malignan(?:cy|cies|t))\b(?!\s*(?:antibod|therap|drug|agent|vaccine))",
     "condition", ["malignancy"], 0.5),
]


def _events(text: str, kind: str) -> list[Finding]:
    wins = windows(text)
    if not wins:
        return []
    out: list[Finding] = []
    used: set[str] = set()
    for slug, pat, rec, codes, conf in _EVENTS:
        for m in re.finditer(pat, text, re.IGNORECASE):
            if slug in used or (slug == "corticosteroids" and "immunosuppressants" in used):
                break
            # the first window after the mention, in the same clause (at most 80 characters away)
            after = [w for w in wins if 0 <= w[1] - m.end() <= 80 and ";" not in text[m.end():w[1]]
                     and "." not in text[m.end():w[1]].replace("e.g.", "")]
            if not after:
                continue
            w, ws, we = after[0]
            if rec == "participation":
                when: dict[str, Any] = {"participation": {"within": w}}
                reading = f"participation in another study overlapping the last {w}"
            else:
                code: Any = codes[0] if codes and len(codes) == 1 else codes
                when = {rec: {"code": code, "within": w}}
                reading = f"a {rec} record ({', '.join(codes or [])}) overlapping the last {w}"
            reading += " before the screening date (the record's reference point is read as the screening date)"
            used.add(slug)
            out.append(Finding(slug, when, text[m.start():we], conf, reading, m.start(), we,
                               [c for c in codes or [] if c in LOCAL_VALUE_SETS]))
            break
    return out


_HIV = re.compile(r"\bHIV(?:[- ]?1(?:/2)?)?\b|human\s+immunodeficiency\s+virus", re.IGNORECASE)
_HBV = re.compile(r"hepatitis\s+B(?:sAg)?\b(?:\s+surface\s+antigen)?|\bHBV\b|\bHBsAg\b", re.IGNORECASE)
_HCV = re.compile(r"hepatitis\s+C\b(?:\s+virus)?|\bHCV\b", re.IGNORECASE)


def _infections(text: str, kind: str) -> list[Finding]:
    found: list[tuple[str, re.Match[str]]] = []
    last = 0
    firsts = [m.start() for rx in (_HIV, _HBV, _HCV) for m in rx.finditer(text)]
    if not firsts:
        return []
    stop = re.search(r"\.\s|;", text[min(firsts):])  # the span stays within the sentence of the first mention
    limit = min(firsts) + stop.start() if stop else len(text)
    for concept, rx in (("hiv_positive", _HIV), ("hepatitis_b_positive", _HBV), ("hepatitis_c_positive", _HCV)):
        ms = [m for m in rx.finditer(text) if m.end() <= limit]
        if ms:
            found.append((concept, ms[0]))
            last = max(last, ms[-1].end())
    if not found:
        return []
    negative = re.search(r"\bnegative\b", text, re.IGNORECASE)
    if kind == "inclusion" and not negative:
        return []
    if kind == "exclusion" and negative:
        return []
    refs: list[dict[str, Any]] = [{"ref": c} for c, _ in found]
    cond: dict[str, Any] = refs[0] if len(refs) == 1 else {"any": refs}
    start = min(m.start() for _, m in found)
    end = max(last, text.find(")", last) + 1 if text[last:last + 2].lstrip().startswith(")") else last)
    if negative and kind == "inclusion":
        start = min(start, negative.start())
    names = ", ".join(c.replace("_positive", "").replace("_", " ") for c, _ in found)
    if kind == "inclusion":
        when: dict[str, Any] = {"not": cond}
        reading = f"no {names} (diagnosis or positive test); a missing test result is unknown"
    else:
        when = cond
        reading = f"{names}: by diagnosis or positive test; a missing test result is unknown"
    return [Finding("infections", when, text[start:end], 0.85 if kind == "exclusion" else 0.8, reading, start, end)]


_PREG = re.compile(r"pregnan(?:t|cy)(?:\s+test)?", re.IGNORECASE)
_LACT = re.compile(r"lactat(?:ing|ion)|breast[- ]?feeding|nursing", re.IGNORECASE)
_PREG_NOT = re.compile(r"avoid|prevent|contracept|birth\s+control|become\s+pregnant|plan(?:s|ning)?\s+to|partner",
                       re.IGNORECASE)


def _pregnancy(text: str, kind: str) -> list[Finding]:
    p = _PREG.search(text)
    lact = _LACT.search(text)
    if not p and not lact:
        return []
    lead = text[: max(m.end() for m in (p, lact) if m)]
    if _PREG_NOT.search(lead):
        return []
    if kind == "inclusion":
        neg = re.search(r"negative\s+(?:serum\s+|urine\s+|blood\s+)?(?:or\s+urine\s+|\(?serum\s+or\s+urine\)?\s+)?"
                        r"(?:beta[- ]?hcg\s+|hcg\s+)?pregnancy\s+test", text, re.IGNORECASE)
        if not neg:
            return []
        return [Finding("pregnancy_test", {"any": [{"sex": ["male"]}, {"not": {"ref": "pregnant"}}]}, neg.group(0), 0.7,
                        "women: not pregnant (no positive hCG within 30 days, no recorded pregnancy); "
                        "a missing test is unknown", neg.start(), neg.end())]
    if re.search(r"\bnegative\b", lead, re.IGNORECASE):
        return []
    if p and lact:
        ref, what = "pregnant_or_lactating", "pregnant or breast-feeding"
    elif p:
        ref, what = "pregnant", "pregnant (recorded, positive hCG within 30 days, or active pregnancy)"
    else:
        ref, what = "lactating", "breast-feeding"
    ms = [m for m in (p, lact) if m]
    start, end = min(m.start() for m in ms), max(m.end() for m in ms)
    span_start = max(0, text.rfind(" ", 0, max(0, start - 1)) + 1) if start and text[:start].lower().rstrip().endswith(
        ("positive", "urine", "serum")) else start
    return [Finding("pregnancy" if ref != "lactating" else "lactation",
                    {"all": [{"sex": ["female"]}, {"ref": ref}]}, text[span_start:end], 0.8,
                    f"applies to women: {what}", span_start, end)]


_CONSENT = re.compile(r"(?:sign|signed|provide|give|given|written|obtain)[\w\s(),\-]{0,60}?informed\s+consent"
                      r"|informed\s+consent[\w\s]{0,20}?(?:signed|obtained)", re.IGNORECASE)


def _consent(text: str, kind: str) -> list[Finding]:
    if kind != "inclusion" or _CONDITIONAL.match(text):
        return []
    m = _CONSENT.search(text)
    if not m:
        return []
    return [Finding("consent", {"ref": "informed_consent_signed"}, m.group(0), 0.7,
                    "written informed consent signed (recorded as a fact)", m.start(), m.end())]


def recognise(text: str, kind: str, continued_from: int | None = None) -> list[Finding]:
    """All findings for one item's text. `continued_from`: offset where notes/footnotes begin."""
    cut = len(text) if continued_from is None else continued_from
    found: list[Finding] = []
    for fn in (_age, _ecog, _life, _infections, _pregnancy, _consent, _events):
        found += fn(text, kind)
    found += _labs(text, kind, cut)
    # a lab match inside a span already drafted (e.g. 'pregnancy test') is dropped
    keep: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if any(f.start >= k.start and f.end <= k.end for k in keep):
            continue
        keep.append(f)
    return keep


_STOP = set("""
a an the and or of to in on for at by as with from than that this these those be is are was were been being
have has had having must should will would may can could not no any all each other their they them it its
patients patient subjects subject participants participant persons person individuals males females male
female men women known history documented evidence current currently serum plasma blood level levels count
total value values status performance score scores test tests result results positive negative infection
infections antibody antibodies virus screening time any throughout during study prior previous previously
years year old age aged days day weeks week months month within past last received receive receiving used use
e g eg i ie including also only either both such per visit trial x mg dl g l mm cu
""".split())


def residual(text: str, findings: list[Finding]) -> str:
    """The item's text with the drafted spans removed, reduced to its content words."""
    chars = list(text)
    for f in findings:
        for i in range(f.start, min(f.end, len(chars))):
            chars[i] = " "
    words = re.findall(r"[A-Za-z][A-Za-z\-]*", "".join(chars))
    return " ".join(w for w in words if w.lower() not in _STOP)
