import type { ToolAnswer } from './answer';
import { MAX_PAGE_ITEMS, nameMatcher, windowAnswer, type Navigation } from './paging';

/**
 * Lists that Lenses pages itself (datasets, approval requests): the official `page` /
 * `page_size` arguments ask for one Lenses page; `filter` / `offset` / `limit` walk
 * Lenses' pages of {@link LENSES_PAGE_SIZE} in Lenses' own order.
 */

/** The largest page Lenses serves. */
export const LENSES_PAGE_SIZE = 1000;
/** A `filter` reads at most this many Lenses pages (the answer says so when it stopped early). */
const MAX_SCANNED_PAGES = 100;

export interface LensesPage {
  values: readonly unknown[];
  total: number;
  /** Lenses' whole answer (to rebuild the official shape around the rows shown). */
  answer: unknown;
}

export interface LensesPagedSpec {
  noun: string;
  nameOf(row: unknown): string;
  /** The item as shown (compact row); default the item. */
  row?: (item: unknown) => unknown;
  /** Fetches Lenses page `page` (1-based) of `pageSize` items. */
  fetchPage(page: number, pageSize: number): Promise<LensesPage>;
  detail?: string;
}

/** One Lenses page asked for with the official arguments, bounded; `envelope` rebuilds the official answer around the rows. */
export async function officialPageAnswer(
  spec: LensesPagedSpec & { page: number; pageSize: number; envelope(rows: unknown[], page: LensesPage): unknown; depth: number },
  budget: number,
): Promise<ToolAnswer> {
  const answer = await spec.fetchPage(spec.page, spec.pageSize);
  const rows = answer.values.map(spec.row ?? ((item) => item));
  return windowAnswer(rows, {
    noun: spec.noun,
    start: (spec.page - 1) * spec.pageSize,
    total: answer.total,
    budget,
    envelope: (shown) => spec.envelope(shown, answer),
    depth: spec.depth,
    detail: spec.detail,
    nextHint: (next, wholePage) => (wholePage ? `pass page=${spec.page + 1} (or offset=${next})` : `pass offset=${next}`),
  });
}

/** `filter`, `offset` and `limit` over Lenses' pages; the text is the bare list of rows. */
export async function navigatedAnswer(spec: LensesPagedSpec, navigation: Navigation, budget: number): Promise<ToolAnswer> {
  const row = spec.row ?? ((item: unknown) => item);
  const start = navigation.offset ?? 0;
  const limit = Math.min(navigation.limit ?? MAX_PAGE_ITEMS, MAX_PAGE_ITEMS);
  let candidates: unknown[];
  let total: number;
  let caveat: string | undefined;
  if (navigation.filter) {
    const matches = nameMatcher(navigation.filter);
    const found: unknown[] = [];
    let page = 1;
    let seen = 0;
    for (;;) {
      const answer = await spec.fetchPage(page, LENSES_PAGE_SIZE);
      for (const item of answer.values) {
        const shown = row(item);
        if (matches(spec.nameOf(shown))) found.push(shown);
      }
      seen += answer.values.length;
      if (answer.values.length === 0 || seen >= answer.total) break;
      if (page >= MAX_SCANNED_PAGES) {
        caveat = `Only the first ${seen} of the ${answer.total} ${spec.noun} were searched: narrow with the official filters.`;
        break;
      }
      page += 1;
    }
    total = found.length;
    candidates = found.slice(start, start + limit);
  } else {
    let page = Math.floor(start / LENSES_PAGE_SIZE) + 1;
    const first = await spec.fetchPage(page, LENSES_PAGE_SIZE);
    total = first.total;
    candidates = first.values.slice(start % LENSES_PAGE_SIZE).map(row);
    while (candidates.length < limit && page * LENSES_PAGE_SIZE < total) {
      page += 1;
      const more = await spec.fetchPage(page, LENSES_PAGE_SIZE);
      if (more.values.length === 0) break;
      candidates.push(...more.values.map(row));
    }
    candidates = candidates.slice(0, limit);
  }
  return windowAnswer(candidates, {
    noun: spec.noun,
    caveat,
    start,
    total,
    budget,
    envelope: (rows) => rows,
    depth: 1,
    filter: navigation.filter ?? undefined,
    detail: spec.detail,
    nextHint: (next) => `pass offset=${next}`,
  });
}
