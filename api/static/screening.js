// The screening page: reads a patient document, screens it with POST /screen (the same endpoint,
// API keys and result document as any other client) and shows the trials ranked.
"use strict";

const VERDICT_ORDER = { eligible: 0, undetermined: 1, ineligible: 2 };
const STATUS_LABEL = { pass: "met", fail: "not met", unknown: "unknown", review: "review" };
const KEY_STORE = "trial-screening-api-key";

function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== "") node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

function plural(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

function headers(extra) {
  const h = Object.assign({}, extra);
  const key = $("api-key").value.trim();
  if (key) h["X-API-Key"] = key;
  return h;
}

async function call(url, options) {
  const response = await fetch(url, Object.assign({}, options, { headers: headers((options || {}).headers) }));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (!response.ok) {
    const err = body && body.error;
    const detail = err ? err.message + (err.errors && err.errors.length > 1
      ? "\n" + err.errors.map((e) => `${e.field}: ${e.message}`).join("\n") : "") : text.slice(0, 500);
    const hint = response.status === 401 ? "\nEnter an API key of the service above." : "";
    throw new Error(`${response.status}: ${detail}${hint}`);
  }
  return body;
}

function showError(message) { $("error").textContent = message || ""; }
function showStatus(message) { $("status").textContent = message || ""; }

// -- inputs ---------------------------------------------------------------------------------

async function loadTrials() {
  const list = $("trial-list");
  try {
    const trials = await call("trials");
    const wanted = new URLSearchParams(location.search).getAll("trial");
    list.replaceChildren(...trials.map((t) => {
      const box = el("input", { type: "checkbox", name: "trial", value: t.id });
      box.checked = wanted.includes(t.id);
      return el("label", {}, box, " ", el("strong", {}, t.id), " ", t.title);
    }));
  } catch (e) {
    list.replaceChildren(el("p", { class: "hint" }, `Could not list the trials (${e.message}).`));
  }
}

async function loadExamples() {
  try {
    const examples = await call("screening/examples");
    const select = $("example");
    select.replaceChildren(select.options[0], ...examples.map((x) => el("option", { value: x.url }, x.label)));
  } catch (e) { /* the list stays empty: pasting and uploading still work */ }
}

async function pickExample() {
  const url = $("example").value;
  if (!url) return;
  showError("");
  try {
    const doc = await call(url);
    $("patient").value = JSON.stringify(doc, null, 2);
    showStatus(`Loaded the example ${$("example").selectedOptions[0].textContent}.`);
  } catch (e) { showError(`Could not load the example: ${e.message}`); }
}

function readFile() {
  const file = $("file").files[0];
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => { $("patient").value = reader.result; showStatus(`Read ${file.name}.`); };
  reader.onerror = () => showError(`Could not read ${file.name}.`);
  reader.readAsText(file);
}

// A FHIR Bundle, a lone FHIR resource or NDJSON goes as application/fhir+json; a profile (or a
// whole screening request) as application/json.
function request(text, asOf, trials) {
  const trimmed = text.trim();
  if (!trimmed) throw new Error("Give a patient: pick an example, upload a file or paste a document.");
  let doc = null;
  try { doc = JSON.parse(trimmed); } catch (e) {
    if (trimmed.includes("\n") && trimmed.startsWith("{")) doc = { ndjson: true };
    else throw new Error(`The patient document is not JSON: ${e.message}`);
  }
  if (doc && (doc.ndjson || typeof doc.resourceType === "string")) {
    const q = new URLSearchParams({ as_of: asOf });
    for (const t of trials) q.append("trial_id", t);
    return { url: `screen?${q}`, type: "application/fhir+json", body: trimmed };
  }
  const patient = doc && typeof doc === "object" && doc.patient && typeof doc.patient === "object" ? doc.patient : doc;
  const body = { patient, as_of: asOf };
  if (trials.length) body.trial_ids = trials;
  return { url: "screen", type: "application/json", body: JSON.stringify(body) };
}

// -- results --------------------------------------------------------------------------------

function rank(results) {
  const open = (r) => r.data_to_collect.length + r.criteria_to_review.length;
  return results.slice().sort((a, b) => (VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict])
    || (open(a) - open(b)) || (a.trial_id < b.trial_id ? -1 : a.trial_id > b.trial_id ? 1 : 0));
}

function decisive(r) { return r.criteria.find((c) => c.status === "fail"); }

function why(r) {
  if (r.verdict === "eligible") return "Every criterion met.";
  if (r.verdict === "ineligible") {
    const c = decisive(r);
    return c ? `${c.kind === "exclusion" ? "Excluded by" : "Not met"}: ${c.text}` : "Not eligible.";
  }
  const parts = [];
  if (r.data_to_collect.length) parts.push(plural(r.data_to_collect.length, "data item", "data items") + " to collect");
  if (r.criteria_to_review.length) parts.push(plural(r.criteria_to_review.length, "criterion", "criteria") + " to review");
  return (parts.join(", ") || "Some criteria could not be decided") + ".";
}

function badge(kind, text) { return el("span", { class: `badge ${kind}` }, text || kind); }

