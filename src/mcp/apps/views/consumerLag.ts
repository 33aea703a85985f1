import { defineView } from '../view';

/**
 * Consumer group lag: totals, the groups worst first, and (for groups in full) one bar per
 * partition, worst first. Reads Lenses' group fields: id, state, consumersCount, minLag, maxLag,
 * totalLag, and per-partition rows with a lag (offsets[], or partitions held by consumers[]).
 */
export const consumerLagView = defineView({
  uri: 'ui://lenses/consumer-lag.html',
  name: 'consumer-lag',
  title: 'Consumer group lag',
  description: 'Consumer group lag: totals, groups and partitions worst first, sortable.',
  tools: ['list_consumer_groups', 'list_consumer_groups_by_topic'],
  script: String.raw`
/** Per-partition rows of a group: its offsets list, or the partitions its members hold, whichever Lenses sent. */
function partitionRows(group) {
  const direct = listIn(group, "offsets", "partitions", "topicPartitions");
  const held = listIn(group, "members", "consumers").flatMap((member) => listIn(member, "topicPartitions", "assignments", "offsets"));
  return [...direct, ...held].filter((row) => num(row.lag) !== null).map((row) => ({
    group: group.id,
    topic: pick(row, "topic", "topicName"),
    partition: pick(row, "partition", "partitionId"),
    currentOffset: pick(row, "currentOffset", "offset", "committedOffset"),
    logEndOffset: pick(row, "logEndOffset", "endOffset", "highWatermark"),
    lag: row.lag,
  }));
}
view.render = (data, args, app) => {
  const groups = listIn(data, "items", "result", "groups");
  const rowsOf = new Map(groups.map((group) => [group, partitionRows(group)]));
  const partitions = [...rowsOf.values()].flat();
  const sumOf = (rows) => (rows.length ? rows.reduce((sum, row) => sum + row.lag, 0) : null);
  const lagOf = (group) => num(group.totalLag) ?? sumOf(rowsOf.get(group));
  const maxLagOf = (group) => num(group.maxLag) ?? (rowsOf.get(group).length ? Math.max(...rowsOf.get(group).map((row) => row.lag)) : null);
  const known = groups.map(lagOf).filter((lag) => lag !== null);
  const total = known.length ? known.reduce((sum, lag) => sum + lag, 0) : null;
  const worstGroup = Math.max(0, ...known, ...groups.map((group) => maxLagOf(group) || 0));
  const worstPartition = Math.max(0, ...partitions.map((row) => row.lag));
  const tool = args.topic ? "list_consumer_groups_by_topic" : "list_consumer_groups";
  const toolbar = el("div", { class: "toolbar" }, el("h1", {}, args.topic ? "Consumer lag on " + args.topic : "Consumer group lag"));
  if (args.environment) toolbar.append(refreshButton(tool));
  app.append(toolbar, summary([
    ["Groups", fmt(num(data.total) ?? groups.length)],
    ["Total lag", fmt(total), total > 0 ? "failed" : undefined],
    ["Worst partition lag", fmt(partitions.length ? worstPartition : groups.map(maxLagOf).reduce((max, lag) => (lag === null ? max : Math.max(max ?? 0, lag)), null))],
  ]));
  // Worst first: by total lag where Lenses gives it, else by the worst partition.
  const rank = (group) => lagOf(group) ?? maxLagOf(group) ?? -1;
  app.append(el("h2", {}, "Groups"), sortableTable("Consumer groups", [
    { key: "id", label: "Group" },
    { key: "state", label: "State", cell: (g) => el("span", { class: "state-" + text(g.state) }, text(g.state)) },
    { key: "consumersCount", label: "Members", numeric: true, cell: (g) => fmt(g.consumersCount) },
    { key: "totalLag", label: "Total lag", numeric: true, value: rank, cell: (g) => el("span", {}, bar(rank(g), worstGroup, rank(g) > 0 && rank(g) === worstGroup), fmt(lagOf(g))) },
    { key: "maxLag", label: "Max partition lag", numeric: true, value: (g) => maxLagOf(g) ?? -1, cell: (g) => fmt(maxLagOf(g)) },
  ], groups, { key: "totalLag", descending: true }));
  if (partitions.length) {
    app.append(el("h2", {}, "Partitions"), sortableTable("Partitions", [
      { key: "group", label: "Group" },
      { key: "topic", label: "Topic" },
      { key: "partition", label: "Partition", numeric: true },
      { key: "currentOffset", label: "Committed", numeric: true, cell: (r) => fmt(r.currentOffset) },
      { key: "logEndOffset", label: "End", numeric: true, cell: (r) => fmt(r.logEndOffset) },
      { key: "lag", label: "Lag", numeric: true, cell: (r) => el("span", {}, bar(r.lag, worstPartition, r.lag > 0 && r.lag === worstPartition), fmt(r.lag)) },
    ], partitions, { key: "lag", descending: true }));
  } else if (groups.length) {
    app.append(el("p", { class: "muted" }, "Per-partition lag needs the groups in full: list_consumer_groups with detail: true, or list_consumer_groups_by_topic."));
  }
  if (data.note) app.append(el("p", { class: "note" }, data.note));
};
`,
});
