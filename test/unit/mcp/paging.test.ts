import assert from 'node:assert/strict';
import { navigatedAnswer, officialPageAnswer, type LensesPage } from '../../../src/mcp/tools/lensesPages';
import { linesAnswer, listAnswer, nameMatcher, pretty } from '../../../src/mcp/tools/paging';

interface Topic {
  topicName: string;
  size: string;
}

const topics = (count: number, padding = 40): Topic[] =>
  Array.from({ length: count }, (_, i) => ({ topicName: `topic-${String(count - i).padStart(5, '0')}`, size: 'x'.repeat(padding) }));
const spec = { noun: 'topics', nameOf: (topic: Topic) => topic.topicName };

/** The JSON before the closing note, and the note (no answer may end in a cut value). */
function split(text: string): { body: unknown; note?: string } {
  const at = text.lastIndexOf('\n\n');
  return at < 0 ? { body: JSON.parse(text) } : { body: JSON.parse(text.slice(0, at)), note: text.slice(at + 2) };
}

describe('bounded answers (paging.ts)', () => {
  describe('filter', () => {
    it('is a case-insensitive substring, or a whole-name glob when it has *', () => {
      assert.equal(nameMatcher('PAY')('payments.v1'), true);
      assert.equal(nameMatcher('pay')('orders'), false);
      assert.equal(nameMatcher('orders*')('orders.v2'), true);
      assert.equal(nameMatcher('orders*')('old-orders'), false);
      assert.equal(nameMatcher('*.v2')('orders..v2'), true);
      assert.equal(nameMatcher('a*b*c')('aXXbYYc'), true);
      assert.equal(nameMatcher('a*b*c')('aXXcYYb'), false);
      assert.equal(nameMatcher(undefined)('anything'), true);
    });

    it('a glob with many stars against a long name answers at once (no backtracking blow-up)', () => {
      const started = process.hrtime.bigint();
      assert.equal(nameMatcher(`${'a*'.repeat(100)}b`)('a'.repeat(249)), false);
      assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1000);
    });
  });

  describe('lists', () => {
    it('a list that fits is answered exactly as the official answer, in Lenses order, with no note', () => {
      const items = topics(5);
      const answer = listAnswer(items, {}, 24_000, spec);
      assert.equal(answer.text, pretty(items));
      assert.deepEqual(answer.structured, { total: 5, offset: 0, items, next_offset: null });
    });

    it('a list over the budget: whole items in name order within the budget, then how to see more', () => {
      const items = topics(2000);
      const answer = listAnswer(items, {}, 5_000, spec);
      assert.ok(answer.text.length <= 5_000, String(answer.text.length));
      const { body, note } = split(answer.text);
      const shown = body as Topic[];
      assert.ok(shown.length > 10);
      assert.deepEqual(shown[0], items.at(-1), 'name order: topic-00001 first');
      assert.match(note ?? '', new RegExp(`^showing 1–${shown.length} of 2,000 topics; pass offset=${shown.length}, or a filter`));
      assert.equal(answer.structured?.next_offset, shown.length);
      assert.deepEqual(answer.structured?.items, shown);
    });

    it('offset and limit page through every item exactly once', () => {
      const items = topics(777);
      const seen: string[] = [];
      let offset: number | null = 0;
      let pages = 0;
      while (offset !== null) {
        const answer = listAnswer(items, { offset, limit: 50 }, 3_000, spec);
        assert.ok(answer.text.length <= 3_000);
        const page = answer.structured as { items: Topic[]; next_offset: number | null; offset: number };
        assert.equal(page.offset, offset);
        seen.push(...page.items.map((t) => t.topicName));
        offset = page.next_offset;
        pages++;
      }
      assert.ok(pages > 777 / 50);
      assert.deepEqual(seen, items.map((t) => t.topicName).sort());
    });

    it('filter narrows before paging; the note says how many match', () => {
      const items = topics(300);
      const answer = listAnswer(items, { filter: 'topic-001*' }, 2_500, spec);
      const page = answer.structured as { total: number; items: Topic[] };
      assert.equal(page.total, 100);
      assert.ok(page.items.every((t) => t.topicName.startsWith('topic-001')));
      assert.match(split(answer.text).note ?? '', /of 100 topics matching "topic-001\*"; pass offset=\d+\.$/);
      assert.equal(listAnswer(items, { filter: 'nothing' }, 2_500, spec).text, '[]\n\nNo topics match the filter "nothing".');
    });

    it('an offset past the end says so; the last page says it is the last', () => {
      assert.match(listAnswer(topics(10), { offset: 50 }, 24_000, spec).text, /Offset 50 is past the end: there are 10 topics/);
      const last = listAnswer(topics(10), { offset: 8 }, 24_000, spec);
      assert.match(last.text, /showing 9–10 of 10 topics \(the last of them\)\.$/);
      assert.equal(last.structured?.next_offset, null);
    });

    it('one item larger than the budget is never cut: none shown, and how to skip it', () => {
      const answer = listAnswer(
        [
          { topicName: 'huge', size: 'x'.repeat(10_000) },
          { topicName: 'small', size: '' },
        ],
        {},
        2_000,
        spec,
      );
      const page = answer.structured as { items: unknown[]; next_offset: number };
      assert.deepEqual(page.items, []);
      assert.equal(page.next_offset, 1);
      assert.match(answer.text, /Item 1 of the 2 topics alone is longer than the 2,000-character answer budget.*Pass offset=1 to skip it/);
    });

    it('an official envelope stays around the rows (`{connectors: [...]}`)', () => {
      const items = topics(400);
      const answer = listAnswer(items, {}, 4_000, { ...spec, envelope: (connectors) => ({ connectors }), depth: 2 });
      assert.ok(answer.text.length <= 4_000);
      const body = split(answer.text).body as { connectors: Topic[] };
      assert.ok(body.connectors.length > 0 && body.connectors.length < 400);
    });
  });

  describe('lines (logs)', () => {
    const log = Array.from({ length: 1000 }, (_, i) => `2026-11-01T09:00:00Z INFO line ${i + 1}`).join('\n') + '\n';

    it('a log that fits comes back unchanged', () => {
      assert.equal(linesAnswer('a\nb\n', {}, 24_000).text, 'a\nb\n');
    });

    it('a log over the budget shows its most recent whole lines and how to read from the start', () => {
      const { text } = linesAnswer(log, {}, 4_000, 'log lines');
      assert.ok(text.length <= 4_000);
      const [body, note] = text.split('\n\n');
      const lines = body.split('\n');
      assert.equal(lines.at(-1), '2026-11-01T09:00:00Z INFO line 1000');
      assert.ok(lines.every((line) => /^2026-11-01T09:00:00Z INFO line \d+$/.test(line)));
      assert.match(note, /^showing log lines \d+–1,000 of 1,000 \(the most recent\); pass offset=0/);
    });

    it('offset reads from the start; filter keeps matching lines', () => {
      const first = linesAnswer(log, { offset: 0, limit: 10 }, 24_000, 'log lines').text;
      assert.match(first, /^2026-11-01T09:00:00Z INFO line 1\n/);
      assert.match(first, /showing log lines 1–10 of 1,000; pass offset=10/);
      const filtered = linesAnswer(log, { filter: 'line 99' }, 24_000, 'log lines').text;
      assert.deepEqual(
        filtered.split('\n\n')[0].split('\n'),
        ['line 99', 'line 990', 'line 991', 'line 992', 'line 993', 'line 994', 'line 995', 'line 996', 'line 997', 'line 998', 'line 999'].map(
          (l) => `2026-11-01T09:00:00Z INFO ${l}`,
        ),
      );
    });
  });

  describe('lists Lenses pages itself (datasets, approvals)', () => {
    /** A stand-in for Lenses' paged route over `total` named items; records the pages asked for. */
    function pagedLenses(total: number) {
      const asked: Array<[number, number]> = [];
      const fetchPage = async (page: number, pageSize: number): Promise<LensesPage> => {
        asked.push([page, pageSize]);
        const from = (page - 1) * pageSize;
        const values = Array.from({ length: Math.max(0, Math.min(pageSize, total - from)) }, (_, i) => ({ name: `ds-${String(from + i).padStart(6, '0')}` }));
        return { values, total, answer: { values, totalCount: total } };
      };
      return { asked, spec: { noun: 'datasets', nameOf: (row: unknown) => (row as { name: string }).name, fetchPage } };
    }

    it('the official page/page_size: one Lenses call, the official envelope, and "pass page=N" when the page was shown whole', async () => {
      const lenses = pagedLenses(300);
      const answer = await officialPageAnswer(
        { ...lenses.spec, page: 2, pageSize: 25, envelope: (rows, page) => ({ ...(page.answer as object), values: rows }), depth: 2 },
        24_000,
      );
      assert.deepEqual(lenses.asked, [[2, 25]]);
      const { body, note } = split(answer.text);
      assert.equal((body as { values: unknown[] }).values.length, 25);
      assert.equal(note, 'showing 26–50 of 300 datasets; pass page=3 (or offset=50), or a filter (a name substring, or a glob with *).');
      assert.equal(answer.structured?.offset, 25);
    });

    it('offset crossing a Lenses page boundary reads the two pages it needs, in order', async () => {
      const lenses = pagedLenses(5000);
      const answer = await navigatedAnswer(lenses.spec, { offset: 1990, limit: 20 }, 24_000);
      assert.deepEqual(lenses.asked, [
        [2, 1000],
        [3, 1000],
      ]);
      assert.deepEqual(
        (answer.structured?.items as Array<{ name: string }>).map((d) => d.name),
        Array.from({ length: 20 }, (_, i) => `ds-${String(1990 + i).padStart(6, '0')}`),
      );
    });

    it('a filter searches at most 100 Lenses pages and says so', async () => {
      const lenses = pagedLenses(150_000);
      const answer = await navigatedAnswer(lenses.spec, { filter: 'ds-0000*' }, 24_000);
      assert.equal(lenses.asked.length, 100);
      assert.equal(answer.structured?.total, 100);
      assert.match(String(answer.structured?.note), /Only the first 100000 of the 150000 datasets were searched: narrow with the official filters\.$/);
    });
  });
});
