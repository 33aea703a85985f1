/**
 * What every view page shares: the style (host-themed through the MCP Apps CSS variables, with
 * fallbacks for hosts that send none) and a small script that speaks the MCP Apps postMessage
 * protocol (ui/initialize, tool input and result, host context, size) and draws sortable tables.
 * Written as plain browser JavaScript in a string: the SDK's own App class, with its schema
 * library, is over 600 KB, and a view must stay well under 100 KB.
 */

/** The MCP Apps protocol revision the views speak. */
export const VIEW_PROTOCOL_VERSION = '2026-01-26';

export const VIEW_STYLE = `
:root { color-scheme: light dark; }
body { margin: 0; padding: 12px; background: var(--color-background-primary, Canvas); color: var(--color-text-primary, CanvasText);
  font-family: var(--font-sans, system-ui, sans-serif); font-size: var(--font-text-sm-size, 13px); line-height: var(--font-text-sm-line-height, 1.4); }
h1 { font-size: var(--font-heading-sm-size, 15px); font-weight: var(--font-weight-semibold, 600); margin: 0 0 8px; }
h2 { font-size: var(--font-text-md-size, 14px); font-weight: var(--font-weight-semibold, 600); margin: 16px 0 6px; }
.summary { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 10px; padding: 0; list-style: none; }
.summary li { padding: 4px 8px; border: var(--border-width-regular, 1px) solid var(--color-border-secondary, GrayText);
  border-radius: var(--border-radius-md, 6px); background: var(--color-background-secondary, transparent); }
.summary b { font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 3px 8px; white-space: nowrap; border-bottom: var(--border-width-regular, 1px) solid var(--color-border-tertiary, rgba(127,127,127,.3)); vertical-align: top; }
td.num, th.num { text-align: right; }
th button { all: unset; cursor: pointer; font-weight: var(--font-weight-semibold, 600); }
th button:focus-visible, button:focus-visible { outline: 2px solid var(--color-ring-primary, Highlight); outline-offset: 2px; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
.bar { display: inline-block; height: 8px; min-width: 1px; background: var(--color-text-info, #3b82f6); border-radius: var(--border-radius-full, 4px); vertical-align: middle; margin-right: 6px; }
.bar.hot { background: var(--color-text-danger, #dc2626); }
.failed, .state-FAILED { color: var(--color-text-danger, #b91c1c); font-weight: var(--font-weight-semibold, 600); }
tr.failed td { background: var(--color-background-danger, rgba(220,38,38,.08)); }
.state-RUNNING, .state-Stable { color: var(--color-text-success, #15803d); }
.state-PAUSED, .state-STOPPED, .state-UNASSIGNED, .state-RESTARTING { color: var(--color-text-warning, #a16207); }
.note { margin: 8px 0; padding: 6px 8px; border-left: 3px solid var(--color-border-warning, #d97706); background: var(--color-background-warning, transparent); }
.muted { color: var(--color-text-secondary, GrayText); }
.toolbar { display: flex; gap: 8px; align-items: center; margin-bottom: 8px; }
.toolbar button { font: inherit; padding: 2px 10px; border-radius: var(--border-radius-sm, 4px); border: var(--border-width-regular, 1px) solid var(--color-border-primary, ButtonBorder);
  background: var(--color-background-secondary, ButtonFace); color: var(--color-text-primary, ButtonText); cursor: pointer; }
code { font-family: var(--font-mono, ui-monospace, monospace); }
.scroll { overflow-x: auto; }
`;

/**
 * The protocol and drawing helpers. A view script after it sets `view.render(data, args)` and
 * `view.readTools` (the only tools `view.callReadTool` will ask the host to run: reads).
 */
