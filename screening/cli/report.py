"""The readable report of `screening check`: each trial's criteria, trials ranked, then a summary
across trials in the same order (the last thing on the terminal).

The summary answers "where can this patient go, and what is left to do": eligible trials first,
then undetermined ones (fewest data to collect and criteria to review first), then ineligible
ones (fewest failing criteria first) with the criterion that decides. Criteria are named by their
registry text, as a clinician reads them; `ids=True` adds the ids of the rule files and `--json`.
Every text from a rule set or a record is printed as rich `Text`, never read as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from screening.cli.console import out

if TYPE_CHECKING:
    from screening.runtime.results import CriterionResult, ScreeningReport, TrialResult

STATUS_STYLE = {"pass": "green", "fail": "red", "unknown": "yellow", "review": "cyan"}
VERDICT_STYLE = {"eligible": "bold green", "ineligible": "bold red", "undetermined": "bold yellow"}
VERDICT_RANK = {"eligible": 0, "undetermined": 1, "ineligible": 2}
SUMMARY_TEXT = 70  # characters of a criterion's text in the summary
DETAIL_TEXT = 240  # and in the details (all of it: `screening explain`, --json)


def show(renderable: RenderableType) -> None:
    """Print laid out at the console's width, without the spaces rich pads lines with."""
    text = Text()
    for line in out.render_lines(renderable, out.options, pad=False):
        row = Text()
        for seg in line:
            if not seg.control:
                row.append(seg.text, seg.style)
        row.rstrip()
        text.append_text(row)
        text.append("\n")
    out.print(text, soft_wrap=True, end="")


def ranked(results: list[TrialResult]) -> list[TrialResult]:
    """Eligible first, then undetermined by what is left to do, then ineligible by failing criteria."""
    def left(r: TrialResult) -> int:
        if r.verdict == "undetermined":
            return len(r.data_to_collect) + len(r.criteria_to_review)
        return r.counts.get("fail", 0)
    return sorted(results, key=lambda r: (VERDICT_RANK[r.verdict], left(r), r.trial_id))


def title(c: CriterionResult, ids: bool = False, limit: int | None = None) -> str:
    """A criterion's registry text on one line (cut at `limit` characters), its id first with `ids`."""
    text = " ".join(c.text.split()) or c.id
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"{c.id}: {text}" if ids else text


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def reason(r: TrialResult, ids: bool = False) -> Text:
    """Why a trial has its verdict, in a few words."""
    if r.verdict == "eligible":
        return Text(f"all {plural(len(r.criteria), 'criterion', 'criteria')} met")
    if r.verdict == "undetermined":
        return Text(f"{len(r.data_to_collect)} data to collect, "
                    f"{plural(len(r.criteria_to_review), 'criterion', 'criteria')} to review")
    failed = [c for c in r.criteria if c.status == "fail"]
    if not failed:  # not produced by the screener; said rather than hidden
        return Text("no failing criterion reported")
    first = failed[0]
    why = Text("not met: " if first.kind == "inclusion" else "applies: ", style="red")
    why.append(title(first, ids, SUMMARY_TEXT))
    if len(failed) > 1:
        why.append(f" (+{len(failed) - 1} more)", style="dim")
    return why


def reason_and_date(r: TrialResult, ids: bool = False) -> Text:
    """Why a trial has its verdict and, for a patient held back only by time, from when it would change."""
    why = reason(r, ids)
    if r.eligible_from is not None:
        why.append(f"; eligible{'' if r.eligible_from.verdict == 'eligible' else ' pending review'} "
                   f"from {r.eligible_from.date}", style="green")
    return why


def print_summary(report: ScreeningReport, ids: bool = False) -> None:
    results = ranked(report.results)
    counts = {v: sum(r.verdict == v for r in results) for v in VERDICT_RANK}
    out.print()
    out.print(Text.assemble(("Summary", "bold"), f" of {plural(len(results), 'trial', 'trials')}: ",
                            ", ".join(f"{n} {v}" for v, n in counts.items())))
    table = Table(box=box.SIMPLE_HEAD, show_header=True, header_style="bold", pad_edge=False, show_edge=False)
    table.add_column("verdict", no_wrap=True)
    table.add_column("trial", no_wrap=True)
    table.add_column("why", overflow="fold", ratio=1)
    for r in results:
        table.add_row(Text(r.verdict, style=VERDICT_STYLE[r.verdict]), Text(r.trial_id), reason_and_date(r, ids))
    show(table)


