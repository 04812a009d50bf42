"""Map parsed FHIR resources onto the patient profile's records.

Each mapper takes one entry (already parsed with fhir.resources) and returns profile records.
What cannot be mapped is left out and reported through `Warnings`, naming the resource and the
field; impossible data (a date in the future or before birth, an end before its start) raises
`InputError`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from patients.fhir import codes as fc
from patients.fhir import dates
from patients.fhir import namespace as fx
from patients.fhir.bundle import Bundle, Entry, Warnings
from patients.model import Coding as PCoding
from patients.model import (
    Condition,
    Consent,
    Dose,
    LesionAssessment,
    Medication,
    Observation,
    Procedure,
    TrialParticipation,
)
from screening.core.vocab import ClinicalStatus, Comparator, Route, Trend, VerificationStatus

OBSERVATION_OK = {"final", "amended", "corrected", "preliminary"}
PROCEDURE_OK = {"completed", "in-progress", "stopped"}
# medication statuses: the course is going on / is over / not imported
MED_ONGOING = {"active", "on-hold", "in-progress"}
MED_ENDED = {"completed", "stopped"}
REQUEST_INTENTS = {"order", "original-order", "reflex-order", "filler-order", "instance-order"}
PARTICIPATING = {"on-study", "on-study-intervention", "on-study-observation", "follow-up"}
PARTICIPATED = {"off-study", "withdrawn"}
RESULT_MAX = 64
VALUE_FIELDS = ("valueQuantity", "valueCodeableConcept", "valueString", "valueBoolean", "valueInteger",
                "valueRange", "valueRatio", "valueSampledData", "valueTime", "valueDateTime", "valuePeriod")


def _text(v: Any) -> str | None:
    if isinstance(v, str) and v.strip():
        return v.strip()
    return None


def _concept_text(cc: Any) -> str | None:
    if cc is None:
        return None
    t = _text(cc.text)
    if t:
        return t
    for c in cc.coding or []:
        t = _text(c.display)
        if t:
            return t
    return None


def _codes(cc: Any) -> list[tuple[str | None, str | None]]:
    return [(c.system, c.code) for c in (cc.coding or [])] if cc is not None else []


class Mapper:
    def __init__(self, bundle: Bundle, warnings: Warnings, birth_date: dt.date | None,
                 local_systems: frozenset[str]):
        self.b = bundle
        self.w = warnings
        self.birth = birth_date
        self.local = local_systems
        self.limit = dates.today_limit()

    # -- shared helpers ---------------------------------------------------------------------------
    def code(self, e: Entry, field_name: str, cc: Any, kind: str) -> PCoding | None:
        """The concept's coding in the preferred mapped system; a clearly local code only when no
        standard one is present; otherwise a warning and None."""
        if cc is None or not cc.coding:
            self.w.add(e, field_name, "no coding (text only): not imported" if cc is not None and cc.text else "no code: not imported")
            return None
        mapped: dict[str, Any] = {}
        local = None
        for c in cc.coding:
            if not c.system or not _text(c.code):
                continue
            ours = fc.SYSTEMS.get(c.system.strip())
            if ours is not None:
                mapped.setdefault(ours, c)
            elif local is None and fc.is_local_system(c.system, self.local):
                local = c
        for ours in fc.PREFERENCE[kind]:
            if ours in mapped:
                return self._coding(e, field_name, ours, mapped[ours])
        if mapped:
            ours, c = next(iter(mapped.items()))
            return self._coding(e, field_name, ours, c)
        if local is not None:
            return self._coding(e, field_name, "local", local)
        systems = sorted({c.system or "(no system)" for c in cc.coding})
        self.w.add(e, field_name, f"code system {', '.join(systems)} is not one the profile knows "
                                  "(LOINC, SNOMED CT, ICD-10, ICD-10-CM, ATC, RxNorm, or a clearly local one): not imported")
        return None

    def _coding(self, e: Entry, field_name: str, system: str, c: Any) -> PCoding | None:
        code = c.code.strip()
        if len(code) > 64:
            self.w.add(e, field_name, f"code longer than 64 characters ({code[:20]}...): not imported")
            return None
        display = _text(c.display)
        if display and len(display) > 500:
            display = None
        return PCoding(system=system, code=code, display=display)  # type: ignore[arg-type]

    def check_date(self, e: Entry, field_name: str, d: dt.date | None, planned: bool = False) -> dt.date | None:
        """Reject a date before birth, or in the future unless it is a planned end (`planned`)."""
        if d is None:
            return None
        if d > self.limit and not planned:
            raise self.b.error(e, field_name, f"date {d} is in the future")
        if self.birth is not None and d < self.birth:
            raise self.b.error(e, field_name, f"date {d} is before the patient's birth date {self.birth}")
        return d

    def day(self, e: Entry, field_name: str, value: Any, planned: bool = False) -> dt.date | None:
        """A full date from a FHIR date/dateTime, checked; a partial date is reported and None."""
        if value is None:
            return None
        d = dates.to_date(value)
        if d is None:
            self.w.add(e, field_name, f"{value!r} is not a full date (year-month-day): not used")
            return None
        return self.check_date(e, field_name, d, planned)

    def age_date(self, e: Entry, field_name: str, q: Any) -> dt.date | None:
        """An Age (onsetAge, abatementAge, performedAge) as a date, from the birth date."""
        if q is None:
            return None
        if self.birth is None:
            self.w.add(e, field_name, "an age needs the patient's birth date, which is not known: not used")
            return None
        if q.value is None or q.system != fc.UCUM or not q.code:
            self.w.add(e, field_name, "an age needs a value and a UCUM time unit (a, mo, wk, d): not used")
            return None
        if q.comparator:
            self.w.add(e, field_name, f"age {q.comparator}{q.value} is not an exact age: not used")
            return None
        try:
            d = dates.add_duration(self.birth, q.value, q.code)
        except (ValueError, OverflowError) as err:
            raise self.b.error(e, field_name, str(err)) from None
        return self.check_date(e, field_name, d)

    def period(self, e: Entry, field_name: str, p: Any, planned_end: bool = False) -> tuple[dt.date | None, dt.date | None]:
        if p is None:
            return None, None
        start = self.day(e, f"{field_name}.start", p.start)
        end = self.day(e, f"{field_name}.end", p.end, planned_end)
        if start and end and end < start:
            raise self.b.error(e, field_name, f"end {end} is before start {start}")
        return start, end

    # -- Patient ------------------------------------------------------------------------------------
    def birth_date(self, e: Entry, p: Any) -> dt.date | None:
        if p.birthDate is None:
            return None
        d = dates.to_date(p.birthDate)
        if d is None:
            self.w.add(e, "birthDate", f"{p.birthDate!r} is not a full date: birth date (and so age) not known")
            return None
        if d > dt.date.today():
            raise self.b.error(e, "birthDate", f"date {d} is in the future")
        if d.year < 1880:
            raise self.b.error(e, "birthDate", f"date {d} is not plausible")
        return d

    # -- Condition --------------------------------------------------------------------------------
    def _when(self, e: Entry, r: Any, prefix: str, period_end: bool) -> dt.date | None:
        v = getattr(r, f"{prefix}DateTime", None)
        if v is not None:
            return self.day(e, f"{prefix}DateTime", v)
        p = getattr(r, f"{prefix}Period", None)
        if p is not None:
            start, end = self.period(e, f"{prefix}Period", p)
            return (end or start) if period_end else (start or end)
        a = getattr(r, f"{prefix}Age", None)
        if a is not None:
            return self.age_date(e, f"{prefix}Age", a)
        for kind in ("Range", "String"):
            if getattr(r, f"{prefix}{kind}", None) is not None:
                self.w.add(e, f"{prefix}{kind}", "not a date: not used")
                return None
        if getattr(r, f"{prefix}Boolean", None) is True:
            self.w.add(e, f"{prefix}Boolean", "abated, but the date is not recorded")
        return None

    def condition(self, e: Entry, c: Any) -> list[Condition]:
        vs = next((code for _, code in _codes(c.verificationStatus) if code), None)
        if vs in ("refuted", "entered-in-error"):
            self.w.add(e, "verificationStatus", f"{vs}: not imported")
            return []
        code = self.code(e, "code", c.code, "condition")
        if code is None:
            return []
        cs = next((code for _, code in _codes(c.clinicalStatus) if code), None)
        clinical = None
        if cs is not None:
            try:
                clinical = ClinicalStatus(cs)
            except ValueError:
                self.w.add(e, "clinicalStatus", f"{cs!r} is not a clinical status code: not used")
        verification = None
        if vs is not None:
            try:
                verification = VerificationStatus(vs)
            except ValueError:
                self.w.add(e, "verificationStatus", f"{vs!r} is not a verification status code: not used")
        # The condition's interval is taken at its widest: the onset period's start and the
        # abatement period's end.
        onset = self._when(e, c, "onset", period_end=False)
        abatement = self._when(e, c, "abatement", period_end=True)
        if onset and abatement and abatement < onset:
            raise self.b.error(e, "abatement[x]", f"abatement {abatement} is before onset {onset}")
        if any(ev.code for ev in (c.evidence or [])):
            self.w.add(e, "evidence.code", "manifestations are not diagnostic criteria sets: not recorded as criteria")
        site = next((t for t in (_concept_text(s) for s in (c.bodySite or [])) if t), None)
        return [Condition(code=code, onset=onset, abatement=abatement, clinical_status=clinical,
                          verification_status=verification, criteria=self.criteria(e, c),
                          body_site=site[:500] if site else None)]

    def criteria(self, e: Entry, c: Any) -> list[str]:
        """The diagnostic criteria sets, from the project's `diagnostic-criteria` extension
        (valueString, repeated; nothing else fills `criteria`)."""
        out = []
        for ext in c.extension or []:
            if ext.url != fx.EXT_CRITERIA:
                continue
            v = _text(ext.valueString)
            if v is None or len(v) > 500:
                self.w.add(e, "extension(diagnostic-criteria)", "not a valueString of 1 to 500 characters: not used")
                continue
            out.append(v)
        return out

    # -- Observation ------------------------------------------------------------------------------
    def observation(self, e: Entry, o: Any) -> list[Observation]:
        if o.status not in OBSERVATION_OK:
            self.w.add(e, "status", f"{o.status!r}: not imported")
            return []
        has_value = any(getattr(o, f, None) is not None for f in VALUE_FIELDS)
        if not has_value and not o.component:
            if not o.hasMember:  # a panel's members are resources of their own
                why = _concept_text(o.dataAbsentReason)
                self.w.add(e, "value[x]", "no value" + (f" ({why})" if why else "") + ": not imported")
            return []
        when = self.observation_date(e, o)
        if when is None:
            return []
        out = []
        if has_value:
            code = self.code(e, "code", o.code, "observation")
            if code is not None:
                rec = self._observation(e, "", o, code, when)
                if rec is not None:
                    extra = self.extra_result(e, o)
                    if extra is not None and rec.result is None:
                        rec = rec.model_copy(update={"result": extra})
                    out.append(rec)
        for i, comp in enumerate(o.component or []):
            prefix = f"component[{i}]."
            if not any(getattr(comp, f, None) is not None for f in VALUE_FIELDS):
                why = _concept_text(comp.dataAbsentReason)
                self.w.add(e, prefix + "value[x]", "no value" + (f" ({why})" if why else "") + ": not imported")
                continue
            code = self.code(e, prefix + "code", comp.code, "observation")
            if code is not None:
                rec = self._observation(e, prefix, comp, code, when)
                if rec is not None:
                    out.append(rec)
        return out

    def extra_result(self, e: Entry, o: Any) -> str | None:
        """A coded result recorded next to a numeric value (the project's `observation-result`
        extension, valueString)."""
        for ext in o.extension or []:
            if ext.url == fx.EXT_RESULT:
                v = _text(ext.valueString)
                if v is None or len(v) > RESULT_MAX:
                    self.w.add(e, "extension(observation-result)", f"not a valueString of 1 to {RESULT_MAX} characters: not used")
                    return None
                return v
        return None

    # -- lesion assessments and statuses (as written by patients.fhir.export) -------------------------
    @staticmethod
    def lesion_kind(o: Any) -> str | None:
        """The lesion kind when the Observation is a lesion assessment, else None."""
        for system, code in _codes(o.code):
            if system == fx.CS_LESION and code in fx.LESION_KINDS:
                return code
        return None

    def lesion(self, e: Entry, o: Any, kind: str) -> list[LesionAssessment]:
        if o.status not in OBSERVATION_OK:
            self.w.add(e, "status", f"{o.status!r}: not imported")
            return []
        when = self.observation_date(e, o)
        if when is None:
            return []
        lesion_id = next((_text(i.value) for i in (o.identifier or []) if i.system == fx.NS_LESION_ID and _text(i.value)),
                         None)
        site = _concept_text(o.bodySite)
        values: dict[str, Any] = {}
        names = {code: name for name, code in fx.LESION_COMPONENTS.items()}
        for i, comp in enumerate(o.component or []):
            f = f"component[{i}]"
            name = next((names[code] for system, code in _codes(comp.code) if system == fx.CS_LESION and code in names), None)
            if name is None:
                self.w.add(e, f + ".code", "not a lesion assessment component: not used")
                continue
            if name == "diameter_mm":
                q = comp.valueQuantity
                if q is None or q.value is None or q.comparator or q.system != fc.UCUM or q.code != "mm":
                    self.w.add(e, f + ".valueQuantity", "a diameter is an exact quantity in mm: not used")
                    continue
                values[name] = float(q.value)
            elif name == "trend":
                t = next((code for system, code in _codes(comp.valueCodeableConcept) if system == fx.CS_TREND), None)
                try:
                    values[name] = Trend(t or "")
                except ValueError:
                    self.w.add(e, f + ".valueCodeableConcept", f"{t!r} is not a lesion trend: not used")
            elif comp.valueBoolean is None:
                self.w.add(e, f + ".valueBoolean", "missing: not used")
            else:
                values[name] = comp.valueBoolean
        return [LesionAssessment(kind=kind, site=site[:500] if site else None,  # type: ignore[arg-type]
                                 lesion_id=lesion_id[:500] if lesion_id else None, date=when, **values)]

    @staticmethod
    def status_field(o: Any) -> str | None:
        """The `administrative` field an undated status Observation records (pregnancy status
        LOINC 82810-3, or a code of the project's `screening-status` system), else None. A dated
        Observation stays an observation."""
        if any(getattr(o, f"effective{k}", None) is not None for k in ("DateTime", "Period", "Instant", "Timing")):
            return None
        if o.issued is not None:
            return None
        fields = {code: name for name, code in fx.STATUS_CODES.items()}
        for system, code in _codes(o.code):
            if system in ("http://loinc.org", "urn:oid:2.16.840.1.113883.6.1") and code == fc.PREGNANCY_STATUS:
                return "pregnant"
            if system == fx.CS_STATUS and code in fields:
                return fields[code]
        return None

    def status_value(self, e: Entry, o: Any, name: str) -> Any:
        """The value of a status Observation for `administrative.<name>`, or None (with a warning)."""
        if o.status not in OBSERVATION_OK:
            self.w.add(e, "status", f"{o.status!r}: not imported")
            return None
        if name == "pregnant":
            for system, code in _codes(o.valueCodeableConcept):
                if system == fc.SNOMED and code in (fc.PREGNANT, fc.NOT_PREGNANT):
                    return code == fc.PREGNANT
            self.w.add(e, "valueCodeableConcept", "not SNOMED CT 77386006 (pregnant) or 60001007 (not pregnant): not used")
            return None
        if name == "life_expectancy_months":
            q = o.valueQuantity
            if q is not None and q.value is not None and not q.comparator and q.system == fc.UCUM and q.code in ("mo", "a"):
                months = float(q.value) * (12 if q.code == "a" else 1)
                if 0 <= months <= 1500:
                    return months
            self.w.add(e, "valueQuantity", "a life expectancy is an exact quantity in mo or a: not used")
            return None
        if o.valueBoolean is None:
            self.w.add(e, "valueBoolean", "missing: not used")
            return None
        return o.valueBoolean

    def observation_date(self, e: Entry, o: Any) -> dt.date | None:
        """effectiveDateTime; effectivePeriod (its end, else its start); effectiveInstant; else
        `issued` (when the result was released)."""
        d = None
        if o.effectiveDateTime is not None:
            d = self.day(e, "effectiveDateTime", o.effectiveDateTime)
        elif o.effectivePeriod is not None:
            start, end = self.period(e, "effectivePeriod", o.effectivePeriod)
            d = end or start
        elif o.effectiveInstant is not None:
            d = self.day(e, "effectiveInstant", o.effectiveInstant)
        elif o.effectiveTiming is not None:
            self.w.add(e, "effectiveTiming", "a timing schedule is not a date: using issued")
        if d is None and o.issued is not None:
            d = self.day(e, "issued", o.issued)
        if d is None:
            self.w.add(e, "effective[x]", "no usable date (effective[x] or issued): not imported")
        return d

    def _observation(self, e: Entry, prefix: str, h: Any, code: PCoding, when: dt.date) -> Observation | None:
        if h.valueQuantity is not None:
            q = h.valueQuantity
            f = prefix + "valueQuantity"
            if q.value is None:
                self.w.add(e, f, "a quantity without a value: not imported")
                return None
            comparator = None
            if q.comparator:
                try:
                    comparator = Comparator(q.comparator)
                except ValueError:
                    self.w.add(e, f + ".comparator", f"{q.comparator!r} is not a result comparator: not imported")
                    return None
            ok, unit = self.unit(e, f, q)
            if not ok:
                return None
            return Observation(code=code, date=when, value=float(q.value), unit=unit, comparator=comparator)
        if h.valueInteger is not None:
            return Observation(code=code, date=when, value=float(h.valueInteger))
        if h.valueCodeableConcept is not None:
            result = self.coded_result(h.valueCodeableConcept)
            if result is None:
                self.w.add(e, prefix + "valueCodeableConcept", "no code, display or text: not imported")
                return None
            if len(result) > RESULT_MAX:
                self.w.add(e, prefix + "valueCodeableConcept", f"result text longer than {RESULT_MAX} characters: not imported")
                return None
            return Observation(code=code, date=when, result=result)
        if h.valueString is not None:
            s = h.valueString.strip()
            if not s or len(s) > RESULT_MAX or "\n" in s:
                self.w.add(e, prefix + "valueString", f"not a simple result (empty, multi-line or over {RESULT_MAX} characters): not imported")
                return None
            return Observation(code=code, date=when, result=s)
        kind = next(f for f in VALUE_FIELDS if getattr(h, f, None) is not None)
        self.w.add(e, prefix + kind, f"{kind} is not mapped (quantities, integers, codes and short strings are): not imported")
        return None

    def unit(self, e: Entry, field_name: str, q: Any) -> tuple[bool, str | None]:
        """(usable, UCUM code) of a quantity: (True, None) when it has no unit at all (a count or
        score); (False, None), with a warning, when the unit is there but is not usable UCUM."""
        shown = q.unit or q.code
        if q.system is None and q.code is None:
            if q.unit:
                self.w.add(e, field_name, f"unit {q.unit!r} has no UCUM code: not imported")
                return False, None
            return True, None
        if q.system != fc.UCUM:
            self.w.add(e, field_name, f"unit {shown!r} is coded in {fc.system_label(q.system)}"
                                      + (f" ({q.code})" if q.code else "") + ", not UCUM: not imported")
            return False, None
        if not q.code:
            self.w.add(e, field_name, f"UCUM quantity without a unit code (unit text {q.unit!r}): not imported")
            return False, None
        problem = fc.ucum_problem(q.code)
        if problem:
            self.w.add(e, field_name, f"{problem}: not imported")
            return False, None
        return True, str(q.code.strip())

    @staticmethod
    def coded_result(cc: Any) -> str | None:
        for system, code in _codes(cc):
            if system == fc.SNOMED and code in fc.SNOMED_RESULTS:
                return fc.SNOMED_RESULTS[code]
            if system == fc.V3_INTERPRETATION and code in fc.V3_RESULTS:
                return fc.V3_RESULTS[code]
        t = _concept_text(cc)
        if t:
            return t
        for system, code in _codes(cc):
            if code:
                return f"{fc.SYSTEMS.get(system or '', system or 'code')}:{code}"
        return None

    # -- Procedure --------------------------------------------------------------------------------
    def procedure(self, e: Entry, p: Any) -> list[Procedure]:
        if p.status not in PROCEDURE_OK:
            self.w.add(e, "status", f"{p.status!r}: not imported")
            return []
        code = self.code(e, "code", p.code, "procedure")
        if code is None:
            return []
        when = None
        if p.performedDateTime is not None:
            when = self.day(e, "performedDateTime", p.performedDateTime)
        elif p.performedPeriod is not None:
            start, end = self.period(e, "performedPeriod", p.performedPeriod)
            when = start or end
        elif p.performedAge is not None:
            when = self.age_date(e, "performedAge", p.performedAge)
        elif p.performedString is not None or p.performedRange is not None:
            self.w.add(e, "performed[x]", "not a date: not imported")
            return []
        if when is None:
            self.w.add(e, "performed[x]", "no usable date: not imported")
            return []
        outcome = _concept_text(p.outcome)
        return [Procedure(code=code, date=when, outcome=outcome[:500] if outcome else None)]

    # -- medications ------------------------------------------------------------------------------
    def medication_codes(self, e: Entry, r: Any) -> list[PCoding]:
        if r.medicationCodeableConcept is not None:
            c = self.code(e, "medicationCodeableConcept", r.medicationCodeableConcept, "medication")
            return [c] if c else []
        ref = r.medicationReference
        if ref is None or not ref.reference:
            self.w.add(e, "medicationReference", "no reference to a Medication: not imported")
            return []
        target = ref.reference.strip()
        if target.startswith("#"):
            med = next((c for c in (r.contained or []) if c.id == target[1:]), None)
            if med is None:
                raise self.b.error(e, "medicationReference", f"broken reference {target!r}: no contained resource has this id")
            where = f"contained Medication {target}"
        else:
            found = self.b.resolve(e, "medicationReference", target)
            if found is None:
                self.w.add(e, "medicationReference", f"{target!r} is not in the input: not imported")
                return []
            med = self.b.parse(found)
            where = found.label
        if med.get_resource_type() != "Medication":
            raise self.b.error(e, "medicationReference", f"{target!r} is a {med.get_resource_type()}, not a Medication")
        field_name = f"medicationReference ({where}).code"
        if med.code is not None and any(fc.SYSTEMS.get((c.system or "").strip()) for c in med.code.coding or []):
            c = self.code(e, field_name, med.code, "medication")
            return [c] if c else []
        ingredients = []
        for ing in med.ingredient or []:
            if ing.itemCodeableConcept is not None and any(fc.SYSTEMS.get((c.system or "").strip())
                                                           for c in ing.itemCodeableConcept.coding or []):
                c = self.code(e, field_name, ing.itemCodeableConcept, "medication")
                if c is not None:
                    ingredients.append(c)
        if ingredients:
            systems = sorted({c.system or "(no system)" for c in (med.code.coding or [])}) if med.code else ["(none)"]
            self.w.add(e, field_name, f"product code system {', '.join(systems)} is not mapped: recorded its "
                                      f"ingredients instead ({', '.join(f'{c.system}:{c.code}' for c in ingredients)})")
            return ingredients
        c = self.code(e, field_name, med.code, "medication")
        return [c] if c else []

    def route_and_dose(self, e: Entry, field_name: str, route_cc: Any, dose_q: Any) -> tuple[Route | None, Dose | None]:
        route = None
        if route_cc is not None:
            for system, code in _codes(route_cc):
                if system == fc.SNOMED and code in fc.SNOMED_ROUTES:
                    route = fc.SNOMED_ROUTES[code]
                    break
                if system == fc.V3_ROUTE_SYSTEM and code in fc.V3_ROUTES:
                    route = fc.V3_ROUTES[code]
                    break
                if system == fx.CS_ROUTE and code == Route.other.value:
                    route = Route.other
                    break
            if route is None:
                for t in [route_cc.text] + [c.display for c in route_cc.coding or []]:
                    if t and (route := fc.route_from_words(t)) is not None:
                        break
            if route is None:
                self.w.add(e, field_name + ".route", f"route {_concept_text(route_cc) or _codes(route_cc)} is not mapped: not recorded")
        dose = None
        if dose_q is not None:
            f = field_name + ".dose"
            if dose_q.value is None:
                pass
            elif dose_q.system is None and dose_q.code is None and not dose_q.unit:
                self.w.add(e, f, "a dose without a unit: dose not recorded")
            else:
                ok, unit = self.unit(e, f, dose_q)
                if ok and unit is not None:
                    dose = Dose(value=float(dose_q.value), unit=unit)
        return route, dose

    def _dosage(self, e: Entry, field_name: str, dosages: list[Any]) -> tuple[Route | None, Dose | None]:
        route, dose = None, None
        for i, d in enumerate(dosages):
            q = None
            for j, dr in enumerate(d.doseAndRate or []):
                if dr.doseQuantity is not None:
                    q = dr.doseQuantity
                    break
                if dr.doseRange is not None:
                    self.w.add(e, f"{field_name}[{i}].doseAndRate[{j}].doseRange", "a dose range is not mapped: dose not recorded")
            r, ds = self.route_and_dose(e, f"{field_name}[{i}]", d.route, q)
            route = route or r
            dose = dose or ds
        return route, dose

    def _course(self, e: Entry, codes: list[PCoding], route: Route | None, dose: Dose | None,
                start: dt.date | None, end: dt.date | None, ended: bool,
                date_field: str = "effective[x]") -> list[Medication]:
        if not codes:
            return []
        if start is None and end is None:
            if ended:  # without dates a finished course would read as ongoing
                self.w.add(e, date_field, "a finished course with no dates: not imported")
                return []
            self.w.add(e, date_field, "no start date recorded")
        if end is not None and end > dt.date.today():
            if ended:
                raise self.b.error(e, "end", f"the course is over but ends in the future ({end})")
            self.w.add(e, "end", "planned end after today: recorded as ongoing")
            end = None
        if ended and end is None and start is not None:
            self.w.add(e, "status", "over but no end date: recorded as ending on its start date (the actual stop date is not in the record)")
            end = start
        if start and end and end < start:
            raise self.b.error(e, "end", f"end {end} is before start {start}")
        return [Medication(code=c, route=route, dose=dose, start=start, end=end) for c in codes]

    def medication_statement(self, e: Entry, m: Any) -> list[Medication]:
        if m.status not in MED_ONGOING | MED_ENDED:
            self.w.add(e, "status", f"{m.status!r}: not imported")
            return []
        ended = m.status in MED_ENDED
        codes = self.medication_codes(e, m)
        if not codes:
            return []
        start = end = None
        if m.effectivePeriod is not None:
            start, end = self.period(e, "effectivePeriod", m.effectivePeriod, planned_end=True)
        elif m.effectiveDateTime is not None:
            start = self.day(e, "effectiveDateTime", m.effectiveDateTime)
            end = start if ended else None
        route, dose = self._dosage(e, "dosage", m.dosage or [])
        return self._course(e, codes, route, dose, start, end, ended)

    def medication_request(self, e: Entry, m: Any) -> list[Medication]:
        if m.status not in MED_ONGOING | MED_ENDED:
            self.w.add(e, "status", f"{m.status!r}: not imported")
            return []
        if m.intent not in REQUEST_INTENTS:
            self.w.add(e, "intent", f"{m.intent!r} is not an order: not imported")
            return []
        codes = self.medication_codes(e, m)
        if not codes:
            return []
        start = end = None
        for i, d in enumerate(m.dosageInstruction or []):
            rep = d.timing.repeat if d.timing is not None else None
            if rep is None:
                continue
            if rep.boundsPeriod is not None:
                start, end = self.period(e, f"dosageInstruction[{i}].timing.repeat.boundsPeriod", rep.boundsPeriod,
                                         planned_end=True)
                break
            if rep.boundsDuration is not None:
                bd = rep.boundsDuration
                s = self.day(e, "authoredOn", m.authoredOn)
                if s is not None and bd.value is not None and bd.system == fc.UCUM and bd.code:
                    start = s
                    try:
                        end = dates.add_duration(s, bd.value, bd.code)
                    except (ValueError, OverflowError) as err:
                        raise self.b.error(e, f"dosageInstruction[{i}].timing.repeat.boundsDuration", str(err)) from None
                    if m.status in MED_ENDED and end > dt.date.today():
                        end = None  # stopped before its planned duration ran out: the stop date is not recorded
                    break
        if start is None:
            start = self.day(e, "authoredOn", m.authoredOn)
        route, dose = self._dosage(e, "dosageInstruction", m.dosageInstruction or [])
        return self._course(e, codes, route, dose, start, end, m.status in MED_ENDED, "authoredOn")

    def medication_administration(self, e: Entry, m: Any) -> list[Medication]:
        if m.status not in MED_ONGOING | MED_ENDED:
            self.w.add(e, "status", f"{m.status!r}: not imported")
            return []
        codes = self.medication_codes(e, m)
        if not codes:
            return []
        start = end = None
        ended = m.status in MED_ENDED
        if m.effectiveDateTime is not None:
            start = end = self.day(e, "effectiveDateTime", m.effectiveDateTime)
        elif m.effectivePeriod is not None:
            start, end = self.period(e, "effectivePeriod", m.effectivePeriod, planned_end=True)
        route, dose = (None, None)
        if m.dosage is not None:
            route, dose = self.route_and_dose(e, "dosage", m.dosage.route, m.dosage.dose)
        return self._course(e, codes, route, dose, start, end, ended)

    # -- ResearchSubject, Consent -----------------------------------------------------------------------
    def research_subject(self, e: Entry, r: Any) -> list[TrialParticipation]:
        if r.status not in PARTICIPATING | PARTICIPATED:
            self.w.add(e, "status", f"{r.status!r} is not participation in a study: not used")
            return []
        start, end = self.period(e, "period", r.period, planned_end=True)
        if start is None:
            self.w.add(e, "period.start", "no start date: not imported")
            return []
        if end is not None and end > dt.date.today():
            end = None
        if r.status in PARTICIPATED and end is None:
            self.w.add(e, "period.end", f"status {r.status!r} but no end date: recorded as ending on its start date")
            end = start
        return [TrialParticipation(trial_id=self.study_name(e, r.study), start=start, end=end)]

    def study_name(self, e: Entry, ref: Any) -> str | None:
        if ref is None:
            return None
        if ref.reference:
            found = self.b.resolve(e, "study", ref.reference) if not ref.reference.startswith("#") else None
            if found is not None and found.rtype == "ResearchStudy":
                st = self.b.parse(found)
                for ident in st.identifier or []:
                    if _text(ident.value):
                        return str(ident.value).strip()[:500]
                if _text(st.title):
                    return str(st.title).strip()[:500]
        if ref.identifier is not None and _text(ref.identifier.value):
            return str(ref.identifier.value).strip()[:500]
        if _text(ref.display):
            return str(ref.display).strip()[:500]
        if ref.reference:
            return ref.reference.strip().rsplit("/", 1)[-1][:500] or None
        return None

    def consent(self, e: Entry, c: Any) -> Consent | None:
        scopes = {code for system, code in _codes(c.scope) if system == fc.CONSENT_SCOPE and code}
        if "research" not in scopes:
            self.w.add(e, "scope", f"{', '.join(sorted(scopes)) or _concept_text(c.scope) or 'no scope'}: "
                                   "not consent to research, not used")
            return None
        if c.status == "entered-in-error":
            self.w.add(e, "status", "'entered-in-error': not used")
            return None
        when = self.day(e, "dateTime", c.dateTime)
        representative = False
        for p in c.performer or []:
            ref = (p.reference or "").strip()
            target = p.type or (ref.split("/")[-2] if ref.count("/") >= 1 and not ref.startswith("urn:") else None)
            if ref.startswith("urn:") and ref in self.b.by_url:
                target = self.b.by_url[ref].rtype
            if target == "RelatedPerson":
                representative = True
        return Consent(signed=c.status == "active", date=when, by_representative=representative)
