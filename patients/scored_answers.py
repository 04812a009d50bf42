"""Scored answer lists: coded answers that stand for a number, such as an ECOG performance
status sent as LOINC LA9623-5 (= 1) instead of the number 1.

An answer code means its score only for the observations (analytes) of its list: LOINC LA9627-6
is ECOG 5 and also Karnofsky 0 %. So the table is per analyte, and an observation's `answer` is
checked against the list of its own code. Codes are (profile code system, code). To read another
scored list, add a `ScoredAnswers` with the observation codes it answers and its answers' scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Code = tuple[str, str]  # (profile code system, code)


@dataclass(frozen=True)
class ScoredAnswers:
    """A list of coded answers and the score each stands for, for the analytes it answers."""

    name: str
    analytes: frozenset[Code]
    scores: Mapping[Code, int]


SCORED_ANSWERS: tuple[ScoredAnswers, ...] = (
    ScoredAnswers(
        name="ECOG performance status",
        # LOINC ECOG Performance Status score, ECOG Performance Status [Interpretation];
        # SNOMED CT Eastern Cooperative Oncology Group performance status (observable entity)
        analytes=frozenset({("loinc", "89247-1"), ("loinc", "89262-0"), ("snomed", "423740007")}),
        scores={
            # LOINC answer list LL529-9
            ("loinc", "LA9622-7"): 0, ("loinc", "LA9623-5"): 1, ("loinc", "LA9624-3"): 2,
            ("loinc", "LA9625-0"): 3, ("loinc", "LA9626-8"): 4, ("loinc", "LA9627-6"): 5,
            # SNOMED CT findings "Eastern Cooperative Oncology Group performance status - grade 0" ... "grade 5"
            ("snomed", "425389002"): 0, ("snomed", "422512005"): 1, ("snomed", "422894000"): 2,
            ("snomed", "423053003"): 3, ("snomed", "423237006"): 4, ("snomed", "423409001"): 5,
        },
    ),
)


def scored_list(codes: Iterable[Code]) -> ScoredAnswers | None:
    """The scored answer list of an observation coded `codes` (any of its codings), if any."""
    keys = set(codes)
    return next((s for s in SCORED_ANSWERS if s.analytes & keys), None)
