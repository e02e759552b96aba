// The page of `samlkit serve`. It sends what is pasted to the local server and renders the
// JSON report it returns (the same JSON as `samlkit explain --format json`); every judgement
// comes from the server. Fields it does not know are still shown, so new findings and report
// fields appear without changes here.
"use strict";

const token = document.querySelector('meta[name="samlkit-token"]').content;
const $ = (id) => document.getElementById(id);
const SETTINGS = ["idp_metadata", "idp_cert", "idp_fingerprint", "profile", "sp_entity_id",
  "acs_url", "user_id_attribute", "request_id", "now", "clock_skew"];
let current = [];

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? child : child instanceof Node ? child : String(child));
  }
  return node;
}

async function call(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Samlkit-Token": token },
    body: JSON.stringify(body),
    cache: "no-store",
  });
  return response.json();
}

function settings() {
  const out = {};
  for (const id of SETTINGS) out[id] = $(id).value;
  return out;
}

async function loadSettings() {
  const response = await fetch("/api/settings", { headers: { "X-Samlkit-Token": token } });
  const s = await response.json();
  const select = $("profile");
  select.append(el("option", { value: "" }, "(detected / configured)"));
  for (const p of s.profiles) select.append(el("option", { value: p.name }, `${p.name} — ${p.title}`));
  for (const id of ["sp_entity_id", "acs_url", "user_id_attribute", "request_id"]) {
    if (s[id]) $(id).placeholder = s[id];
  }
  $("trust-note").textContent = s.trust_configured
    ? "Trust from the command line / samlkit.toml is in use; anything entered here replaces it for this request only."
    : "No trusted key configured: give the IdP metadata, certificate or fingerprint to verify signatures.";
}

// Files: metadata and certificates go to the trust fields, anything else is a capture.
function takeFile(file) {
  const reader = new FileReader();
  reader.onload = () => {
    const text = String(reader.result);
    if (/<(\w+:)?EntityDescriptor|<(\w+:)?EntitiesDescriptor/.test(text) && !/SAMLResponse|<(\w+:)?Response/.test(text)) {
      $("idp_metadata").value = text;
      $("status").textContent = `${file.name}: taken as IdP metadata`;
    } else if (/-----BEGIN CERTIFICATE-----/.test(text)) {
      $("idp_cert").value = text;
      $("status").textContent = `${file.name}: taken as the IdP certificate`;
    } else {
      $("input").value = text;
      $("input").dataset.name = file.name;
      explain();
    }
  };
  reader.readAsText(file);
}