export const VIEW_SCRIPT = String.raw`
"use strict";
const view = { render: null, readTools: [], args: {}, lastResult: null };
let nextId = 1;
const pending = new Map();
const post = (message) => window.parent.postMessage({ jsonrpc: "2.0", ...message }, "*");
const request = (method, params) => new Promise((resolve, reject) => {
  const id = nextId++;
  pending.set(id, { resolve, reject });
  post({ id, method, params });
});
const notify = (method, params) => post({ method, params });

function applyHostContext(context) {
  if (!context) return;
  if (context.theme) document.documentElement.dataset.theme = context.theme, document.documentElement.style.colorScheme = context.theme;
  const variables = context.styles && context.styles.variables;
  if (variables) for (const [name, value] of Object.entries(variables)) if (name.startsWith("--") && typeof value === "string") document.documentElement.style.setProperty(name, value);
}

/** The data of a tool result: structuredContent, else the JSON of its text. */
function resultData(result) {
  if (result && result.structuredContent && typeof result.structuredContent === "object") return result.structuredContent;
  const text = result && Array.isArray(result.content) ? result.content.filter((part) => part.type === "text").map((part) => part.text).join("") : "";
  try { return JSON.parse(text); } catch { return { message: text }; }
}

function show(result) {
  view.lastResult = result;
  const app = document.getElementById("app");
  app.replaceChildren();
  if (result && result.isError) { app.append(el("p", { class: "note" }, resultData(result).message || "The tool answered with an error.")); return; }
  try { view.render(resultData(result), view.args, app); } catch (error) { app.append(el("p", { class: "note" }, "This view could not read the answer: " + error.message)); }
}

window.addEventListener("message", (event) => {
  if (event.source !== window.parent) return;
  const message = event.data;
  if (!message || message.jsonrpc !== "2.0") return;
  if (message.id !== undefined && !message.method) {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (waiting) message.error ? waiting.reject(new Error(message.error.message)) : waiting.resolve(message.result);
    return;
  }
  switch (message.method) {
    case "ui/notifications/tool-input": view.args = (message.params && message.params.arguments) || {}; break;
    case "ui/notifications/tool-result": show(message.params); break;
    case "ui/notifications/host-context-changed": applyHostContext(message.params); break;
    case "ui/notifications/tool-cancelled": document.getElementById("app").textContent = "The tool call was cancelled."; break;
    case "ping": case "ui/resource-teardown": post({ id: message.id, result: {} }); break;
    default: if (message.id !== undefined) post({ id: message.id, error: { code: -32601, message: "Method not found: " + message.method } });
  }
});

/** Asks the host to run one of this view's read tools (refresh, page); never a write tool. */
async function callReadTool(name, args) {
  if (!view.readTools.includes(name)) throw new Error(name + " is not a read tool of this view");
  const result = await request("tools/call", { name, arguments: args });
  show(result);
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : String(value));
  for (const child of children.flat(Infinity)) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}
const num = (value) => (typeof value === "number" && Number.isFinite(value) ? value : null);
const fmt = (value) => (num(value) === null ? "–" : value.toLocaleString("en-US"));
const text = (value) => (value === undefined || value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value));
const pick = (object, ...keys) => { for (const key of keys) if (object && object[key] !== undefined && object[key] !== null) return object[key]; return undefined; };
/** The first list in an answer: the answer itself, or one of the keys in order. */
const listIn = (data, ...keys) => (Array.isArray(data) ? data : (keys.map((key) => data && data[key]).find(Array.isArray) || []));
const summary = (pairs) => el("ul", { class: "summary" }, pairs.map(([label, value, cls]) => el("li", { class: cls }, label + ": ", el("b", {}, value))));
const bar = (value, max, hot) => el("span", { class: hot ? "bar hot" : "bar", style: "width:" + (max > 0 ? Math.max(1, Math.round((100 * (num(value) || 0)) / max)) : 0) + "px", "aria-hidden": "true" });

/**
 * A table sortable by any column (header buttons: Enter or Space, then again to reverse).
 * columns: [{key, label, numeric, cell(row) -> node|string, value(row) -> sort value}]
 */
function sortableTable(label, columns, rows, sort, rowClass) {
  const table = el("table", { "aria-label": label });
  const head = el("tr");
  const body = el("tbody");
  let state = { ...sort };
  const draw = () => {
    const column = columns.find((c) => c.key === state.key) || columns[0];
    const value = column.value || ((row) => row[column.key]);
    const sorted = [...rows].sort((a, b) => {
      const x = value(a), y = value(b);
      const order = typeof x === "number" && typeof y === "number" ? x - y : text(x).localeCompare(text(y), undefined, { numeric: true });
      return state.descending ? -order : order;
    });
    body.replaceChildren(...sorted.map((row) => el("tr", { class: rowClass ? rowClass(row) : undefined }, columns.map((c) => el("td", { class: c.numeric ? "num" : undefined }, c.cell ? c.cell(row) : text(row[c.key]))))));
    for (const th of head.children) th.setAttribute("aria-sort", th.dataset.key === state.key ? (state.descending ? "descending" : "ascending") : "none");
  };
  for (const c of columns) {
    const button = el("button", { type: "button" }, c.label);
    button.addEventListener("click", () => { state = { key: c.key, descending: state.key === c.key ? !state.descending : !!c.numeric }; draw(); });
    const th = el("th", { scope: "col", class: c.numeric ? "num" : undefined }, button);
    th.dataset.key = c.key;
    head.append(th);
  }
  table.append(el("thead", {}, head), body);
  draw();
  return el("div", { class: "scroll" }, table);
}

/** A Refresh button that runs the view's own tool again with the same arguments (a read). */
function refreshButton(tool) {
  const button = el("button", { type: "button" }, "Refresh");
  button.addEventListener("click", () => { button.disabled = true; callReadTool(tool, view.args).catch((error) => { button.disabled = false; document.getElementById("app").append(el("p", { class: "note" }, "Refresh failed: " + error.message)); }); });
  return button;
}

const sendSize = () => notify("ui/notifications/size-changed", { height: Math.ceil(document.documentElement.getBoundingClientRect().height) });

window.addEventListener("load", async () => {
  const result = await request("ui/initialize", { appInfo: { name: document.title, version: "1" }, appCapabilities: {}, protocolVersion: "${VIEW_PROTOCOL_VERSION}" });
  applyHostContext(result && result.hostContext);
  notify("ui/notifications/initialized", {});
  // The host learns the view's height once it is initialized, then on every change.
  new ResizeObserver(sendSize).observe(document.documentElement);
});
`;

/** A whole view page: no remote loads (the page's own CSP says so too), one inline style and script. */
export function viewPage(title: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${VIEW_STYLE}</style>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Waiting for the tool's answer…</p></main>
<script>${VIEW_SCRIPT}
${script}</script>
</body>
</html>
`;
}
