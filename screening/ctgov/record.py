"""Reading a ClinicalTrials.gov study record into the fields the draft uses (`Study`).

Three record layouts are read, recognised by their shape:

* **API v2 JSON** (`/api/v2/studies/<NCT id>`): a top-level `protocolSection` with camelCase
  modules (`identificationModule`, `eligibilityModule`, ...); also a search answer
  `{"studies": [<one study>]}`;
* **classic API JSON** (the retired v1 `full_studies` answer): `FullStudiesResponse` ->
  `FullStudies[0].Study.ProtocolSection` with PascalCase modules, or a bare `{"Study": ...}`;
* **classic XML** (`<clinical_study>`, the retired XML download): `eligibility/criteria/textblock`,
  whose text is indented and hard-wrapped; also the registry's older archive XML (`study_id/nct_id`,
  titles in `textblock`s, `study_sponsor`).

A field of an unexpected type (a sponsor that is not an object, conditions given as one string,
criteria that are not text) is never fatal: it is left out (or read as the obvious value) and a
note says so. Only a record without an NCT id or any eligibility information is refused
(`RecordError`), and a record file larger than `$SCREENING_MAX_CTGOV_FILE_BYTES` (default 16 MiB),
which is refused before it is parsed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screening.core.files import UnreadableFile, decode_utf8, read_bounded
from screening.core.jsonread import JsonError, read_json

V2, CLASSIC_JSON, CLASSIC_XML = "API v2 JSON", "classic API JSON", "classic XML"
_NCT = re.compile(r"NCT\d{8}")
_NOT_STATED = {"", "n/a", "na", "none", "not applicable"}
MAX_FILE_ENV = "SCREENING_MAX_CTGOV_FILE_BYTES"
DEFAULT_MAX_FILE = 16 * 1024 * 1024  # a whole record with its results is some hundreds of KB


class RecordError(ValueError):
    """The file is not a usable study record."""


@dataclass(frozen=True)
class Study:
    """What the draft reads of a record, whatever its layout."""

    nct_id: str
    layout: str  # V2 | CLASSIC_JSON | CLASSIC_XML
    title: str
    eligibility_text: str = ""
    sponsor: str | None = None
    conditions: tuple[str, ...] = ()
    healthy_volunteers: bool | None = None
    sex: str | None = None  # ALL | FEMALE | MALE
    minimum_age: str | None = None
    maximum_age: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)  # fields not read, and why


def load_record(path: Path) -> Study:
    """The study of the record file at `path` (JSON of either API, or classic XML);
    `RecordError` naming the file when it cannot be read, is larger than
    `$SCREENING_MAX_CTGOV_FILE_BYTES` (refused before it is parsed) or is not a study record."""
    try:
        _, text = decode_utf8(read_bounded(path, MAX_FILE_ENV, DEFAULT_MAX_FILE))
    except UnreadableFile as e:
        raise RecordError(f"{path}: {e}") from None
    try:
        return parse_record(text)
    except RecordError as e:
        raise RecordError(f"{path}: {e}") from None


def parse_record(text: str) -> Study:
    """The study of a record's text: XML when it starts with '<', else JSON."""
    if text.lstrip().startswith("<"):
        try:
            root = ET.fromstring(text.lstrip())
        except ET.ParseError as e:
            raise RecordError(f"not an XML document: {e}") from None
        return read_xml_study(root)
    try:
        data = read_json(text)
    except JsonError as e:
        raise RecordError(f"not a JSON document: {e}") from None
    if not isinstance(data, dict):
        raise RecordError("not a study record (expected a JSON object)")
    return read_study(data)


# --- small readers that never fail on a wrong type ------------------------------------------------

