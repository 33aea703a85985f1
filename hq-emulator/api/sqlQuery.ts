import type { AgentData } from './state';

/**
 * The small Lenses SQL subset the emulator runs over a topic's JSON records:
 *   SELECT * | field[, field…] FROM <topic> [WHERE <field> = <value>] [LIMIT n]
 * Keywords are case-insensitive; a field is a path in the JSON value (`amount`, `customer.id`,
 * `_value.amount`) or `_key`; a value is a number, true/false, or a '…' / "…" string.
 */

export interface SqlQuery {
  topic: string;
  /** Field paths to project, or undefined for `*`. */
  fields?: string[];
  where?: { field: string; value: string | number | boolean };
  limit?: number;
}

export interface SqlRecord {
  key: string | null;
  value: unknown;
  metadata: { partition: number; offset: number; timestamp: number };
}

/** A query the emulator cannot parse or run; its message is shown to the user as is. */
export class SqlError extends Error {
  override readonly name = 'SqlError';
}

const SUPPORTED = 'this Lenses HQ emulator runs only: SELECT * | field[, field…] FROM <topic> [WHERE <field> = <value>] [LIMIT n]';
const SELECT = /^\s*SELECT\s+([\s\S]+?)\s+FROM\s+(`[^`]+`|[A-Za-z0-9._-]+)(?:\s+WHERE\s+([\s\S]+?))?(?:\s+LIMIT\s+(\d+))?\s*;?\s*$/i;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const CONDITION = /^([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*('(?:[^']|'')*'|"[^"]*"|-?\d+(?:\.\d+)?|true|false)$/i;

/** Parses the supported subset, or throws a `SqlError` saying what is supported. */
export function parseSql(sql: string): SqlQuery {
  const match = SELECT.exec(sql);
  if (!match) {
    const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
    throw new SqlError(verb && verb !== 'SELECT' ? `${verb} statements are not supported: ${SUPPORTED}` : `Could not parse the query: ${SUPPORTED}`);
  }
  const [, projection, rawTopic, condition, limit] = match;
  const query: SqlQuery = { topic: rawTopic.replace(/^`|`$/g, '') };
  if (projection.trim() !== '*') {
    const fields = projection.split(',').map((field) => field.trim());
    const bad = fields.find((field) => !FIELD.test(field));
    if (bad !== undefined) throw new SqlError(`"${bad.slice(0, 60)}" is not a field name: ${SUPPORTED}`);
    query.fields = fields;
  }
  if (condition !== undefined) {
    const where = CONDITION.exec(condition.trim());
    if (!where) throw new SqlError(`Unsupported WHERE clause "${condition.trim().slice(0, 80)}": only <field> = <value> is supported`);
    query.where = { field: where[1], value: literal(where[2]) };
  }
  if (limit !== undefined) query.limit = Number(limit);
  return query;
}

function literal(text: string): string | number | boolean {
  if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  if (text.startsWith('"')) return text.slice(1, -1);
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  return Number(text);
}

function valueAt(record: { key: string | null; value: unknown }, path: string): unknown {
  if (path === '_key') return record.key;
  const parts = path.replace(/^_value\./, '').split('.');
  let current: unknown = record.value;
  for (const part of parts) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Runs a parsed query: records of every partition in timestamp order, filtered, projected, limited. */
export function runSql(data: AgentData, query: SqlQuery): SqlRecord[] {
  const topic = data.topics.find((candidate) => candidate.name === query.topic);
  if (!topic) throw new SqlError(`Table '${query.topic}' does not exist`);
  const records = topic.partitions
    .flatMap((partition) =>
      partition.messages.map((message, index) => ({
        message,
        metadata: { partition: partition.partition, offset: partition.beginOffset + index, timestamp: message.timestamp },
      })),
    )
    .sort((a, b) => a.metadata.timestamp - b.metadata.timestamp || a.metadata.partition - b.metadata.partition || a.metadata.offset - b.metadata.offset);
  const where = query.where;
  const selected = where ? records.filter(({ message }) => valueAt(message, where.field) === where.value) : records;
  const limited = query.limit === undefined ? selected : selected.slice(0, query.limit);
  return limited.map(({ message, metadata }) => ({
    key: message.key,
    value: query.fields ? Object.fromEntries(query.fields.map((field) => [field.replace(/^_value\./, ''), valueAt(message, field) ?? null])) : message.value,
    metadata,
  }));
}
