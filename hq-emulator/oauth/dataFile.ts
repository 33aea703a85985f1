import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isStoreSnapshot, type StoreSnapshot } from './store';

/** What `--data FILE` holds: the OAuth store and the Lenses API state. */
export interface HqData {
  oauth?: StoreSnapshot;
  api?: unknown;
  /** The API key in use, reused when none is given. */ apiKey?: string;
}

/** Reads a data file; a missing file is an empty start. Throws a one-line error for a bad file. */
export function readDataFile(path: string): HqData {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--data ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`--data ${path} does not hold emulator state`);
  const { oauth, api, apiKey } = parsed as { oauth?: unknown; api?: unknown; apiKey?: unknown };
  if (oauth !== undefined && !isStoreSnapshot(oauth)) throw new Error(`--data ${path} holds an unknown OAuth state version`);
  return { oauth, api, apiKey: typeof apiKey === 'string' && apiKey ? apiKey : undefined };
}

/** Writes the file atomically (temp file + rename), so a crash never leaves half a file. */
export function writeDataFile(path: string, data: HqData): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(data));
  renameSync(temporary, path);
}
