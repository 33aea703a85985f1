import { defineView } from '../view';

/**
 * The records of execute_sql as a grid: one column per value field (nested fields as a.b), the
 * key as _key and the record metadata as _meta.*, within the answer budget the server already
 * applied; when the answer was cut, its note is shown above the grid.
 */
export const sqlResultsView = defineView({
  uri: 'ui://lenses/sql-results.html',
  name: 'sql-results',
  title: 'SQL results',
  description: 'The records a Lenses SQL query returned, as a sortable grid; says when the answer was truncated.',
  tools: ['execute_sql'],
  script: String.raw`
/** One row per record: value fields flattened (a.b), the key as _key, metadata as _meta.*. */
function flatten(record) {
  const row = {};
  const put = (prefix, value) => {
    if (value && typeof value === "object" && !Array.isArray(value)) { for (const [k, v] of Object.entries(value)) put(prefix ? prefix + "." + k : k, v); return; }
    row[prefix || "value"] = value;
  };
  const isEnvelope = record && typeof record === "object" && ("value" in record || "metadata" in record);
  if (!isEnvelope) { put("", record); return row; }
  put("", record.value);
  if (record.key !== undefined) row._key = typeof record.key === "object" ? JSON.stringify(record.key) : record.key;
  for (const [k, v] of Object.entries(record.metadata || {})) row["_meta." + k] = v;
  return row;
}
/** A record timestamp (epoch milliseconds) reads as UTC time; the number stays in the tooltip and the sort. */
function cellOf(key, value) {
  if (key === "_meta.timestamp" && num(value) !== null) return el("time", { datetime: new Date(value).toISOString(), title: String(value) }, new Date(value).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z"));
  return text(value);
}
view.render = (data, args, app) => {
  const records = listIn(data, "records", "result", "items");
  const rows = records.map(flatten);
  const columns = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  columns.sort((a, b) => (a.startsWith("_") === b.startsWith("_") ? 0 : a.startsWith("_") ? 1 : -1));
  app.append(el("h1", {}, "SQL results"));
  if (args.sql) app.append(el("p", {}, el("code", {}, args.sql)));
  app.append(summary([["Rows", fmt(rows.length)], ["Columns", fmt(columns.length)]]));
  if (data.truncated) app.append(el("p", { class: "note", role: "status" }, "Truncated: " + text(data.note || "the answer was cut at the output budget.")));
  if (!rows.length) { app.append(el("p", { class: "muted" }, "The query returned no records.")); return; }
  app.append(sortableTable("Query results", columns.map((key) => ({ key, label: key, numeric: rows.every((r) => r[key] === undefined || typeof r[key] === "number"), cell: (r) => cellOf(key, r[key]) })), rows, { key: columns[0], descending: false }));
};
`,
});
