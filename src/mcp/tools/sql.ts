import { z } from 'zod';
import { executeSql } from '../../lenses';
import { ANNOTATIONS, environmentArgument, defineTool, type LensesTool, type ToolContext } from './types';

/** Lenses SQL over HQ's SQL WebSocket. */
export const sqlTools: LensesTool[] = [
  defineTool({
    name: 'execute_sql',
    title: 'Execute SQL',
    description: 'Runs a Lenses SQL statement or query and returns the resulting records (at most 1000). Reports progress while records arrive.',
    scope: 'read',
    annotations: ANNOTATIONS.READS,
    input: {
      environment: environmentArgument(),
      sql: z.string().min(1).describe('The SQL statement/query to execute.'),
    },
    run: runSql,
  }),
];

/** Report progress every this many records, so a big result does not flood the client. */
const PROGRESS_EVERY = 50;

async function runSql({ environment, sql }: { environment: string; sql: string }, { lenses, signal, progress }: ToolContext): Promise<unknown> {
  await progress(0, 'Query sent');
  const result = await executeSql(lenses, environment, sql, {
    signal,
    onRecord: (count) => {
      if (count % PROGRESS_EVERY === 0) void progress(count, `${count} records`);
    },
  });
  await progress(result.records.length, `Done: ${result.records.length} records`);
  return result.truncated ? { records: result.records, truncated: true, note: 'Only the first 1000 records are returned; add a LIMIT.' } : result.records;
}
