import { defineView } from '../view';

/**
 * Kafka Connect connectors by state, failed ones first and failed tasks highlighted. Reads
 * Lenses' published fields: name, cluster, state, tasks[{id, state}], className, type (and
 * `status` where an older answer has it instead of `state`).
 */
export const connectorHealthView = defineView({
  uri: 'ui://lenses/connector-health.html',
  name: 'connector-health',
  title: 'Connector health',
  description: 'Kafka connectors by state, with failed connectors and failed tasks highlighted.',
  tools: ['list_kafka_connectors'],
  script: String.raw`
const stateOf = (item) => text(pick(item, "state", "status")).toUpperCase() || "UNKNOWN";
const RANK = { FAILED: 0, UNASSIGNED: 1, RESTARTING: 2, PAUSED: 3, STOPPED: 4, RUNNING: 5 };
view.render = (data, args, app) => {
  const connectors = listIn(data, "items", "data", "connectors", "result");
  const failedTasks = (c) => listIn(c, "tasks").filter((t) => stateOf(t) === "FAILED");
  const health = (c) => (stateOf(c) === "FAILED" || failedTasks(c).length ? "FAILED" : stateOf(c));
  const counts = {};
  for (const c of connectors) counts[health(c)] = (counts[health(c)] || 0) + 1;
  const toolbar = el("div", { class: "toolbar" }, el("h1", {}, "Connector health"));
  if (args.environment) toolbar.append(refreshButton("list_kafka_connectors"));
  app.append(toolbar, summary([["Connectors", fmt(num(data.total) ?? connectors.length)], ...Object.keys(counts).sort((a, b) => (RANK[a] ?? 9) - (RANK[b] ?? 9)).map((state) => [state, fmt(counts[state]), "state-" + state])]));
  if (!connectors.length) { app.append(el("p", { class: "muted" }, "No connectors.")); return; }
  app.append(sortableTable("Connectors", [
    { key: "name", label: "Connector" },
    { key: "cluster", label: "Cluster" },
    { key: "state", label: "State", value: (c) => RANK[health(c)] ?? 9, cell: (c) => el("span", { class: "state-" + stateOf(c) }, stateOf(c)) },
    { key: "tasks", label: "Tasks", value: (c) => -failedTasks(c).length, cell: (c) => el("span", {}, listIn(c, "tasks").map((t, i) => [i ? ", " : "", el("span", { class: stateOf(t) === "FAILED" ? "failed" : "state-" + stateOf(t) }, "task " + text(t.id) + " " + stateOf(t))])) },
    { key: "className", label: "Class", cell: (c) => el("code", {}, text(pick(c, "className", "class")).split(".").pop()) },
  ], connectors, { key: "state", descending: false }, (c) => (health(c) === "FAILED" ? "failed" : undefined)));
  if (data.note) app.append(el("p", { class: "note" }, data.note));
};
`,
});
