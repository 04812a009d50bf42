"""Scores sent as coded answers: an ECOG performance status as LOINC LA9623-5 in
`valueCodeableConcept` is the score 1 (the lists are in `patients.scored_answers`). The answer
is kept as the observation's `answer`. A numeric score whose `interpretation` gives a scored
answer must agree with it."""

from __future__ import annotations

from typing import Any

from patients.fhir import codes as fc
from patients.fhir.bundle import Entry
from patients.fhir.resources.concepts import DISPLAY_MAX, text
from patients.fhir.resources.context import ImportContext
from patients.model import Coding, Observation
from patients.scored_answers import ScoredAnswers, scored_list

Answer = tuple[Coding, int]  # a scored answer and its score


def answers_of(codings: list[Coding], cc: Any) -> tuple[ScoredAnswers | None, list[Answer]]:
    """The scored answer list of an observation coded `codings`, and the codings of the concept
    `cc` that are answers of that list, with their scores."""
    scored = scored_list((c.system, c.code) for c in codings)
    return scored, (_answers(scored, cc) if scored is not None and cc is not None else [])


def one_score(ctx: ImportContext, e: Entry, field_name: str, answers: list[Answer]) -> Answer | None:
    """The answer, when the answers of a concept give one score; else a warning and None."""
    scores = sorted({s for _, s in answers})
    if len(scores) > 1:
        ctx.warn(e, field_name, f"answers {', '.join(f'{c.system}:{c.code}' for c, _ in answers)} stand for "
                                f"different scores ({', '.join(map(str, scores))}): not imported")
        return None
    return answers[0]


def check_interpretation(ctx: ImportContext, e: Entry, prefix: str, h: Any, rec: Observation) -> Observation | None:
    """A numeric score whose `interpretation` holds a scored answer of its list (as mCODE sends
    an ECOG score): kept with that answer when both agree; left out with a warning when not."""
    if rec.value is None or rec.answer is not None or not getattr(h, "interpretation", None):
        return rec
    answers: list[Answer] = []
    for cc in h.interpretation:
        answers += answers_of(list(rec.codings()), cc)[1]
    if not answers:
        return rec
    field_name = prefix + "interpretation"
    answer = one_score(ctx, e, field_name, answers)
    if answer is None:
        return None
    if answer[1] != rec.value:
        ctx.warn(e, field_name, f"the value {rec.value:g} and its interpretation {answer[0].system}:{answer[0].code} "
                                f"(score {answer[1]}) disagree: not imported")
        return None
    return rec.model_copy(update={"answer": answer[0]})


def _answers(scored: ScoredAnswers, cc: Any) -> list[Answer]:
    out = []
    for c in cc.coding or []:
        ours = fc.SYSTEMS.get((c.system or "").strip())
        code = text(c.code)
        if ours is None or code is None or (ours, code) not in scored.scores:
            continue
        display = text(c.display)
        coding = Coding(system=ours, code=code, display=display if display and len(display) <= DISPLAY_MAX else None)  # type: ignore[arg-type]
        out.append((coding, scored.scores[(ours, code)]))
    return out