class _Fields:
    """Reads fields of one record, noting those of an unexpected type."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def obj(self, parent: Any, key: str, where: str) -> dict[str, Any]:
        value = parent.get(key) if isinstance(parent, dict) else None
        if value is None or isinstance(value, dict):
            return value or {}
        self.notes.append(f"{where}{key} is not an object: ignored")
        return {}

    def text(self, parent: dict[str, Any], key: str, where: str) -> str | None:
        value = parent.get(key)
        if value is None or isinstance(value, str):
            return value.strip() if value and value.strip() else None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            self.notes.append(f"{where}{key} is a list of texts: read as one text, a line each")
            return "\n".join(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        self.notes.append(f"{where}{key} is not text: ignored")
        return None

    def texts(self, parent: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = parent.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            self.notes.append(f"{where}{key} is one text, not a list: read as one condition")
            return (value,) if value.strip() else ()
        if isinstance(value, list):
            kept = tuple(v for v in value if isinstance(v, str) and v.strip())
            if len(kept) != len(value):
                self.notes.append(f"{where}{key}: entries that are not text ignored")
            return kept
        self.notes.append(f"{where}{key} is not a list: ignored")
        return ()

    def flag(self, parent: dict[str, Any], key: str, where: str) -> bool | None:
        value = parent.get(key)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false",
                                                                "accepts healthy volunteers"):
            return value.strip().lower() in ("yes", "true", "accepts healthy volunteers")
        self.notes.append(f"{where}{key} is not yes/no: ignored")
        return None


def _age(value: str | None) -> str | None:
    return None if value is None or value.strip().lower() in _NOT_STATED else value.strip()


def _sex(value: str | None) -> str | None:
    return value.strip().upper() if value and value.strip() else None


def _nct(value: Any) -> str:
    if not isinstance(value, str) or not _NCT.fullmatch(value.strip()):
        raise RecordError("the record's NCT id is missing or not an NCT number")
    return value.strip()


# --- API v2 and classic API JSON ---------------------------------------------------------------------

def read_study(record: dict[str, Any]) -> Study:
    """The study of a parsed JSON record: API v2 (camelCase), or classic API (PascalCase)."""
    studies = record.get("studies")
    if "protocolSection" not in record and isinstance(studies, list) and len(studies) == 1:
        record = studies[0] if isinstance(studies[0], dict) else {}
    if isinstance(record.get("protocolSection"), dict):
        return _read_v2(record["protocolSection"])
    classic = _classic_protocol(record)
    if classic is not None:
        return _read_classic(classic)
    raise RecordError("no protocolSection: not a ClinicalTrials.gov study record (API v2 or classic JSON)")


def _read_v2(ps: dict[str, Any]) -> Study:
    f = _Fields()
    ident = f.obj(ps, "identificationModule", "protocolSection.")
    elig = f.obj(ps, "eligibilityModule", "protocolSection.")
    nct = ident.get("nctId")
    if not isinstance(nct, str) or not _NCT.fullmatch(nct):
        raise RecordError("protocolSection.identificationModule.nctId is missing or not an NCT number")
    if not elig:
        raise RecordError("protocolSection.eligibilityModule is missing")
    where = "eligibilityModule."
    sponsor_module = f.obj(ps, "sponsorCollaboratorsModule", "protocolSection.")
    lead = f.obj(sponsor_module, "leadSponsor", "sponsorCollaboratorsModule.")
    organization = f.obj(ident, "organization", "identificationModule.")
    return Study(
        nct_id=nct, layout=V2,
        title=f.text(ident, "briefTitle", "identificationModule.") or f.text(
            ident, "officialTitle", "identificationModule.") or nct,
        eligibility_text=f.text(elig, "eligibilityCriteria", where) or "",
        sponsor=f.text(lead, "name", "leadSponsor.") or f.text(organization, "fullName", "organization."),
        conditions=f.texts(f.obj(ps, "conditionsModule", "protocolSection."), "conditions", "conditionsModule."),
        healthy_volunteers=f.flag(elig, "healthyVolunteers", where),
        sex=_sex(f.text(elig, "sex", where)),
        minimum_age=_age(f.text(elig, "minimumAge", where)),
        maximum_age=_age(f.text(elig, "maximumAge", where)),
        notes=tuple(f.notes))


def _classic_protocol(record: dict[str, Any]) -> dict[str, Any] | None:
    """The ProtocolSection of a classic API answer (one study), or None."""
    response = record.get("FullStudiesResponse")
    if isinstance(response, dict):
        studies = response.get("FullStudies")
        record = studies[0] if isinstance(studies, list) and len(studies) == 1 and isinstance(studies[0], dict) else {}
    study = record.get("Study")
    section = study.get("ProtocolSection") if isinstance(study, dict) else None
    return section if isinstance(section, dict) else None


def _read_classic(ps: dict[str, Any]) -> Study:
    f = _Fields()
    ident = f.obj(ps, "IdentificationModule", "ProtocolSection.")
    elig = f.obj(ps, "EligibilityModule", "ProtocolSection.")
    nct = _nct(ident.get("NCTId"))
    if not elig:
        raise RecordError("ProtocolSection.EligibilityModule is missing")
    where = "EligibilityModule."
    lead = f.obj(f.obj(ps, "SponsorCollaboratorsModule", "ProtocolSection."), "LeadSponsor",
                 "SponsorCollaboratorsModule.")
    conditions = f.obj(f.obj(ps, "ConditionsModule", "ProtocolSection."), "ConditionList", "ConditionsModule.")
    gender = f.text(elig, "Gender", where) or f.text(elig, "Sex", where)
    return Study(
        nct_id=nct, layout=CLASSIC_JSON,
        title=f.text(ident, "BriefTitle", "IdentificationModule.") or f.text(
            ident, "OfficialTitle", "IdentificationModule.") or nct,
        eligibility_text=f.text(elig, "EligibilityCriteria", where) or "",
        sponsor=f.text(lead, "LeadSponsorName", "LeadSponsor.") or f.text(
            f.obj(ident, "Organization", "IdentificationModule."), "OrgFullName", "Organization."),
        conditions=f.texts(conditions, "Condition", "ConditionList."),
        healthy_volunteers=f.flag(elig, "HealthyVolunteers", where),
        sex=_sex(gender),
        minimum_age=_age(f.text(elig, "MinimumAge", where)),
        maximum_age=_age(f.text(elig, "MaximumAge", where)),
        notes=tuple(f.notes))


# --- classic XML ----------------------------------------------------------------------------------

def _xml_text(root: ET.Element, path: str) -> str | None:
    node = root.find(path)
    text = node.text if node is not None else None
    return text.strip() if text and text.strip() else None


def read_xml_study(root: ET.Element) -> Study:
    """The study of a classic `<clinical_study>` XML record."""
    if root.tag != "clinical_study":
        raise RecordError(f"<{root.tag}> is not a ClinicalTrials.gov <clinical_study> record")
    # the registry's older archive XML has `study_id/nct_id`, titles in `textblock`s and `study_sponsor`
    nct = _nct(_xml_text(root, "id_info/nct_id") or _xml_text(root, "study_id/nct_id"))
    eligibility = root.find("eligibility")
    if eligibility is None:
        raise RecordError("<eligibility> is missing")
    criteria = eligibility.find("criteria/textblock")
    healthy = _xml_text(eligibility, "healthy_volunteers")
    return Study(
        nct_id=nct, layout=CLASSIC_XML,
        title=(_xml_text(root, "brief_title") or _xml_text(root, "brief_title/textblock")
               or _xml_text(root, "official_title") or nct),
        eligibility_text=criteria.text or "" if criteria is not None else "",
        sponsor=_xml_text(root, "sponsors/lead_sponsor/agency") or _xml_text(root, "study_sponsor/lead_sponsor/agency"),
        conditions=tuple(t.strip() for c in root.findall("condition") if (t := c.text) and t.strip()),
        healthy_volunteers=None if healthy is None else healthy.lower() in ("yes", "accepts healthy volunteers"),
        sex=_sex(_xml_text(eligibility, "gender")),
        minimum_age=_age(_xml_text(eligibility, "minimum_age")),
        maximum_age=_age(_xml_text(eligibility, "maximum_age")))
