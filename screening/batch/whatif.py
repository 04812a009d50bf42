"""The report's what-if: compact per-patient statuses embedded in the page, recomputed in the page.

Each trial's patients go in as one string of status letters (`p` pass, `f` fail, `u` unknown,
`r` review; one letter per criterion, in rule-set order, patient after patient) with one letter
for each patient's sex and one digit for the age band. The page's script switches criteria off
and on and reorders them, and recomputes the verdicts, the pending-review, optimistic and
pessimistic counts, the funnel (patients lost to a failure and to missing data) and the sex and
age of the patients remaining, with no server and nothing fetched. The counts it gives are the
counts a batch run without the switched-off criteria (or with them in that order) gives.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from screening.batch.stats import AGE_BANDS, age_band

MAX_PATIENTS = 250_000
"""Above this many patients the per-patient data is left out of the page (it would weigh megabytes)."""

STATUS_LETTERS = {"pass": "p", "fail": "f", "unknown": "u", "review": "r"}
SEX_LETTERS = {"female": "f", "male": "m", "other": "o", "unknown": "u"}
SEX_NAMES = {"f": "female", "m": "male", "o": "other", "u": "unknown", "n": "not recorded"}
AGE_NAMES = [name for _, name in AGE_BANDS] + ["80 and over", "not recorded"]


def _age_digit(age: int | None) -> str:
    return str(AGE_NAMES.index(age_band(age)))


class TrialData:
    """One trial's compact statuses, built row by row."""

    def __init__(self, criteria: list[str]):
        self.criteria = criteria
        self.statuses: list[str] = []
        self.sex: list[str] = []
        self.age: list[str] = []

    def add(self, statuses: dict[str, str], sex: str | None, age: int | None) -> None:
        self.statuses.append("".join(STATUS_LETTERS[statuses[c]] for c in self.criteria))
        self.sex.append(SEX_LETTERS.get(sex, "u") if sex is not None else "n")
        self.age.append(_age_digit(age))

    def to_json(self) -> dict[str, Any]:
        return {"n": len(self.sex), "s": "".join(self.statuses), "sex": "".join(self.sex), "age": "".join(self.age)}


def _rows(results: Path) -> Iterator[dict[str, Any]]:
    f = pq.ParquetFile(results)
    names = set(f.schema_arrow.names)
    columns = [c for c in ("trial_id", "statuses", "sex", "age") if c in names]
    for batch in f.iter_batches(columns=columns, batch_size=20_000):
        yield from batch.to_pylist()


def patient_data(outdir: Path, trials: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, str]:
    """The per-patient data of a batch (by trial id), or None with the reason it is left out."""
    results = outdir / "results.parquet"
    if not results.is_file():
        return None, f"{results.name} is not in {outdir}"
    patients = max((t["screened"] for t in trials), default=0)
    if patients > MAX_PATIENTS:
        return None, f"{patients:,} patients: above {MAX_PATIENTS:,}, the per-patient data would make the page too heavy"
    data = {t["trial_id"]: TrialData([a["criterion"] for a in t["attrition"]]) for t in trials}
    for row in _rows(results):
        trial = data.get(row["trial_id"])
        if trial is not None:
            trial.add(dict(row["statuses"]), row.get("sex"), row.get("age"))
    return {"sexes": SEX_NAMES, "ages": AGE_NAMES,
            "trials": {tid: {**d.to_json(), "criteria": [
                {"id": a["criterion"], "kind": a["kind"], "text": a.get("text", ""), "computable": a["computable"]}
                for a in t["attrition"]]} for (tid, d), t in zip(data.items(), trials, strict=True)}}, ""


