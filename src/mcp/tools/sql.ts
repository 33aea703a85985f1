import { z } from 'zod';
import { executeSql } from '../../lenses';
import { SQL_SCOPES_NOTE } from '../governance/sqlStatements';
import { ToolAnswer } from './answer';
import { countThatFits, pretty } from './paging';
import { ANNOTATIONS, environmentArgument, defineTool, type LensesTool, type ToolContext } from './types';

/** The most records one answer holds; the stream is closed after one more (to know there were more). */
export const SQL_ROW_BUDGET = 1000;

/** Lenses SQL over HQ's SQL WebSocket. */
export const sqlTools: LensesTool[] = [
  defineTool({
    name: 'execute_sql',
    title: 'Execute SQL',
    description: `Runs a Lenses SQL statement or query and returns the resulting records. Answers are bounded: at most ${SQL_ROW_BUDGET} whole records and the server's character budget; a larger result stops early and says "truncated after N rows: add LIMIT or a WHERE", so write queries with LIMIT and WHERE. Reports progress while records arrive. Scopes by statement: ${SQL_SCOPES_NOTE}.`,
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      sql: z.string().min(1).max(100_000).describe('The SQL statement/query to execute.'),
    },
    run: runSql,
  }),
];

/** Report progress every this many records, so a big result does not flood the client. */
const PROGRESS_EVERY = 50;
/** Room for `{"records": …, "truncated": true, "note": …}` around the records. */
const ENVELOPE_RESERVE = 300;

async function runSql({ environment, sql }: { environment: string; sql: string }, { lenses, signal, progress, maxOutputChars }: ToolContext): Promise<unknown> {
  await progress(0, 'Query sent');
  const result = await executeSql(lenses, environment, sql, {
    signal,
    maxRecords: SQL_ROW_BUDGET + 1,
    onRecord: (count) => {
      if (count % PROGRESS_EVERY === 0) void progress(count, `${count} records`);
    },
  });
  const received = result.records.slice(0, SQL_ROW_BUDGET);
  let shown = countThatFits(received, maxOutputChars - ENVELOPE_RESERVE, 2);
  const complete = !result.truncated && result.records.length <= SQL_ROW_BUDGET && shown === received.length;
  await progress(received.length, `Done: ${received.length} records${complete ? '' : ' (stopped at the answer budget)'}`);
  if (complete) return result.records;
  for (;;) {
    const answer = truncatedAnswer(received.slice(0, shown));
    if (answer.text.length <= maxOutputChars || shown === 0) return answer;
    shown -= 1;
  }
}

/** Whole records only, and the sentence that says how to get a result that fits. */
function truncatedAnswer(records: unknown[]): ToolAnswer {
  const note =
    records.length === 0
      ? 'truncated after 0 rows: the first record alone is larger than the answer budget; select fewer fields, add a WHERE, or raise LENSES_MAX_TOOL_OUTPUT_CHARS'
      : `truncated after ${records.length} rows: add LIMIT or a WHERE (or select fewer fields)`;
  const structured = { records, truncated: true, note };
  return new ToolAnswer(pretty(structured), structured);
}
