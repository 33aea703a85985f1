import { z } from 'zod';
import { isRecord } from '../../records';
import { ToolAnswer } from './answer';

/**
 * Answers that fit a model's context: whole items only, as many as the character budget
 * holds, then one line saying what was left out and how to get it. Lists also take the
 * navigation arguments `filter`, `offset` and `limit` (after the official arguments).
 */

/** The most items one answer holds, whatever the budget; also the largest `limit`. */
export const MAX_PAGE_ITEMS = 1000;
const MAX_FILTER_LENGTH = 256;
const MAX_OFFSET = 10_000_000;
/** Room kept for the closing note when counting how many items fit. */
const NOTE_RESERVE = 400;

export interface Navigation {
  filter?: string | null;
  offset?: number | null;
  limit?: number | null;
}

/** The optional `filter`, `offset` and `limit` arguments of a list tool; `order` says how pages are ordered. */
export function navigationArguments(noun: string, order = 'pages are in name order') {
  return {
    filter: z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_FILTER_LENGTH)
      .nullish()
      .describe(`Only ${noun} whose name contains this text (case-insensitive), or matches it as a glob when it has * (e.g. "orders*", "*.v2").`),
    offset: z
      .number()
      .int()
      .nonnegative()
      .max(MAX_OFFSET)
      .nullish()
      .describe(`Skip this many ${noun} (${order}); pass the next_offset of the previous answer to get the next page.`),
    limit: z
      .number()
      .int()
      .positive()
      .max(MAX_PAGE_ITEMS)
      .nullish()
      .describe(`At most this many ${noun} (up to ${MAX_PAGE_ITEMS}); an answer holds fewer when they do not fit its size budget.`),
  };
}

/** True when `filter` is absent or matches `name`: a case-insensitive substring, or a whole-name glob with `*`. */
export function nameMatcher(filter: string | null | undefined): (name: string) => boolean {
  if (!filter) return () => true;
  const pattern = filter.toLowerCase();
  if (!pattern.includes('*')) return (name) => name.toLowerCase().includes(pattern);
  return (name) => globMatches(pattern, name.toLowerCase());
}

/** `*` matches any run of characters; linear-time (no regular expression, so no backtracking blow-up). */
function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** The structuredContent of every list tool. */
export function pageSchema(item: z.ZodType) {
  return z.object({
    total: z.number().int().nonnegative().describe('How many items match (after filter).'),
    offset: z.number().int().nonnegative().describe('The index of the first item shown.'),
    items: z.array(item),
    next_offset: z.number().int().nonnegative().nullable().describe('Pass as offset to get the next page; null when this is the last one.'),
    note: z.string().optional().describe('What was left out and how to get it.'),
  });
}

/** Any object Lenses answers with (its shape varies between Lenses versions, so nothing is required). */
export const lensesObject = z.looseObject({});

export interface ListSpec<T> {
  /** Plural noun used in the note: "topics". */
  noun: string;
  /** The name `filter` matches and name-ordered pages sort by. */
  nameOf(item: T): string;
  /** The item as shown (e.g. a compact row); default the item itself. */
  row?: (item: T) => unknown;
  /** The official answer's shape around the rows, for the text (default the bare list). */
  envelope?: (rows: unknown[]) => unknown;
  /** How deep the rows sit in `envelope` (1 = a bare list). */
  depth?: number;
  /** A sentence pointing at the detail tool, e.g. "get_topic has one topic's full detail." */
  detail?: string;
}

/**
 * A list Lenses answered in full, as one bounded answer. Without offset/limit and when
 * everything fits, the text is exactly the official answer. Otherwise items are taken in
 * name order (so pages stay stable across calls) from `offset`.
 */
