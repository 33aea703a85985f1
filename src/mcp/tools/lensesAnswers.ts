/** Reading Lenses answers whose shape varies between Lenses versions, without trusting it. */
import type { LensesClient } from '../../lenses';
import { readAnswer, topLevelKeys, type Endpoint } from '../../lenses/contract';
import { ToolAnswer } from './answer';
import { countThatFits, pretty, shortenableList } from './paging';

type FieldType = { string: string; number: number; boolean: boolean };

/** `value[key]` when `value` is an object and the field has the given type. */
export function field<K extends keyof FieldType>(value: unknown, key: string, type: K): FieldType[K] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[key];
  return typeof found === type ? (found as FieldType[K]) : undefined;
}

/** `value[key]` when it is an array, else []. */
export function arrayOf(value: unknown, key: string): unknown[] {
  if (typeof value !== 'object' || value === null) return [];
  const found = (value as Record<string, unknown>)[key];
  return Array.isArray(found) ? found : [];
}

/**
 * An answer in no shape a known Lenses version publishes, passed through as the official
 * server does (degrade, never break): HQ's JSON within the budget, whole items where it holds
 * a list, then one line saying the shape was not recognised. The log names the endpoint and
 * the top-level keys. structuredContent only where the tool declares an outputSchema (`paged`),
 * which MCP requires every result to carry: the page of the items shown, as they came, and the note.
 */
export function unrecognisedAnswer(
  endpoint: Endpoint<unknown>,
  answer: unknown,
  lenses: Pick<LensesClient, 'noteUnrecognisedAnswer'>,
  budget: number,
  paged = false,
): ToolAnswer {
  const keys = topLevelKeys(answer);
  lenses.noteUnrecognisedAnswer(endpoint.request, keys);
  const note = `Lenses answered ${endpoint.request} in a shape this server does not recognise (${keys}); shown as it came, without filter, offset or limit.`;
  const { list, key: listKey, rebuild } = shortenableList(answer) ?? { list: [], rebuild: (items: unknown[]) => items };
  const page = (shown: readonly unknown[], text: string) =>
    new ToolAnswer(text, paged ? { total: list.length, offset: 0, items: shown.map(asObject), next_offset: null, note } : undefined);
  const whole = pretty(answer);
  if (whole.length + note.length + 2 <= budget) return page(list, `${whole}\n\n${note}`);
  for (let count = countThatFits(list, budget - note.length - 200, listKey === undefined ? 1 : 2, rebuild); count > 0; count--) {
    const text = `${pretty(rebuild(list.slice(0, count)))}\n\n${note} Showing the first ${count} of ${list.length} items.`;
    if (text.length <= budget) return page(list.slice(0, count), text);
  }
  return page([], `${note} It is ${whole.length.toLocaleString('en-US')} characters, over the answer budget, with no list to shorten by whole items.`);
}

/** A page item must be an object: anything else is wrapped as `{value}`. */
function asObject(item: unknown): Record<string, unknown> {
  return typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : { value: item };
}

/** Thrown by {@link known} for an answer in no published shape; `defineTool` answers it with {@link unrecognisedAnswer}. */
export class UnrecognisedLensesAnswer extends Error {
  override readonly name = 'UnrecognisedLensesAnswer';
  constructor(
    readonly endpoint: Endpoint<unknown>,
    readonly answer: unknown,
  ) {
    super(`Lenses answered ${endpoint.request} in a shape no known Lenses version publishes`);
  }
}

/** `answer` read through `endpoint` (the newest version whose shape it matches); throws {@link UnrecognisedLensesAnswer} otherwise. */
export function known<T>(endpoint: Endpoint<T>, answer: unknown): T {
  const read = readAnswer(endpoint, answer);
  if (read.known) return read.value;
  throw new UnrecognisedLensesAnswer(endpoint, answer);
}