function evidenceItem(e) {
  let value = "";
  if (e.value !== undefined) value = `${typeof e.value === "object" ? JSON.stringify(e.value) : e.value}${e.unit ? " " + e.unit : ""}`;
  if (e.converted_value !== undefined) value += ` (= ${e.converted_value}${e.converted_unit ? " " + e.converted_unit : ""})`;
  return el("li", {}, e.what, value ? `: ${value}` : "", e.date ? ` on ${e.date}` : "", e.note ? ` (${e.note})` : "",
    el("span", { class: "meta" }, ` [${e.record}]`));
}

function criteriaTable(r) {
  const rows = r.criteria.map((c) => el("tr", { "data-criterion": c.id },
    el("td", {}, badge(c.status, STATUS_LABEL[c.status])),
    el("td", {}, c.kind),
    el("td", {}, el("div", { class: "registry" }, c.text), el("div", { class: "meta" }, c.source)),
    el("td", {}, c.explanation,
      c.missing_data.length ? el("div", {}, el("strong", {}, "To collect: "), c.missing_data.join("; ")) : "",
      c.assumptions.length ? el("div", {}, el("strong", {}, "Assumed: "), c.assumptions.join("; ")) : ""),
    el("td", {}, c.evidence.length ? el("ul", {}, c.evidence.map(evidenceItem)) : "")));
  return el("table", {},
    el("caption", { class: "meta" }, `Criteria of ${r.trial_id}`),
    el("thead", {}, el("tr", {}, ["Status", "Kind", "Registry text", "Explanation", "Evidence"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows));
}

function trialItem(r) {
  const texts = Object.fromEntries(r.criteria.map((c) => [c.id, c.text]));
  const body = el("div", { class: "body" },
    r.data_to_collect.length ? el("div", { class: "collect" }, el("h4", {}, "Data to collect"),
      el("ul", {}, r.data_to_collect.map((d) => el("li", {}, d)))) : "",
    r.criteria_to_review.length ? el("div", { class: "review" }, el("h4", {}, "Criteria to review"),
      el("ul", {}, r.criteria_to_review.map((id) => el("li", {}, texts[id] || id)))) : "",
    r.assumptions.length ? el("div", {}, el("h4", {}, "Assumptions"), el("ul", {}, r.assumptions.map((a) => el("li", {}, a)))) : "",
    criteriaTable(r),
    el("p", { class: "meta" }, `Rule set ${r.ruleset_hash}, engine ${r.engine_version}, screened as of ${r.as_of}.`));
  const summary = el("summary", {}, badge(r.verdict), el("span", { class: "title" }, `${r.trial_id}: ${r.title}`),
    el("span", { class: "why" }, why(r)));
  return el("li", { class: `trial ${r.verdict}`, "data-trial": r.trial_id, "data-verdict": r.verdict },
    el("details", {}, summary, body));
}

function showReport(report) {
  const ranked = rank(report.results);
  const counts = {};
  for (const r of ranked) counts[r.verdict] = (counts[r.verdict] || 0) + 1;
  $("results-meta").textContent = `Patient ${report.patient_id}, screened as of ${report.as_of} (engine ${report.engine_version}): `
    + ["eligible", "undetermined", "ineligible"].filter((v) => counts[v]).map((v) => `${counts[v]} ${v}`).join(", ") + ".";
  const warnings = report.warnings.concat(report.unrecognised_codes.length
    ? [plural(report.unrecognised_codes.length, "code", "codes") + " of the record that no rule set reads: "
      + report.unrecognised_codes.slice(0, 5).map((u) => u.display || u.code).join("; ")] : []);
  $("warnings").replaceChildren(...warnings.map((w) => el("li", {}, w)));
  $("ranking").replaceChildren(...ranked.map(trialItem));
  $("results").hidden = false;
  $("results-heading").focus();
}

async function screen(event) {
  event.preventDefault();
  showError("");
  const trials = Array.from(document.querySelectorAll("input[name=trial]:checked")).map((b) => b.value);
  let req;
  try { req = request($("patient").value, $("as-of").value, trials); } catch (e) { showError(e.message); return; }
  $("screen-button").disabled = true;
  showStatus("Screening...");
  try {
    showReport(await call(req.url, { method: "POST", headers: { "Content-Type": req.type }, body: req.body }));
    showStatus("Screened.");
  } catch (e) {
    showStatus("");
    showError(`Screening failed: ${e.message}`);
  } finally {
    $("screen-button").disabled = false;
  }
}

function openAll(open) {
  for (const d of document.querySelectorAll("#ranking details")) {
    if (open) { d.dataset.wasOpen = d.open ? "1" : ""; d.open = true; } else { d.open = d.dataset.wasOpen === "1"; }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const now = new Date();
  $("as-of").value = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  $("api-key").value = sessionStorage.getItem(KEY_STORE) || "";
  $("api-key").addEventListener("change", () => {
    sessionStorage.setItem(KEY_STORE, $("api-key").value.trim());
    loadTrials(); loadExamples();
  });
  $("example").addEventListener("change", pickExample);
  $("file").addEventListener("change", readFile);
  $("screen-form").addEventListener("submit", screen);
  $("print-button").addEventListener("click", () => window.print());
  window.addEventListener("beforeprint", () => openAll(true));
  window.addEventListener("afterprint", () => openAll(false));
  loadTrials();
  loadExamples();
});