export function listAnswer<T>(items: readonly T[], navigation: Navigation, budget: number, spec: ListSpec<T>): ToolAnswer {
  const matches = nameMatcher(navigation.filter);
  const selected = navigation.filter ? items.filter((item) => matches(spec.nameOf(item))) : items;
  const row = spec.row ?? ((item: T): unknown => item);
  const envelope = spec.envelope ?? ((rows: unknown[]) => rows);
  const depth = spec.depth ?? 1;
  const paged = navigation.offset != null || navigation.limit != null;
  const filteredOut = navigation.filter && selected.length === 0;
  if (!paged && !filteredOut && selected.length <= MAX_PAGE_ITEMS) {
    const rows = selected.map(row);
    if (countThatFits(rows, budget, depth, envelope) === rows.length) {
      const text = pretty(envelope(rows));
      if (text.length <= budget) return new ToolAnswer(text, { total: rows.length, offset: 0, items: rows, next_offset: null });
    }
  }
  // Names read once, not once per comparison: 10,000 topics sort in a few milliseconds.
  const ordered = selected
    .map((item) => ({ item, name: spec.nameOf(item) }))
    .sort((a, b) => compare(a.name, b.name))
    .map(({ item }) => item);
  const start = navigation.offset ?? 0;
  const limit = Math.min(navigation.limit ?? MAX_PAGE_ITEMS, MAX_PAGE_ITEMS);
  const candidates = ordered.slice(start, start + limit).map(row);
  return windowAnswer(candidates, {
    noun: spec.noun,
    start,
    total: ordered.length,
    budget,
    envelope,
    depth,
    filter: navigation.filter ?? undefined,
    detail: spec.detail,
    nextHint: (next) => `pass offset=${next}`,
  });
}

export interface WindowSpec {
  noun: string;
  /** Index of candidates[0] among all matching items. */
  start: number;
  total: number;
  budget: number;
  envelope: (rows: unknown[]) => unknown;
  depth: number;
  filter?: string;
  detail?: string;
  /** A sentence added to the note (e.g. that a search stopped early). */
  caveat?: string;
  /** How to ask for the items from `next` on. */
  nextHint(next: number, wholeWindowShown: boolean): string;
}

/** As many whole candidates as fit, then the note; structuredContent `{total, offset, items, next_offset, note?}`. */
export function windowAnswer(candidates: readonly unknown[], spec: WindowSpec): ToolAnswer {
  let count = countThatFits(candidates, spec.budget - NOTE_RESERVE, spec.depth, spec.envelope);
  for (;;) {
    const shown = candidates.slice(0, count);
    const end = spec.start + count;
    const oversized = count === 0 && candidates.length > 0;
    const next = oversized ? spec.start + 1 : end < spec.total ? end : null;
    const note = windowNote(spec, count, next, oversized, count === candidates.length);
    const body = pretty(spec.envelope(shown));
    const text = note ? `${body}\n\n${note}` : body;
    if (text.length <= spec.budget || count === 0) {
      return new ToolAnswer(text, { total: spec.total, offset: spec.start, items: shown, next_offset: next, ...(note ? { note } : {}) });
    }
    count -= 1;
  }
}

function windowNote(spec: WindowSpec, count: number, next: number | null, oversized: boolean, wholeWindowShown: boolean): string | undefined {
  const note = windowSentence(spec, count, next, oversized, wholeWindowShown);
  return spec.caveat ? `${note ?? ''} ${spec.caveat}`.trim() : note;
}

function windowSentence(spec: WindowSpec, count: number, next: number | null, oversized: boolean, wholeWindowShown: boolean): string | undefined {
  const matching = spec.filter ? ` matching "${spec.filter}"` : '';
  const narrow = spec.filter ? '' : ', or a filter (a name substring, or a glob with *)';
  const detail = spec.detail ? ` ${spec.detail}` : '';
  if (oversized) {
    return `Item ${number(spec.start + 1)} of the ${number(spec.total)} ${spec.noun}${matching} alone is longer than the ${number(spec.budget)}-character answer budget.${detail} Pass offset=${spec.start + 1} to skip it, or raise the budget (LENSES_MAX_TOOL_OUTPUT_CHARS, or lenses.mcp.maxToolOutputChars in VS Code).`;
  }
  if (count === 0) {
    if (spec.total === 0) return spec.filter ? `No ${spec.noun} match the filter "${spec.filter}".` : `There are no ${spec.noun}.`;
    return `Offset ${spec.start} is past the end: there are ${number(spec.total)} ${spec.noun}${matching}. Pass a smaller offset.`;
  }
  const range = `showing ${number(spec.start + 1)}–${number(spec.start + count)} of ${number(spec.total)} ${spec.noun}${matching}`;
  if (next !== null) return `${range}; ${spec.nextHint(next, wholeWindowShown)}${narrow}.${detail}`;
  if (spec.start > 0) return `${range} (the last of them).`;
  return undefined;
}

