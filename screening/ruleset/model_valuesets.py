"""Value sets in rule files: listed codes, composed entries (published ValueSet files, ICD
hierarchies), possible codes, names, units, conversions, natural courses and reference ranges."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from screening.core.diagnostics import did_you_mean
from screening.core.units import CONVERSIONS
from screening.core.vocab import CODE_SYSTEMS, CodeSystem
from screening.ruleset.model_base import DurationText, check_quantity
from screening.ruleset.model_base import M as _M
from screening.ruleset.model_base import duration_text as _duration

# 'system:code', 'system:prefix*' (every code below the prefix) or 'system:*' (every code of the
# system: CVX codes are all vaccines)
CODE_RE = re.compile(rf"^({'|'.join(CODE_SYSTEMS)}):((?=[A-Za-z0-9.\-*])[A-Za-z0-9.\-]*)(\*?)$")
ITEM_RE = re.compile(r"^(icd10|icd10cm):([A-Za-z0-9.]+(?:-[A-Za-z0-9.]+)?)$")


def _check_codes(v: list[str]) -> list[str]:
    for c in v:
        if not CODE_RE.match(c):
            raise ValueError(f"{c!r} is not 'system:code' (systems: {', '.join(CODE_SYSTEMS)})")
    return v


class DisplayFilter(_M):
    """Takes the codes of a ValueSet file whose display names one of `any` and none of `none`
    (whole words or phrases, case-insensitive)."""

    any: list[Annotated[str, Field(min_length=2)]] = Field(min_length=1)
    none: list[Annotated[str, Field(min_length=2)]] = Field(default_factory=list)


class ValueSetEntry(_M):
    """One part of a composed value set: exactly one of `valueset`, `codes`, `descendants`."""

    valueset: str | None = Field(default=None, description="a file in library/valuesets/, or a canonical 'url|version'")
    codes: list[str] | None = Field(default=None, description="'system:code' literals")
    descendants: list[str] | None = Field(
        default=None, description="ICD chapters, blocks, categories or subcategories, each with every code below "
                                  "it, e.g. 'icd10cm:C00-C96', 'icd10:C44'")
    systems: list[CodeSystem] | None = Field(default=None, description="keep only the file's codes of these systems")
    display: DisplayFilter | None = Field(default=None, description="keep only the file's codes whose display matches")
    source: str | None = Field(default=None, description="where listed codes come from (shown in the provenance)")

    @field_validator("codes")
    @classmethod
    def _codes(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else _check_codes(v)

    @model_validator(mode="after")
    def _one(self) -> ValueSetEntry:
        given = [k for k in ("valueset", "codes", "descendants") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("an entry has exactly one of valueset, codes, descendants")
        if self.valueset is None and (self.systems is not None or self.display is not None):
            raise ValueError("`systems` and `display` select codes of a `valueset` entry")
        if self.codes is None and self.source is not None:
            raise ValueError("`source` describes the codes of a `codes` entry")
        for item in self.descendants or []:
            if not ITEM_RE.match(item):
                raise ValueError(f"{item!r} is not an ICD item: 'icd10:<item>' or 'icd10cm:<item>', e.g. "
                                 "'icd10cm:C00-C96' (a block), 'icd10:C44' (a category)")
        return self


class ReferenceRangeSpec(_M):
    """A typical normal range of a test, assumed (and said so) when a result carries none."""

    low: Any = None
    high: Any = None
    source: str = Field(min_length=1, description="where the range comes from (a laboratory, a guideline)")

    @field_validator("low", "high")
    @classmethod
    def _limit(cls, v: Any) -> Any:
        if v is not None:
            check_quantity(v)
        return v

    @model_validator(mode="after")
    def _some(self) -> ReferenceRangeSpec:
        if self.low is None and self.high is None:
            raise ValueError("a reference range needs `low` or `high`")
        return self


class ValueSet(_M):
    """A named set of codes: `codes` and `include` name the concept, `possible` codes may name it,
    `exclude` removes codes from both, `names` and `not_names` are how it is written in text."""

    title: str | None = None
    codes: list[str] = Field(default_factory=list,
                             description="'system:code', with a trailing * for every code below it (ATC)")
    include: list[ValueSetEntry] = Field(default_factory=list)
    exclude: list[ValueSetEntry] = Field(default_factory=list)
    possible: list[ValueSetEntry] = Field(
        default_factory=list, description="codes that name the concept only possibly (a record so coded may be it)")
    names: list[Annotated[str, Field(min_length=2)]] = Field(
        default_factory=list, description="words or phrases that name the concept in a record's text")
    not_names: list[Annotated[str, Field(min_length=2)]] = Field(
        default_factory=list, description="text that names something else although it contains a name")
    unit: str | None = Field(default=None, description="canonical UCUM unit for values of these codes")
    molar_mass: Any = Field(default=None, description="e.g. '113.12 g/mol', for mass <-> molar conversion")
    conversion: str | None = Field(default=None, description="an analyte-specific conversion between units no factor "
                                   "relates, by name (e.g. hba1c_ifcc_ngsp)")
    reference_range: ReferenceRangeSpec | None = Field(
        default=None, description="the normal range assumed when a result carries none (the fallback of "
                                  "'3 x ULN' thresholds), with where it comes from")
    natural_course: DurationText | None = Field(
        default=None, description="how long a record of the concept without an end stays current after its onset "
                                  "(pregnancy: 42 weeks); later it no longer counts as active, and results say so")

    @field_validator("natural_course")
    @classmethod
    def _course(cls, v: Any) -> Any:
        return None if v is None else _duration(v)

    @field_validator("conversion")
    @classmethod
    def _conversion(cls, v: str | None) -> str | None:
        if v is not None and v not in CONVERSIONS:
            raise ValueError(f"unknown conversion {v!r}{did_you_mean(v, CONVERSIONS)}; known: {', '.join(CONVERSIONS)}")
        return v

    @field_validator("codes")
    @classmethod
    def _codes(cls, v: list[str]) -> list[str]:
        return _check_codes(v)



