import { defineView } from '../view';

/**
 * Consumer group lag: totals, the groups worst first, and (for groups in full, with offsets)
 * one bar per partition, worst first. Reads Lenses' group fields: id, state, consumersCount,
 * minLag, maxLag, totalLag, offsets[{topic, partition, currentOffset, logEndOffset, lag}].
 */
export const consumerLagView = defineView({
  uri: 'ui://lenses/consumer-lag.html',
  name: 'consumer-lag',
  title: 'Consumer group lag',
  description: 'Consumer group lag: totals, groups and partitions worst first, sortable.',
  tools: ['list_consumer_groups', 'list_consumer_groups_by_topic'],
  script: String.raw`
view.render = (data, args, app) => {
  const groups = listIn(data, "items", "result", "groups");
  const partitions = [];
  for (const group of groups) for (const offset of listIn(group, "offsets")) partitions.push({ group: group.id, ...offset });
  const lagOf = (group) => num(group.totalLag) ?? partitionsOf(group).reduce((sum, row) => sum + (num(row.lag) || 0), 0);
  const partitionsOf = (group) => listIn(group, "offsets");
  const maxLagOf = (group) => num(group.maxLag) ?? Math.max(0, ...partitionsOf(group).map((row) => num(row.lag) || 0));
  const total = groups.reduce((sum, group) => sum + (lagOf(group) || 0), 0);
  const worstGroup = Math.max(0, ...groups.map(lagOf));
  const worstPartition = Math.max(0, ...partitions.map((row) => num(row.lag) || 0));
  const toolbar = el("div", { class: "toolbar" }, el("h1", {}, args.topic ? "Consumer lag on " + args.topic : "Consumer group lag"));
  if (view.readTools.includes(args.topic ? "list_consumer_groups_by_topic" : "list_consumer_groups") && args.environment) toolbar.append(refreshButton(args.topic ? "list_consumer_groups_by_topic" : "list_consumer_groups"));
  app.append(toolbar, summary([
    ["Groups", fmt(num(data.total) ?? groups.length)],
    ["Total lag", fmt(total), total > 0 ? "failed" : undefined],
    ["Worst partition lag", partitions.length ? fmt(worstPartition) : "–"],
  ]));
  app.append(el("h2", {}, "Groups"), sortableTable("Consumer groups", [
    { key: "id", label: "Group" },
    { key: "state", label: "State", cell: (g) => el("span", { class: "state-" + text(g.state) }, text(g.state)) },
    { key: "consumersCount", label: "Members", numeric: true, cell: (g) => fmt(g.consumersCount) },
    { key: "totalLag", label: "Total lag", numeric: true, value: lagOf, cell: (g) => el("span", {}, bar(lagOf(g), worstGroup, lagOf(g) > 0 && lagOf(g) === worstGroup), fmt(lagOf(g))) },
    { key: "maxLag", label: "Max partition lag", numeric: true, value: maxLagOf, cell: (g) => fmt(maxLagOf(g)) },
  ], groups, { key: "totalLag", descending: true }));
  if (partitions.length) {
    app.append(el("h2", {}, "Partitions"), sortableTable("Partitions", [
      { key: "group", label: "Group" },
      { key: "topic", label: "Topic" },
      { key: "partition", label: "Partition", numeric: true },
      { key: "currentOffset", label: "Committed", numeric: true, cell: (r) => fmt(r.currentOffset) },
      { key: "logEndOffset", label: "End", numeric: true, cell: (r) => fmt(r.logEndOffset) },
      { key: "lag", label: "Lag", numeric: true, value: (r) => num(r.lag) || 0, cell: (r) => el("span", {}, bar(r.lag, worstPartition, r.lag > 0 && r.lag === worstPartition), fmt(r.lag)) },
    ], partitions, { key: "lag", descending: true }));
  } else if (groups.length) {
    app.append(el("p", { class: "muted" }, "Per-partition lag needs the groups in full: list_consumer_groups with detail: true, or list_consumer_groups_by_topic."));
  }
  if (data.note) app.append(el("p", { class: "note" }, data.note));
};
`,
});