/**
 * Text split into lines (logs), bounded the same way. Without offset/limit and when the
 * text does not fit, the most recent (last) lines are shown.
 */
export function linesAnswer(text: string, navigation: Navigation, budget: number, noun = 'lines'): ToolAnswer {
  const paged = navigation.offset != null || navigation.limit != null;
  if (!paged && !navigation.filter && text.length <= budget) return new ToolAnswer(text);
  const all = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const matches = nameMatcher(navigation.filter);
  const lines = navigation.filter ? all.filter(matches) : all;
  const room = budget - NOTE_RESERVE;
  const limit = Math.min(navigation.limit ?? MAX_PAGE_ITEMS, MAX_PAGE_ITEMS);
  let start: number;
  let count = 0;
  let used = 0;
  if (paged) {
    start = navigation.offset ?? 0;
    while (start + count < lines.length && count < limit && used + lines[start + count].length + 1 <= room) used += lines[start + count++].length + 1;
  } else {
    let first = lines.length;
    while (first > 0 && lines.length - first < limit && used + lines[first - 1].length + 1 <= room) used += lines[--first].length + 1;
    start = first;
    count = lines.length - first;
  }
  const matching = navigation.filter ? ` matching "${navigation.filter}"` : '';
  const narrow = navigation.filter ? '' : ', or a filter (a substring, or a glob with *)';
  const end = start + count;
  let note: string | undefined;
  if (count === 0 && start < lines.length) {
    note = `Line ${number(start + 1)} of the ${number(lines.length)} ${noun}${matching} alone is longer than the ${number(budget)}-character answer budget; pass offset=${start + 1} to skip it.`;
  } else if (count === 0) {
    note =
      lines.length === 0
        ? navigation.filter
          ? `No ${noun} match the filter "${navigation.filter}".`
          : `There are no ${noun}.`
        : `Offset ${start} is past the end: there are ${number(lines.length)} ${noun}${matching}.`;
  } else if (!paged && start > 0) {
    note = `showing ${noun} ${number(start + 1)}–${number(end)} of ${number(lines.length)}${matching} (the most recent); pass offset=0 (and limit) to read from the start${narrow}.`;
  } else if (end < lines.length) {
    note = `showing ${noun} ${number(start + 1)}–${number(end)} of ${number(lines.length)}${matching}; pass offset=${end} for the next ones${narrow}.`;
  } else if (start > 0 || navigation.filter) {
    note = `showing ${noun} ${number(start + 1)}–${number(end)} of ${number(lines.length)}${matching}.`;
  }
  const body = lines.slice(start, end).join('\n');
  return new ToolAnswer(note ? `${body}\n\n${note}` : body);
}

/** How many leading rows fit in `budget` characters once pretty-printed inside `envelope`. */
export function countThatFits(rows: readonly unknown[], budget: number, depth: number, envelope: (rows: unknown[]) => unknown = (r) => r): number {
  let used = pretty(envelope([])).length;
  const indent = 2 * depth;
  for (let index = 0; index < rows.length; index++) {
    const text = pretty(rows[index]);
    let lines = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
    used += text.length + lines * indent + 2;
    if (used > budget) return index;
  }
  return rows.length;
}

/** JSON as the tools have always printed it (two-space indentation). */
export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null';
}

/** The list of an answer that can be shortened by whole items, and how to put a shorter one back in its place. */
export interface ShortenableList {
  list: unknown[];
  /** The field holding the list; undefined when the answer is the list itself. */
  key?: string;
  rebuild: (items: unknown[]) => unknown;
}

/** The answer itself when it is an array, else its largest non-empty list field (by its JSON size); undefined when it has none. */
export function shortenableList(value: unknown): ShortenableList | undefined {
  if (Array.isArray(value)) return { list: value, rebuild: (items) => items };
  if (!isRecord(value)) return undefined;
  let key: string | undefined;
  let size = -1;
  for (const [name, field] of Object.entries(value)) {
    if (!Array.isArray(field) || field.length === 0) continue;
    const length = pretty(field).length;
    if (length > size) [key, size] = [name, length];
  }
  if (key === undefined) return undefined;
  const listKey = key;
  return { list: value[listKey] as unknown[], key: listKey, rebuild: (items) => ({ ...value, [listKey]: items }) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function number(value: number): string {
  return value.toLocaleString('en-US');
}
