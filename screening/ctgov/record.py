"""Reading a ClinicalTrials.gov API v2 study record: the JSON file, and the fields the draft uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screening.core.files import UnreadableFile, read_utf8
from screening.core.jsonread import JsonError, read_json


class RecordError(ValueError):
    """The file is not a usable API v2 study record."""


def load_record(path: Path) -> dict[str, Any]:
    """The record's JSON object; `RecordError` naming the file when it cannot be read or is no object."""
    try:
        _, text = read_utf8(path)
    except UnreadableFile as e:
        raise RecordError(f"{path}: {e}") from None
    try:
        data = read_json(text)
    except JsonError as e:
        raise RecordError(f"{path}: not a JSON document: {e}") from None
    if not isinstance(data, dict):
        raise RecordError(f"{path}: not a study record (expected a JSON object)")
    return data


def _module(section: dict[str, Any], name: str) -> dict[str, Any]:
    m = section.get(name) or {}
    return m if isinstance(m, dict) else {}


@dataclass(frozen=True)
class Study:
    """The modules of a record's protocolSection that the draft reads."""

    nct_id: str
    protocol: dict[str, Any]
    identification: dict[str, Any]
    eligibility: dict[str, Any]

    def module(self, name: str) -> dict[str, Any]:
        """A protocolSection module; {} when it is missing or not an object."""
        return _module(self.protocol, name)

    @property
    def eligibility_text(self) -> str:
        return self.eligibility.get("eligibilityCriteria") or ""


def read_study(record: dict[str, Any]) -> Study:
    """The study of an API v2 record; `RecordError` when it has no protocolSection, NCT id or
    eligibility module."""
    ps = record.get("protocolSection") if isinstance(record, dict) else None
    if not isinstance(ps, dict):
        raise RecordError("no protocolSection: not a ClinicalTrials.gov API v2 study record")
    ident = _module(ps, "identificationModule")
    elig = _module(ps, "eligibilityModule")
    nct = ident.get("nctId")
    if not isinstance(nct, str) or not re.fullmatch(r"NCT\d{8}", nct):
        raise RecordError("protocolSection.identificationModule.nctId is missing or not an NCT number")
    if not elig:
        raise RecordError("protocolSection.eligibilityModule is missing")
    return Study(nct, ps, ident, elig)
