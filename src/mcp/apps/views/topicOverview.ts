import { defineView } from '../view';

/**
 * One topic: partitions and messages per partition, key/value types, configs and consumers.
 * Reads Lenses' topic fields: topicName, partitions, replication, keyType, valueType,
 * totalMessages, messagesPerPartition[{partition, messages, begin, end}], config (or configs)
 * [{key or name, value}], consumers (group objects {id, state, minLag, maxLag} or group ids).
 */
export const topicOverviewView = defineView({
  uri: 'ui://lenses/topic-overview.html',
  name: 'topic-overview',
  title: 'Topic overview',
  description: 'A topic at a glance: partitions, messages per partition, key/value types, configs, consumers.',
  tools: ['get_topic'],
  script: String.raw`
view.render = (topic, args, app) => {
  const name = pick(topic, "topicName", "name") || args.topic_name || "topic";
  const perPartition = listIn(topic, "messagesPerPartition");
  const most = Math.max(0, ...perPartition.map((p) => num(p.messages) || 0));
  const toolbar = el("div", { class: "toolbar" }, el("h1", {}, "Topic ", el("code", {}, name)));
  if (args.environment) toolbar.append(refreshButton("get_topic"));
  app.append(toolbar, summary([
    ["Partitions", fmt(num(topic.partitions) ?? perPartition.length)],
    ["Replication", fmt(topic.replication)],
    ["Messages", fmt(num(topic.totalMessages) ?? perPartition.reduce((sum, p) => sum + (num(p.messages) || 0), 0))],
    ["Key", text(topic.keyType) || "–"],
    ["Value", text(topic.valueType) || "–"],
  ]));
  if (topic.description) app.append(el("p", { class: "muted" }, text(topic.description)));
  app.append(el("h2", {}, "Messages per partition"), perPartition.length ? sortableTable("Messages per partition", [
    { key: "partition", label: "Partition", numeric: true },
    { key: "messages", label: "Messages", numeric: true, value: (p) => num(p.messages) || 0, cell: (p) => el("span", {}, bar(p.messages, most, false), fmt(p.messages)) },
    { key: "begin", label: "First offset", numeric: true, cell: (p) => fmt(p.begin) },
    { key: "end", label: "End offset", numeric: true, cell: (p) => fmt(p.end) },
  ], perPartition, { key: "partition", descending: false }) : el("p", { class: "muted" }, "Lenses sent no per-partition counts."));
  const configs = listIn(topic, "config", "configs").map((c) => ({ key: text(pick(c, "key", "name", "configKey")), value: text(pick(c, "value", "configValue")), isDefault: c.isDefault }));
  app.append(el("h2", {}, "Configuration"), configs.length ? sortableTable("Configuration", [
    { key: "key", label: "Key", cell: (c) => el("code", {}, c.key) },
    { key: "value", label: "Value", cell: (c) => el("code", {}, c.value) },
    { key: "isDefault", label: "Default", cell: (c) => (c.isDefault === true ? "default" : c.isDefault === false ? "set" : "") },
  ], configs, { key: "key", descending: false }) : el("p", { class: "muted" }, "No configuration in the answer."));
  const consumers = listIn(topic, "consumers").map((c) => (typeof c === "string" ? { id: c } : c));
  app.append(el("h2", {}, "Consumers"), consumers.length ? sortableTable("Consumers", [
    { key: "id", label: "Group" },
    { key: "state", label: "State", cell: (c) => el("span", { class: "state-" + text(c.state) }, text(c.state)) },
    { key: "maxLag", label: "Max lag", numeric: true, value: (c) => num(c.maxLag) ?? -1, cell: (c) => fmt(c.maxLag) },
  ], consumers, { key: "maxLag", descending: true }) : el("p", { class: "muted" }, "No consumer group reads this topic."));
};
`,
});