def print_trial(r: TrialResult, ids: bool = False) -> None:
    out.print()
    out.print(Text.assemble((r.trial_id, "bold"), ": ", (r.verdict, VERDICT_STYLE[r.verdict])))
    show(Padding(Text(r.title), (0, 0, 0, 2)))
    # its own short line, so that the hash is never cut or wrapped at 80 columns
    out.print(Text(f"  {r.counts['pass']} pass, {r.counts['fail']} fail, {r.counts['unknown']} unknown, "
                   f"{r.counts['review']} review; rule set {r.ruleset_hash}"))
    table = Table(box=box.SIMPLE_HEAD, show_header=True, header_style="bold", leading=1, pad_edge=False, show_edge=False)
    table.add_column("status", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("criterion (registry text) and explanation", overflow="fold", ratio=1)
    for c in r.criteria:
        cell = Text(title(c, ids, DETAIL_TEXT), style="bold")
        cell.append("\n")
        cell.append(c.explanation)
        table.add_row(Text(c.status, style=STATUS_STYLE[c.status]), c.kind[:3], cell)
    show(Padding(table, (0, 0, 0, 2)))
    if r.data_to_collect:
        show(Padding(Text("data to collect: " + "; ".join(r.data_to_collect)), (0, 0, 0, 2)))
    if r.criteria_to_review:
        by_id = {c.id: c for c in r.criteria}
        out.print(Text("  to review:"))
        for cid in r.criteria_to_review:
            shown = title(by_id[cid], ids) if cid in by_id else cid
            show(Padding(Text("- " + shown), (0, 0, 0, 4)))
    if r.eligible_from is not None:
        print_eligible_from(r)


def print_eligible_from(r: TrialResult) -> None:
    """The date from which a patient held back only by time becomes eligible, if nothing else changes."""
    e = r.eligible_from
    assert e is not None
    what = "eligible" if e.verdict == "eligible" else "eligible pending review"
    show(Padding(Text.assemble((f"{what} from {e.date}", "bold green"),
                               f" (in {e.days} days, if nothing else changes: {', '.join(e.criteria)} then pass)"),
                 (0, 0, 0, 2)))


def print_unrecognised(report: ScreeningReport, shown: int = 8) -> None:
    """The codes no value set reads: what the rules could not see (all of them with --json)."""
    codes = report.unrecognised_codes
    if not codes:
        return
    records = sum(len(c.records) for c in codes)
    out.print()
    show(Text.assemble(("not read by any rule:", "yellow"), f" {records} record(s) with {len(codes)} code(s) that "
                            "no value set recognises; check that none of them should count:"))
    for c in sorted(codes, key=lambda c: ("condition", "procedure", "medication", "observation").index(c.kind))[:shown]:
        show(Text(f"  {c.kind} {c.display or ''} ({c.code}): {', '.join(c.records[:3])}"
                       + (" ..." if len(c.records) > 3 else "")))
    if len(codes) > shown:
        out.print(Text(f"  ... and {len(codes) - shown} more (screening check --json lists them all)"))


def print_report(report: ScreeningReport, ids: bool = False) -> None:
    """The patient, warnings, each trial ranked (eligible, undetermined, ineligible), the codes no rule
    reads, and at the end the summary across trials, one line per trial in the same order (the last
    thing on the terminal)."""
    show(Text.assemble("Patient ", (report.patient_id, "bold"),
                            f", screened as of {report.as_of} (engine {report.engine_version})"))
    for w in report.warnings:
        show(Text.assemble(("warning:", "yellow"), " ", w))
    for r in ranked(report.results):
        print_trial(r, ids)
    print_unrecognised(report)
    print_summary(report, ids)
