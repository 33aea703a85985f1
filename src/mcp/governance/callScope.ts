import type { Scope } from '../../scopes';
import type { ToolCard } from '../tools/toolCard';
import { classifySql, strongerScope } from './sqlStatements';

/** The tool whose scope depends on what its SQL does. */
export const SQL_TOOL = 'execute_sql';

/**
 * The scope one call needs: the tool's own, or for `execute_sql` what its statements do
 * (`INSERT`/`CREATE` write, `DELETE`/`TRUNCATE`/`DROP` and anything unknown delete). Invalid
 * arguments keep the tool's scope: the tool refuses them before anything reaches HQ.
 */
export function callScope(tool: Pick<ToolCard, 'name' | 'scope'>, args: Readonly<Record<string, unknown>>): Scope {
  if (tool.name === SQL_TOOL && typeof args.sql === 'string') return strongerScope(tool.scope, classifySql(args.sql).scope);
  return tool.scope;
}