async function explain() {
  $("status").textContent = "Explaining…";
  const name = $("input").dataset.name || "pasted";
  const answer = await call("/api/explain", { input: $("input").value, name, settings: settings() });
  if (answer.error) {
    $("status").textContent = "";
    $("result").replaceChildren(el("p", { class: "error" }, answer.error));
    return;
  }
  current = answer.messages;
  $("status").textContent = `${current.length} message(s)`;
  const list = $("messages");
  list.replaceChildren();
  current.forEach((message, index) => {
    const item = el("li", {}, `${message.report.source} — ${message.report.verdict}`);
    item.addEventListener("click", () => show(index));
    list.append(item);
  });
  if (current.length) show(0);
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function verdictText(report) {
  const errors = (report.findings || []).filter((f) => f.severity === "error").length;
  const warnings = (report.findings || []).filter((f) => f.severity === "warning").length;
  if (report.verdict === "error") return `✗ Not readable: ${report.error}`;
  const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
  if (report.verdict === "pass") return warnings ? `✓ No errors (${plural(warnings, "warning")})` : "✓ No problems found";
  if (report.verdict === "fail") return `✗ Sign-in will fail: ${counts}`;
  return `${report.verdict}: ${counts}`;
}

// Fields shown elsewhere; every other top-level field of the report is shown in the header.
const SHOWN = new Set(["source", "verdict", "findings", "subject", "attributes", "signature", "facts", "error"]);
const FIELD_LABELS = { actual: "found" };

function show(index) {
  [...$("messages").children].forEach((li, i) => li.classList.toggle("on", i === index));
  const message = current[index];
  const report = message.report;
  const kind = ["pass", "fail", "error"].includes(report.verdict) ? report.verdict : "other";
  const header = el("div", { class: "header-facts" },
    Object.entries(report).filter(([k, v]) => !SHOWN.has(k) && v !== null && typeof v !== "object")
      .map(([k, v]) => el("span", {}, `${k}: ${v}`)));
  const findings = el("div", { class: "findings" });
  const xml = el("pre", { class: "xml" });
  (report.findings || []).forEach((finding, i) => findings.append(renderFinding(finding, i)));
  if (message.xml) renderXml(xml, message.xml, report.findings || []);
  const buttons = el("div", { class: "row" },
    el("button", { id: "copy-redacted", type: "button" }, "Copy redacted report"),
    el("button", { id: "download-json", type: "button" }, "Download JSON"));
  buttons.children[0].addEventListener("click", () => navigator.clipboard.writeText(message.redacted || ""));
  buttons.children[1].addEventListener("click", () => download(report));
  $("result").replaceChildren(
    el("div", { id: "verdict", class: `verdict verdict-${kind}`, "data-verdict": report.verdict }, verdictText(report)),
    header, buttons,
    el("div", { class: "columns" }, el("div", {}, findings, renderSummary(message)), xml));
  if (kind === "pass" || kind === "fail") {
    const select = $("profile");
    if (!select.value && report.profile) select.value = report.profile;
  }
}

function renderFinding(finding, i) {
  const rows = el("dl", {});
  for (const [key, value] of Object.entries(finding)) {
    if (["code", "severity", "title", "message", "location"].includes(key)) continue;
    if (value === null || value === undefined) continue;
    rows.append(el("dt", {}, FIELD_LABELS[key] || key),
      el("dd", {}, typeof value === "object" ? JSON.stringify(value) : String(value)));
  }
  const where = finding.location ? ` (line ${finding.location.line}, column ${finding.location.column})` : "";
  const node = el("div", { class: `finding sev-${finding.severity}`, id: `finding-${i}`, "data-code": finding.code },
    el("div", {}, el("span", { class: "code" }, `${finding.severity}[${finding.code}]`), `: ${finding.message}${where}`),
    rows);
  node.addEventListener("click", () => focus(`mark-${i}`, node));
  return node;
}

function focus(id, from) {
  document.querySelectorAll(".focus").forEach((n) => n.classList.remove("focus"));
  const target = document.getElementById(id);
  from.classList.add("focus");
  if (target) { target.classList.add("focus"); target.scrollIntoView({ block: "center" }); }
}

// Offset in the XML of a (line, column) location; columns count characters from 1.
function offsetOf(text, location) {
  let offset = 0;
  for (let line = 1; line < location.line; line++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return offset + location.column - 1;
}

// Pretty-prints by putting each tag on its own indented line; every token keeps its place in
// the original text, so a finding's location marks the token it falls in.
function renderXml(pre, text, findings) {
  const marks = findings.map((f, i) => f.location ? { at: offsetOf(text, f.location), i } : null).filter(Boolean);
  const tokens = text.match(/<!--[\s\S]*?-->|<[^>]*>|[^<]+/g) || [];
  let offset = 0;
  let depth = 0;
  for (const token of tokens) {
    const start = offset;
    offset += token.length;
    if (!token.startsWith("<") && !token.trim()) continue;
    const closing = token.startsWith("</");
    const opening = token.startsWith("<") && !closing && !token.endsWith("/>") && !/^<[?!]/.test(token);
    if (closing) depth = Math.max(0, depth - 1);
    const isText = !token.startsWith("<");
    if (!isText) pre.append("\n" + "  ".repeat(depth));
    const hits = marks.filter((m) => m.at >= start && m.at < offset);
    if (hits.length) {
      const span = el("span", { class: "hl", id: `mark-${hits[0].i}`, title: hits.map((h) => findings[h.i].code).join(", ") }, isText ? token.trim() : token);
      span.addEventListener("click", () => focus(`finding-${hits[0].i}`, span));
      pre.append(span);
    } else {
      pre.append(isText ? token.trim() : token);
    }
    if (opening) depth++;
  }
}

function renderSummary(message) {
  const report = message.report;
  const box = el("div", { class: "summary" }, el("h3", {}, "Summary"));
  const facts = report.facts || {};
  const rows = el("table", {});
  const add = (name, value) => { if (value) rows.append(el("tr", {}, el("th", {}, name), el("td", {}, value))); };
  if (report.subject) add("Who", `${report.subject.name_id || "(no NameID)"} (${report.subject.format || "no format"}) — ${report.subject.verified ? "signature verified" : "NOT covered by a verified signature"}`);
  for (const [key, value] of Object.entries(facts)) {
    add(key.replace(/_/g, " "), Array.isArray(value) ? value.join(", ") : typeof value === "object" && value ? JSON.stringify(value) : value);
  }
  box.append(rows);
  box.append(renderTimeline(message));
  if ((report.attributes || []).length) {
    const table = el("table", { class: "attributes" }, el("tr", {}, el("th", {}, "Attribute"), el("th", {}, "Values")));
    for (const a of report.attributes) table.append(el("tr", {}, el("td", {}, a.name), el("td", {}, (a.values || []).join(", "))));
    box.append(el("h3", {}, "Attributes"), table);
  }
  const signatures = (report.signature && report.signature.signatures) || [];
  if (signatures.length) {
    const table = el("table", {}, el("tr", {}, el("th", {}, "Signed"), el("th", {}, "Outcome"), el("th", {}, "Algorithm"), el("th", {}, "Verified by")));
    for (const s of signatures) table.append(el("tr", {}, el("td", {}, s.on || "?"), el("td", {}, s.outcome + (s.stage ? ` at ${s.stage}` : "")), el("td", {}, s.algorithm || ""), el("td", {}, s.verified_by || "")));
    box.append(el("h3", {}, "Signatures"), table);
  }
  return box;
}

// The validity window against the instant it was judged at, with the skew allowed.
function renderTimeline(message) {
  const summary = message.summary || {};
  const assertion = ((summary.response || {}).assertions || [])[0] || summary.assertion;
  const conditions = assertion && assertion.conditions;
  if (!conditions || !conditions.not_before || !conditions.not_on_or_after) return el("div", {});
  const from = conditions.not_before.seconds_from_now;
  const until = conditions.not_on_or_after.seconds_from_now;
  const skew = Number($("clock_skew").value) || 180;
  const lo = Math.min(from - skew, 0), hi = Math.max(until + skew, 0);
  const pos = (s) => `${((s - lo) / (hi - lo || 1)) * 100}%`;
  const width = (a, b) => `${((b - a) / (hi - lo || 1)) * 100}%`;
  const line = el("div", { class: "timeline", title: "validity window, skew allowed, and the instant judged at" },
    el("div", { class: "skew" }),
    el("div", { class: "window" }),
    el("div", { class: "instant" }),
    el("span", { class: "lbl" }, `${conditions.not_before.value} → ${conditions.not_on_or_after.value}; judged at ${summary.now} (skew ${skew} s)`));
  // Positions are set through the DOM (a style attribute would need 'unsafe-inline').
  line.children[0].style.left = pos(from - skew); line.children[0].style.width = width(from - skew, until + skew);
  line.children[1].style.left = pos(from); line.children[1].style.width = width(from, until);
  line.children[2].style.left = pos(0);
  return el("div", {}, el("h3", {}, "Validity"), line);
}

function download(report) {
  const blob = new Blob([JSON.stringify(report, null, 2)], { type: "application/json" });
  const link = el("a", { href: URL.createObjectURL(blob), download: "samlkit-report.json" });
  link.click();
  URL.revokeObjectURL(link.href);
}

async function diff() {
  const answer = await call("/api/diff", { a: $("diff-a").value, b: $("diff-b").value, settings: settings() });
  if (answer.error) { $("diff-result").replaceChildren(el("p", { class: "error" }, answer.error)); return; }
  const d = answer.diff;
  const list = el("ul", {}, d.changes.map((c) => el("li", { class: `change-${c.kind}` }, `[${c.aspect}] ${c.summary}`)));
  const why = el("ul", {}, d.new_findings.map((f) => el("li", { "data-code": f.code }, el("b", {}, `${f.severity}[${f.code}] `), f.because)));
  $("diff-result").replaceChildren(
    el("div", { class: "verdict verdict-other" }, `A: ${d.kind_a} ${d.verdict_a || ""} — B: ${d.kind_b} ${d.verdict_b || ""}`),
    el("h3", {}, `${d.changes.length} difference(s)`), list,
    el("h3", {}, "What B has that A lacks, and why"), why);
}

$("explain").addEventListener("click", explain);
$("diff").addEventListener("click", diff);
$("input").addEventListener("input", () => { delete $("input").dataset.name; });
$("file").addEventListener("change", (e) => { if (e.target.files[0]) takeFile(e.target.files[0]); });
const paste = document.querySelector(".paste");
paste.addEventListener("dragover", (e) => { e.preventDefault(); paste.classList.add("drag"); });
paste.addEventListener("dragleave", () => paste.classList.remove("drag"));
paste.addEventListener("drop", (e) => { e.preventDefault(); paste.classList.remove("drag"); if (e.dataTransfer.files[0]) takeFile(e.dataTransfer.files[0]); });
for (const [tab, view] of [["tab-explain", "explain-view"], ["tab-diff", "diff-view"]]) {
  $(tab).addEventListener("click", () => {
    for (const [t, v] of [["tab-explain", "explain-view"], ["tab-diff", "diff-view"]]) {
      $(t).classList.toggle("on", t === tab); $(v).hidden = v !== view;
    }
  });
}
loadSettings();
