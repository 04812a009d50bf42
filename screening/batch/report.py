"""A self-contained HTML report of a batch: attrition funnels as inline SVG, summary tables, a what-if.

No scripts, fonts, stylesheets or images are fetched: the file works offline and can be mailed.
Its one script (inline) makes the tables sortable and downloadable as CSV, and runs the what-if
(`whatif`) on the per-patient statuses embedded in the page.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

import pyarrow as pa

from screening.batch.parts import discard
from screening.batch.summary import IMPORT_WARNINGS, dates_text
from screening.batch.whatif import AGE_NAMES, WHATIF_CSS, patient_data, script_tags, whatif_section

FIRST_WARNINGS = 20

COLORS = {"eligible": "#2e7d32", "ineligible": "#c62828", "undetermined": "#f9a825",
          "remaining": "#1f5f99", "drop": "#e57373", "base": "#e8edf3", "unknown": "#f9a825", "review": "#00838f"}


class ReportError(Exception):
    pass


def _e(v: Any) -> str:
    return escape(str(v), quote=True)


def _fmt(n: int | float) -> str:
    return f"{n:,}" if isinstance(n, int) else f"{n:,.1f}"


def verdict_bar(trial: dict[str, Any], width: int = 520, height: int = 22) -> str:
    n = max(1, trial["screened"])
    x = 0.0
    parts = []
    for v in ("eligible", "ineligible", "undetermined"):
        k = trial["verdicts"][v]
        w = width * k / n
        if w > 0:
            parts.append(f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height}" fill="{COLORS[v]}">'
                         f"<title>{v}: {k:,} ({100 * k / n:.1f} %)</title></rect>")
            if w > 44:
                parts.append(f'<text x="{x + w / 2:.2f}" y="{height / 2 + 4:.1f}" text-anchor="middle" '
                             f'class="bar-label">{100 * k / n:.0f}%</text>')
        x += w
    return (f'<svg class="vbar" role="img" aria-label="verdicts of {_e(trial["trial_id"])}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
            f'<rect width="{width}" height="{height}" fill="{COLORS["base"]}"/>' + "".join(parts) + "</svg>")


def funnel_svg(trial: dict[str, Any]) -> str:
    """ATLAS-style attrition: one bar per criterion (in order) with the patients still remaining."""
    rows = trial["attrition"]
    n = trial["screened"]
    label_w, bar_w, num_w, row_h, top = 270, 400, 150, 26, 34
    width = label_w + bar_w + num_w
    height = top + row_h * (len(rows) + 1) + 10
    scale = bar_w / n if n else 0.0
    out = [f'<svg class="funnel" role="img" aria-label="attrition funnel of {_e(trial["trial_id"])}" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
           f'<text x="{label_w}" y="14" class="axis">0</text>',
           f'<text x="{label_w + bar_w}" y="14" text-anchor="end" class="axis">{n:,} patients</text>',
           f'<line x1="{label_w}" y1="20" x2="{label_w + bar_w}" y2="20" class="axis-line"/>']
    y = top
    out.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" class="crit">initial cohort</text>'
               f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 8}" rx="2" fill="#5c6f82">'
               f"<title>initial cohort: {n:,}</title></rect>"
               f'<text x="{label_w + bar_w + 8}" y="{y + 16}" class="num">{n:,} (100%)</text>')
    prev = n
    for r in rows:
        y += row_h
        rem = r["remaining"]
        drop = prev - rem
        name = r["criterion"]
        short = name if len(name) <= 36 else name[:34] + "…"
        kind = "inc" if r["kind"] == "inclusion" else "exc"
        tip = (f"{r['step']}. {name} ({r['kind']}): fail {r['fail']:,}, unknown {r['unknown']:,}, review {r['review']:,}; "
               f"remaining {rem:,} ({r['remaining_pct']:.1f} %)")
        out.append(f'<g><title>{_e(tip)}</title>'
                   f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" class="crit">'
                   f'<tspan class="step">{r["step"]}.</tspan> {_e(short)} <tspan class="kind-{kind}">{kind}</tspan></text>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 8}" rx="2" fill="{COLORS["base"]}"/>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{rem * scale:.2f}" height="{row_h - 8}" rx="2" '
                   f'fill="{COLORS["remaining"] if r["computable"] else COLORS["review"]}"/>')
        if drop > 0:
            out.append(f'<rect x="{label_w + rem * scale:.2f}" y="{y + 3}" width="{drop * scale:.2f}" '
                       f'height="{row_h - 8}" fill="{COLORS["drop"]}"/>')
        out.append(f'<text x="{label_w + bar_w + 8}" y="{y + 16}" class="num">{rem:,} ({r["remaining_pct"]:.1f}%)'
                   + (f' <tspan class="drop">−{drop:,}</tspan>' if drop else "") + "</text></g>")
        prev = rem
    out.append("</svg>")
    return "".join(out)


def missing_table(trial: dict[str, Any]) -> str:
    items = trial["missing_data"]
    if not items:
        return '<p class="muted">No criterion was left unknown for lack of data.</p>'
    top = max(m["patients"] for m in items) or 1
    rows = []
    for m in items:
        w = 160 * m["patients"] / top
        rows.append(f"<tr><td>{_e(m['data'])}</td><td class='r'>{m['patients']:,}</td><td class='r'>{m['pct']:.1f}%</td>"
                    f'<td><svg width="160" height="10" xmlns="http://www.w3.org/2000/svg">'
                    f'<rect width="{w:.1f}" height="10" rx="2" fill="{COLORS["unknown"]}"/></svg></td></tr>')
    return ("<table class='data'><thead><tr><th style='width:62%'>data to collect</th><th class='r'>patients</th><th class='r'>%</th>"
            "<th></th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def attrition_table(trial: dict[str, Any]) -> str:
    head = ("<tr><th>#</th><th>criterion</th><th>kind</th><th class='r'>pass</th><th class='r'>fail</th>"
            "<th class='r'>unknown</th><th class='r'>review</th><th class='r'>remaining</th><th class='r'>%</th>"
            "<th class='r'>sole fail</th><th class='r'>eligible if dropped</th><th class='r'>lost: fail</th>"
            "<th class='r'>lost: missing data</th><th class='r'>all computable pass so far</th></tr>")
    body = []
    for r in trial["attrition"]:
        text = r.get("text", "")
        body.append(
            f"<tr><td class='r'>{r['step']}</td><td data-v='{_e(r['criterion'])}' "
            f"data-csv='{_e(r['criterion'])}: {_e(text)}'><code>{_e(r['criterion'])}</code>"
            + (f"<div class='ctext'>{_e(text)}</div>" if text else "") + "</td>"
            f"<td><span class='pill {r['kind']}'>{_e(r['kind'])}</span></td>"
            f"<td class='r'>{r['pass']:,}</td><td class='r fail'>{r['fail']:,}</td><td class='r unk'>{r['unknown']:,}</td>"
            f"<td class='r rev'>{r['review']:,}</td><td class='r'><b>{r['remaining']:,}</b></td>"
            f"<td class='r'>{r['remaining_pct']:.1f}</td><td class='r'>{r['sole_fail']:,}</td>"
            f"<td class='r'>{r['would_be_eligible']:,}</td>" + _losses(r) + "</tr>")
    return (f"<div class='scroll'><table class='data static' data-name='{_e(trial['trial_id'])}-criteria'><thead>{head}"
            f"</thead><tbody>{''.join(body)}</tbody></table></div>")


def _losses(r: dict[str, Any]) -> str:
    if "lost_fail" not in r:  # a summary written before the funnel of computable criteria
        return "<td></td><td></td><td></td>"
    return (f"<td class='r fail'>{r['lost_fail']:,}</td><td class='r unk'>{r['lost_unknown']:,}</td>"
            f"<td class='r'>{r['remaining_computable']:,}</td>")


def _order(group: str, value: str) -> tuple[int, str]:
    return (AGE_NAMES.index(value) if group == "age" and value in AGE_NAMES else len(AGE_NAMES), value)


def people_table(trial: dict[str, Any]) -> str:
    """Sex and age band of the patients screened and of those passing every computable criterion."""
    people = trial.get("people")
    if not people:
        return "<p class='muted'>Not recorded in this summary.</p>"
    rows = []
    for group in ("sex", "age"):
        screened, remaining = people["screened"][group], people["remaining"][group]
        for value, n in sorted(screened.items(), key=lambda kv: _order(group, kv[0])):
            k = remaining.get(value, 0)
            rows.append(f"<tr><td>{group}</td><td>{_e(value)}</td><td class='r'>{n:,}</td><td class='r'>{k:,}</td>"
                        f"<td class='r'>{100 * k / max(1, trial['pending_review']):.1f}</td></tr>")
    return (f"<table class='data static' data-name='{_e(trial['trial_id'])}-people'><thead><tr><th>group</th>"
            "<th>value</th><th class='r'>screened</th><th class='r'>remaining (every computable criterion passes)</th>"
            f"<th class='r'>% of remaining</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def outlook_line(trial: dict[str, Any]) -> str:
    """Pending review, optimistic and pessimistic counts, and the patients eligible soon."""
    if "pending_review" not in trial:
        return ""
    soon = trial["eligible_from"]
    return (f"<p class='outlook'><b>{trial['pending_review']:,}</b> eligible pending review (every computable "
            f"criterion passes) · optimistic <b>{trial['optimistic']:,}</b> (unknown read as pass) · pessimistic "
            f"<b>{trial['pessimistic']:,}</b> (unknown read as fail) · becomes eligible within 30 days "
            f"<b>{soon['within_30_days']:,}</b>, within 90 days <b>{soon['within_90_days']:,}</b>"
            f" (later: {soon['later']:,})</p>")


CSS = """
:root{--fg:#1d2733;--muted:#5f6b7a;--line:#dde3ea;--bg:#f6f8fa;--accent:#1f5f99}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#17324d;color:#fff;padding:22px 40px}
header h1{margin:0 0 4px;font-size:22px;font-weight:600}
header .meta{color:#c5d3e2;font-size:13px}
main{max-width:1180px;margin:0 auto;padding:24px 40px 60px}
section.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:20px 24px;margin:0 0 22px;box-shadow:0 1px 2px rgba(0,0,0,.03)}
h2{font-size:18px;margin:0 0 4px;font-weight:600}
h3{font-size:14px;margin:18px 0 8px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.sub{color:var(--muted);margin:0 0 12px}
.kpis{display:flex;gap:14px;flex-wrap:wrap;margin:0 0 22px}
.kpi{flex:1 1 150px;background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.kpi .v{font-size:24px;font-weight:600}
.kpi .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
table.data{border-collapse:collapse;width:100%;font-size:13px}
table.data th{text-align:left;font-weight:600;color:var(--muted);border-bottom:2px solid var(--line);padding:6px 8px;white-space:nowrap}
table.data td{border-bottom:1px solid var(--line);padding:5px 8px;vertical-align:middle}
table.data tr:hover td{background:#f3f7fb}
.r{text-align:right;font-variant-numeric:tabular-nums}
td.fail{color:#b71c1c} td.unk{color:#8d6e00} td.rev{color:#00695c}
code{font:12px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f4f7;padding:1px 4px;border-radius:3px}
.pill{font-size:11px;padding:1px 7px;border-radius:10px;border:1px solid}
.pill.inclusion{color:#1f5f99;border-color:#9cc0e3;background:#eef5fc}
.pill.exclusion{color:#8e2a2a;border-color:#e3a9a9;background:#fcf0f0}
.legend{display:flex;gap:16px;color:var(--muted);font-size:12px;margin:6px 0 0}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
svg text{font-family:inherit}
svg .crit{font-size:12px;fill:#1d2733} svg .step{fill:#5f6b7a} svg .num{font-size:12px;fill:#1d2733;font-variant-numeric:tabular-nums}
svg .axis{font-size:11px;fill:#5f6b7a} svg .axis-line{stroke:#c9d2dc} svg .drop{fill:#c62828}
svg .kind-inc{fill:#1f5f99;font-size:10px} svg .kind-exc{fill:#8e2a2a;font-size:10px}
svg .bar-label{font-size:11px;fill:#fff;font-weight:600}
.grid2{display:grid;grid-template-columns:minmax(0,1fr);gap:8px}
.muted{color:var(--muted)}
.notes dt{font-weight:600;margin-top:6px} .notes dd{margin:0 0 0 0;color:var(--muted)}
pre.err{white-space:pre-wrap;background:#fcf0f0;border:1px solid #f0c8c8;border-radius:4px;padding:6px 8px;font-size:12px;margin:4px 0}
footer{color:var(--muted);font-size:12px;text-align:center;padding:10px}
.ctext{color:var(--muted);font-size:12px;max-width:420px}
.scroll{overflow-x:auto}
@media print{body{background:#fff}section.card{break-inside:avoid;box-shadow:none}}
"""


def _outlook_cells(t: dict[str, Any]) -> str:
    if "pending_review" not in t:
        return "<td></td>" * 5
    soon = t["eligible_from"]
    return "".join(f"<td class='r'>{k:,}</td>" for k in (t["pending_review"], t["optimistic"], t["pessimistic"],
                                                          soon["within_30_days"], soon["within_90_days"]))


def warnings_html(summary: dict[str, Any], first: list[dict[str, Any]]) -> str:
    """The FHIR import warnings: how many, the file that keeps them all, the first ones."""
    c = summary["cohort"]
    if not c.get("import_warnings"):
        return "<p class='muted'>No FHIR import warning.</p>"
    head = (f"<p>{c['import_warnings']:,} FHIR import warning(s) in {c['patients_with_import_warnings']:,} patient(s): "
            f"what the import left out, all kept in <code>{_e(c.get('import_warnings_file', IMPORT_WARNINGS))}</code>"
            + (f"; the first {len(first)} patients':" if first else "") + "</p>")
    rows = "".join(f"<tr><td>{_e(w.get('file') or w.get('line'))}</td><td>{_e(w.get('patient_id', ''))}</td>"
                   f"<td>{'<br>'.join(_e(x) for x in w.get('warnings', []))}</td></tr>" for w in first)
    return head + ("" if not first else "<table class='data static' data-name='import-warnings'><thead><tr>"
                   f"<th>line or file</th><th>patient</th><th>warnings</th></tr></thead><tbody>{rows}</tbody></table>")


def render(summary: dict[str, Any], data: dict[str, Any] | None = None, reason: str = "no per-patient data",
           first_warnings: list[dict[str, Any]] | None = None) -> str:
    c = summary["cohort"]
    trials = summary["trials"]
    kpis = [("patients screened", _fmt(c["patients"])), ("trials", _fmt(len(trials))),
            ("malformed lines", _fmt(c["malformed"])), ("screening date", summary["as_of"] or "per patient")]
    kpi_html = "".join(f"<div class='kpi'><div class='v'>{_e(v)}</div><div class='l'>{_e(k)}</div></div>" for k, v in kpis)
    overview_rows = []
    for t in trials:
        v = t["verdicts"]
        overview_rows.append(
            f"<tr><td><a href='#t-{_e(t['trial_id'])}'><code>{_e(t['trial_id'])}</code></a><div class='muted'>{_e(t['title'])}</div></td>"
            f"<td class='r'>{t['screened']:,}</td><td class='r' style='color:{COLORS['eligible']}'>{v['eligible']:,}</td>"
            f"<td class='r' style='color:{COLORS['ineligible']}'>{v['ineligible']:,}</td>"
            f"<td class='r' style='color:#8d6e00'>{v['undetermined']:,}</td>" + _outlook_cells(t)
            + f"<td>{verdict_bar(t, 260, 16)}</td></tr>")
    legend = ("<div class='legend'>" + "".join(
        f"<span><i style='background:{COLORS[k]}'></i>{k}</span>" for k in ("eligible", "ineligible", "undetermined"))
        + "</div>")
    sections = []
    for t in trials:
        sections.append(f"""
<section class="card" id="t-{_e(t['trial_id'])}">
  <h2>{_e(t['trial_id'])}</h2>
  <p class="sub">{_e(t['title'])} · rule set <code>{_e(t['ruleset_hash'])}</code> · {t['screened']:,} patients</p>
  {verdict_bar(t)}
  {legend}
  <h3>Attrition</h3>
  <div class="grid2">{funnel_svg(t)}</div>
  <div class="legend"><span><i style="background:{COLORS['remaining']}"></i>remaining (not failed so far)</span>
    <span><i style="background:{COLORS['drop']}"></i>failed at this criterion</span>
    <span><i style="background:{COLORS['review']}"></i>criterion for review (never fails)</span></div>
  {outlook_line(t)}
  <h3>Criteria</h3>
  {attrition_table(t)}
  <h3>Who remains: sex and age</h3>
  {people_table(t)}
  <h3>What if</h3>
  {whatif_section(_e(t['trial_id'])) if data is not None else f"<p class='muted'>No what-if: {_e(reason)}.</p>"}
  <h3>Most frequent missing data</h3>
  {missing_table(t)}
</section>""")
    errs = summary["errors"]
    err_html = ("<p class='muted'>Every line was a valid patient.</p>" if not errs["count"] else
                f"<p>{errs['count']:,} malformed line(s) were skipped and listed in <code>{_e(errs['file'])}</code>"
                + (f"; the first {len(errs['first'])}:" if errs["first"] else "") + "</p>"
                + "".join(f"<pre class='err'>{_e(e['error'])}</pre>" for e in errs["first"]))
    notes = "".join(f"<dt>{_e(k.replace('_', ' '))}</dt><dd>{_e(v)}</dd>" for k, v in summary.get("notes", {}).items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Batch screening report · {_e(summary['as_of'] or 'per-patient dates')}</title>
<style>{CSS}{WHATIF_CSS}</style></head>
<body>
<header><h1>Batch screening report</h1>
<div class="meta">screened {_e(dates_text(summary))} · engine {_e(summary['engine_version'])} ·
cohort <code style="background:transparent;color:#fff">{_e(Path(c['path']).name)}</code> (sha256 {_e(c['sha256'][:16])}…,
{c['lines']:,} lines)</div></header>
<main>
<div class="kpis">{kpi_html}</div>
<section class="card"><h2>Verdicts by trial</h2>
<p class="sub">Eligible: every criterion passes. Ineligible: a criterion fails. Undetermined: data missing or criteria for review.</p>
<table class="data static" data-name="verdicts"><thead><tr><th>trial</th><th class="r">screened</th><th class="r">eligible</th>
<th class="r">ineligible</th><th class="r">undetermined</th><th class="r">pending review</th><th class="r">optimistic</th>
<th class="r">pessimistic</th><th class="r">eligible within 30 days</th><th class="r">within 90 days</th><th>distribution</th>
</tr></thead><tbody>{''.join(overview_rows)}</tbody></table>{legend}
<p class="sub">Pending review: every computable criterion passes (eligible once a person has reviewed the criteria left to
them). Optimistic: no criterion fails (unknown read as pass); pessimistic: unknown read as fail. Within 30/90 days:
patients held back only by time who become eligible (or eligible pending review) by then if nothing else changes.</p></section>
{''.join(sections)}
<section class="card"><h2>Input problems</h2>{err_html}<h3>FHIR import warnings</h3>
{warnings_html(summary, first_warnings or [])}</section>
<section class="card"><h2>How to read this report</h2><dl class="notes">{notes}</dl></section>
</main>
<footer>trial-screening · generated from summary.json and results.parquet · cohort sha256 {_e(c['sha256'])}</footer>
{script_tags(data)}
</body></html>
"""


def write_report(outdir: Path | str, output: Path | str) -> Path:
    outdir, output = Path(outdir), Path(output)
    src = outdir / "summary.json"
    if not src.is_file():
        raise ReportError(f"{src}: not found (run `screening batch ... -o {outdir}` first)")
    try:
        summary = json.loads(src.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ReportError(f"{src}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ReportError(f"{src}: cannot read the summary: {getattr(e, 'strerror', None) or e}") from None
    try:
        data, reason = patient_data(outdir, summary["trials"])
        html = render(summary, data, reason, first_warnings(outdir))
    except (OSError, pa.ArrowException) as e:
        raise ReportError(f"{outdir / 'results.parquet'}: cannot read the results: {e}") from None
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise ReportError(f"{src}: not a batch summary ({type(e).__name__}: {e})") from None
    _write_html(output, html)
    return output


def first_warnings(outdir: Path) -> list[dict[str, Any]]:
    """The first patients' import warnings kept by the batch (none when the file is not there)."""
    path = outdir / IMPORT_WARNINGS
    if not path.is_file():
        return []
    out: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if len(out) >= FIRST_WARNINGS:
                break
            out.append(json.loads(line))
    return out


def _write_html(output: Path, html: str) -> None:
    """Write the report whole (a temp file renamed), or raise a `ReportError` naming the file and leave nothing."""
    if output.is_dir():
        raise ReportError(f"{output}: is a folder; give the HTML file to write (-o report.html)")
    tmp = output.with_name(output.name + ".tmp")
    try:
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(output)
    except OSError as e:
        discard(tmp)
        raise ReportError(f"{output}: cannot write the report: {e.strerror or e}") from None