def embedded_json(data: dict[str, Any]) -> str:
    """JSON safe inside a <script type="application/json"> element."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=True).replace("</", "<\\/")


def whatif_section(trial_id: str) -> str:
    """The placeholder the script fills for one trial."""
    return (f'<div class="whatif" data-trial="{trial_id}"><p class="muted">Switch criteria off or on, or move '
            "them, and every count below is recomputed from each patient's statuses in this page.</p>"
            '<div class="wi-body"></div></div>')


WHATIF_CSS = """
.whatif .wi-grid{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:18px}
.whatif ol.wi-crit{list-style:none;margin:0;padding:0;font-size:13px}
.whatif ol.wi-crit li{display:flex;gap:6px;align-items:flex-start;padding:3px 0;border-bottom:1px solid var(--line)}
.whatif ol.wi-crit li.off{opacity:.5}
.whatif ol.wi-crit button{font-size:11px;padding:0 5px;cursor:pointer}
.whatif .wi-text{color:var(--muted);font-size:12px}
.whatif .wi-kpis{display:flex;gap:10px;flex-wrap:wrap;margin:0 0 10px}
.whatif .wi-kpis div{border:1px solid var(--line);border-radius:6px;padding:6px 10px;min-width:92px}
.whatif .wi-kpis b{display:block;font-size:18px}
.whatif .wi-kpis span{font-size:11px;color:var(--muted);text-transform:uppercase}
.whatif .bar{display:inline-block;height:10px;border-radius:2px;vertical-align:middle}
button.csv{float:right;font-size:11px;margin:0 0 4px;cursor:pointer}
table.data th.sortable{cursor:pointer} table.data th.sortable:after{content:" \\2195";color:#b0bac5}
"""

WHATIF_JS = r"""
(function(){
"use strict";
function fmt(n){return n.toLocaleString("en-US");}
function el(tag, attrs, text){var e=document.createElement(tag);
  for(var k in attrs){e.setAttribute(k, attrs[k]);} if(text!==undefined){e.textContent=text;} return e;}
function pct(k,n){return n?(100*k/n).toFixed(1):"0.0";}

/* sortable tables and CSV download, for every table.data */
function cellValue(td){var t=td.getAttribute("data-v")||td.textContent.trim();
  var x=t.replace(/,/g,""); return (x!==""&&!isNaN(x))?parseFloat(x):t.toLowerCase();}
function makeSortable(table){
  var ths=table.tHead?table.tHead.rows[0].cells:[];
  Array.prototype.forEach.call(ths,function(th,i){
    th.classList.add("sortable");
    th.addEventListener("click",function(){
      var body=table.tBodies[0], rows=Array.prototype.slice.call(body.rows);
      var dir=th.getAttribute("data-dir")==="asc"?"desc":"asc";
      Array.prototype.forEach.call(ths,function(h){h.removeAttribute("data-dir");});
      th.setAttribute("data-dir",dir);
      rows.sort(function(a,b){var x=cellValue(a.cells[i]),y=cellValue(b.cells[i]);
        var c=(typeof x===typeof y)?(x<y?-1:x>y?1:0):(typeof x==="number"?-1:1); return dir==="asc"?c:-c;});
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
}
function csvOf(table){
  return Array.prototype.map.call(table.rows,function(r){
    return Array.prototype.map.call(r.cells,function(c){
      var t=(c.getAttribute("data-csv")||c.textContent).trim().replace(/\s+/g," ");
      return /[",\n]/.test(t)?'"'+t.replace(/"/g,'""')+'"':t;}).join(",");}).join("\r\n")+"\r\n";
}
function addCsv(table){
  var b=el("button",{"class":"csv","type":"button"},"CSV");
  b.addEventListener("click",function(){
    var a=el("a",{"download":(table.getAttribute("data-name")||"table")+".csv"});
    a.href=URL.createObjectURL(new Blob([csvOf(table)],{type:"text/csv"}));
    document.body.appendChild(a); a.click(); a.remove();
  });
  table.parentNode.insertBefore(b,table);
}
function enhance(table){makeSortable(table); addCsv(table);}

/* what-if */
function compute(t, order, on){
  var k=t.criteria.length, n=t.n, s=t.s, steps=order.filter(function(i){return on[i];});
  var r={screened:n,eligible:0,ineligible:0,undetermined:0,pending:0,optimistic:0,
         lostFail:steps.map(function(){return 0;}),lostUnknown:steps.map(function(){return 0;}),
         notFailed:steps.map(function(){return 0;}),sex:{},age:{}};
  for(var p=0;p<n;p++){
    var base=p*k, fail=false, unknown=false, review=false, lost=-1, firstFail=steps.length;
    for(var j=0;j<steps.length;j++){
      var c=s.charAt(base+steps[j]);
      if(c==="f"){ if(!fail){firstFail=j;} fail=true; if(lost<0){lost=j;r.lostFail[j]++;} }
      else if(c==="u"){ unknown=true; if(lost<0){lost=j;r.lostUnknown[j]++;} }
      else if(c==="r"){ review=true; }
    }
    for(var q=0;q<firstFail;q++){r.notFailed[q]++;}
    if(fail){r.ineligible++;} else {r.optimistic++; if(unknown||review){r.undetermined++;} else {r.eligible++;}}
    if(!fail&&!unknown){r.pending++;
      var sx=DATA.sexes[t.sex.charAt(p)], ag=DATA.ages[+t.age.charAt(p)];
      r.sex[sx]=(r.sex[sx]||0)+1; r.age[ag]=(r.age[ag]||0)+1;}
  }
  r.steps=steps; return r;
}
function kpis(box, r){
  var items=[["eligible",r.eligible],["ineligible",r.ineligible],["undetermined",r.undetermined],
             ["pending review",r.pending],["optimistic",r.optimistic],["pessimistic",r.pending]];
  box.textContent="";
  items.forEach(function(it){var d=el("div",{"data-count":it[0]}); d.appendChild(el("b",{},fmt(it[1])));
    d.appendChild(el("span",{},it[0])); box.appendChild(d);});
}
function funnel(table, t, r){
  var body=table.tBodies[0]; body.textContent="";
  var left=r.screened;
  r.steps.forEach(function(ci,j){
    left-=r.lostFail[j]+r.lostUnknown[j];
    var tr=el("tr",{"data-criterion":t.criteria[ci].id});
    var w=r.screened?Math.round(160*left/r.screened):0;
    var bar=el("span",{"class":"bar","style":"width:"+w+"px;background:#1f5f99"});
    [[String(j+1),"r"],[t.criteria[ci].id,""],[fmt(r.notFailed[j]),"r"],[fmt(r.lostFail[j]),"r fail"],
     [fmt(r.lostUnknown[j]),"r unk"],[fmt(left),"r"],[pct(left,r.screened),"r"]].forEach(function(x){
       tr.appendChild(el("td",{"class":x[1]},x[0]));});
    var td=el("td",{}); td.appendChild(bar); tr.appendChild(td); body.appendChild(tr);
  });
}
function people(table, r){
  var body=table.tBodies[0]; body.textContent="";
  [["sex",DATA.sexes,r.sex],["age",DATA.ages,r.age]].forEach(function(g){
    var names=Array.isArray(g[1])?g[1]:Object.keys(g[1]).map(function(k){return g[1][k];});
    names.forEach(function(name){ if(!g[2][name]){return;}
      var tr=el("tr",{}); tr.appendChild(el("td",{},g[0])); tr.appendChild(el("td",{},name));
      tr.appendChild(el("td",{"class":"r"},fmt(g[2][name]))); tr.appendChild(el("td",{"class":"r"},pct(g[2][name],r.pending)));
      body.appendChild(tr);});
  });
}
function table(cls, name, heads){
  var t=el("table",{"class":"data "+cls,"data-name":name}), h=el("thead",{}), tr=el("tr",{});
  heads.forEach(function(x){tr.appendChild(el("th",{"class":x[1]||""},x[0]));});
  h.appendChild(tr); t.appendChild(h); t.appendChild(el("tbody",{})); return t;
}
function setup(box){
  var id=box.getAttribute("data-trial"), t=DATA.trials[id], body=box.querySelector(".wi-body");
  if(!t){return;}
  var order=t.criteria.map(function(_,i){return i;}), on=t.criteria.map(function(){return true;});
  var grid=el("div",{"class":"wi-grid"}), left=el("div",{}), right=el("div",{});
  var list=el("ol",{"class":"wi-crit"}); left.appendChild(list);
  var kp=el("div",{"class":"wi-kpis"}); right.appendChild(kp);
  var ft=table("wi-funnel",id+"-what-if-funnel",[["#","r"],["criterion"],["not failed so far","r"],["lost: fail","r"],
    ["lost: missing data","r"],["remaining","r"],["%","r"],["remaining (bar)"]]);
  var pt=table("wi-people",id+"-what-if-remaining",[["group"],["value"],["patients remaining","r"],["%","r"]]);
  right.appendChild(el("h3",{},"Patients remaining by sex and age")); right.appendChild(pt);
  grid.appendChild(left); grid.appendChild(right); body.appendChild(grid);
  body.appendChild(el("h3",{},"Funnel of the criteria switched on")); body.appendChild(ft);
  enhance(ft); enhance(pt);
  function redraw(){
    list.textContent="";
    order.forEach(function(ci,pos){
      var c=t.criteria[ci], li=el("li",{"data-criterion":c.id,"class":on[ci]?"":"off"});
      var cb=el("input",{"type":"checkbox","aria-label":"use "+c.id}); cb.checked=on[ci];
      cb.addEventListener("change",function(){on[ci]=cb.checked; redraw();});
      var up=el("button",{"type":"button","class":"up","aria-label":"move "+c.id+" up"},"\u2191");
      up.disabled=pos===0; up.addEventListener("click",function(){order.splice(pos,1); order.splice(pos-1,0,ci); redraw();});
      var dn=el("button",{"type":"button","class":"down","aria-label":"move "+c.id+" down"},"\u2193");
      dn.disabled=pos===order.length-1;
      dn.addEventListener("click",function(){order.splice(pos,1); order.splice(pos+1,0,ci); redraw();});
      var lab=el("div",{}); lab.appendChild(el("code",{},c.id)); lab.appendChild(document.createTextNode(" "+c.kind+(c.computable?"":" (review)")));
      lab.appendChild(el("div",{"class":"wi-text"},c.text));
      [cb,up,dn,lab].forEach(function(x){li.appendChild(x);}); list.appendChild(li);
    });
    var r=compute(t,order,on); kpis(kp,r); funnel(ft,t,r); people(pt,r);
  }
  redraw();
}
var DATA=null;
document.addEventListener("DOMContentLoaded",function(){
  Array.prototype.forEach.call(document.querySelectorAll("table.data.static"),enhance);
  var src=document.getElementById("whatif-data");
  if(src){DATA=JSON.parse(src.textContent); Array.prototype.forEach.call(document.querySelectorAll(".whatif"),setup);}
  document.body.setAttribute("data-ready","1");
});
})();
"""


def script_tags(data: dict[str, Any] | None) -> str:
    """The page's data and script (inline: the file stays self-contained)."""
    payload = "" if data is None else f'<script type="application/json" id="whatif-data">{embedded_json(data)}</script>'
    return payload + f"<script>{WHATIF_JS}</script>"
