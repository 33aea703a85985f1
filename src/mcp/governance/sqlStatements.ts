import type { Scope } from '../../scopes';

/**
 * What a Lenses SQL text does, statement by statement, for the governance rules: `execute_sql`
 * is listed as a read tool, but Lenses SQL also inserts, deletes, truncates, creates and drops.
 * Only each statement's leading keywords are read; everything not recognised counts as a delete
 * (fail closed), and a text of several statements takes the strongest.
 */

/** One statement of a SQL text, without its comments. */
export interface SqlStatement {
  /** The leading keywords, upper case ("DELETE FROM", "SELECT", "SET max.size"). */
  keywords: string;
  scope: Scope;
  /** The table a write or delete statement names (what the user types back to confirm a delete). */
  table?: string;
  /** The statement as written, comments left out and each gap one space: what the confirmation shows. */
  text: string;
}

export interface SqlClassification {
  /** The strongest scope of its statements (`read` for a text with none). */
  scope: Scope;
  statements: SqlStatement[];
}

/** Which statements need which scope, in words (execute_sql's description and its refusals). */
export const SQL_SCOPES_NOTE =
  'SELECT, SHOW, DESCRIBE, EXPLAIN and SET of a query setting (max.size, max.query.time, …) need "read"; INSERT and CREATE need "write"; DELETE, TRUNCATE, DROP and any other statement need "delete"';

/** `SET <key> = …` of these query settings changes no data (Lenses SQL snapshot tuning). */
export const QUERY_SETTINGS: ReadonlySet<string> = new Set([
  'max.size',
  'max.bytes',
  'max.query.time',
  'max.time',
  'max.idle.time',
  'show.bad.records',
  'skip.bad.records',
  'format.timestamp',
  'format.decimal',
  'live.aggs',
  'max.group.records',
  'optimize.kafka.partition',
  'query.parallel',
  'query.buffer',
  'kafka.offset.timeout',
]);

/** The first keyword of a statement and what it needs; anything else is unknown (a delete). */
const LEADING: Readonly<Record<string, Scope>> = {
  SELECT: 'read',
  SHOW: 'read',
  DESCRIBE: 'read',
  INSERT: 'write',
  CREATE: 'write',
  DELETE: 'delete',
  TRUNCATE: 'delete',
  DROP: 'delete',
};

const STRENGTH: Readonly<Record<Scope, number>> = { read: 0, write: 1, delete: 2 };

export function strongerScope(a: Scope, b: Scope): Scope {
  return STRENGTH[a] >= STRENGTH[b] ? a : b;
}

/** The ways a server might read a SQL text that this classifier cannot tell apart. */
interface Reading {
  /** A backslash escapes the next character inside quotes. */
  backslashEscapes: boolean;
  /** `/* … *\/` is a comment. */
  blockComments: boolean;
}

const READINGS: readonly Reading[] = [
  { backslashEscapes: false, blockComments: true },
  { backslashEscapes: true, blockComments: true },
  { backslashEscapes: false, blockComments: false },
  { backslashEscapes: true, blockComments: false },
];

/**
 * Classifies a SQL text. The text is read in every way a server might (backslash escapes in
 * quotes or not, block comments or not) and the strongest answer kept, so a quote or comment
 * the server reads differently cannot hide a statement. The first reading (standard SQL) is
 * taken whole; the others add the statements they see that start with a word (what starts with
 * punctuation there is a parse error, which runs nothing). A quote or comment left open in
 * every reading makes the text unknown (a delete).
 */
export function classifySql(sql: string): SqlClassification {
  const lexed = READINGS.map((reading) => lex(sql, reading));
  const openEverywhere = lexed.every((reading) => reading.unterminated);
  const readings = lexed.map((reading, index): SqlClassification => {
    const statements = reading.statements.filter((tokens) => index === 0 || startsWithWord(tokens)).map(classifyStatement);
    if (index === 0 && openEverywhere) statements.push({ keywords: 'UNTERMINATED', scope: 'delete', text: 'an unterminated quote or comment' });
    return { scope: statements.reduce<Scope>((strongest, statement) => strongerScope(strongest, statement.scope), 'read'), statements };
  });
  return readings.reduce((strongest, next) => (STRENGTH[next.scope] > STRENGTH[strongest.scope] ? next : strongest));
}

function startsWithWord(tokens: Token[]): boolean {
  return tokens[0] !== undefined && !tokens[0].quoted && tokens[0].word !== undefined;
}

interface Token {
  /** Upper-cased word, or the unquoted identifier; undefined for punctuation and literals. */
  word?: string;
  /** Quoted identifiers and strings are never keywords. */
  quoted: boolean;
  source: string;
  /** Where it starts and ends in the text (to keep the statement's own spacing). */
  start: number;
  end: number;
}

function classifyStatement(tokens: Token[]): SqlStatement {
  const text = tokens.map((token, i) => (i > 0 && token.start > tokens[i - 1].end ? ` ${token.source}` : token.source)).join('');
  const keyword = (i: number) => (tokens[i] && !tokens[i].quoted ? tokens[i].word : undefined);
  const first = keyword(0);
  if (first === 'EXPLAIN') {
    // EXPLAIN of a statement needs what the statement needs (fail closed for what it cannot read).
    const explained = classifyStatement(tokens.slice(1));
    return { ...explained, keywords: `EXPLAIN ${explained.keywords}`, text };
  }
  if (first === 'SET') {
    const key = tokens[1]?.word?.toLowerCase();
    const isQuerySetting = key !== undefined && QUERY_SETTINGS.has(key) && tokens[2]?.source === '=';
    return { keywords: `SET ${tokens[1]?.source ?? ''}`.trim(), scope: isQuerySetting ? 'read' : 'delete', text };
  }
  const scope = first !== undefined ? LEADING[first] : undefined;
  if (scope === undefined) return { keywords: first ?? (tokens[0]?.source.slice(0, 40) || 'UNKNOWN'), scope: 'delete', text };
  const second = keyword(1);
  const table = scope === 'read' ? undefined : tableOf(first ?? '', tokens);
  return { keywords: [first, second].filter(Boolean).join(' '), scope, text, ...(table ? { table } : {}) };
}

/** The table after `INSERT INTO`, `DELETE FROM`, `TRUNCATE [TABLE]`, `CREATE TABLE`, `DROP TABLE`. */
function tableOf(first: string, tokens: Token[]): string | undefined {
  let i = 1;
  const skip = (word: string) => {
    if (!tokens[i]?.quoted && tokens[i]?.word === word) i += 1;
  };
  if (first === 'INSERT') skip('INTO');
  else if (first === 'DELETE') skip('FROM');
  else skip('TABLE');
  if (first === 'DROP' || first === 'CREATE') for (const word of ['IF', 'NOT', 'EXISTS']) skip(word);
  const name = tokens[i];
  return name?.word !== undefined ? (name.quoted ? name.word : name.source) : undefined;
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_.$-]/;
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/g;

/** Splits a SQL text into statements of tokens: `--` and block comments dropped, quotes kept whole, `;` ends a statement. */
function lex(sql: string, { backslashEscapes, blockComments }: Reading): { statements: Token[][]; unterminated: boolean } {
  const statements: Token[][] = [];
  let current: Token[] = [];
  let i = 0;
  const end = () => {
    if (current.length > 0) statements.push(current);
    current = [];
  };
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      // Any line break ends it: a server that ends comments at \r too must not see more than this reads.
      LINE_BREAK.lastIndex = i;
      const lineBreak = LINE_BREAK.exec(sql);
      i = lineBreak === null ? sql.length : lineBreak.index + 1;
    } else if (blockComments && c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close === -1) return { statements: [...statements, ...(current.length ? [current] : [])], unterminated: true };
      i = close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const closeAt = closingQuote(sql, i, backslashEscapes);
      if (closeAt === -1) return { statements: [...statements, ...(current.length ? [current] : [])], unterminated: true };
      const source = sql.slice(i, closeAt + 1);
      // Single quotes are string literals; double quotes and backticks name identifiers (tables, settings).
      current.push({ quoted: true, source, word: c === "'" ? undefined : unquoted(source, c), start: i, end: closeAt + 1 });
      i = closeAt + 1;
    } else if (c === ';') {
      end();
      i += 1;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      // A `--` ends a word: what follows is a comment, as the server reads it.
      while (j < sql.length && WORD_PART.test(sql[j]) && !(sql[j] === '-' && sql[j + 1] === '-')) j += 1;
      const source = sql.slice(i, j);
      current.push({ quoted: false, source, word: source.toUpperCase(), start: i, end: j });
      i = j;
    } else {
      current.push({ quoted: false, source: c, start: i, end: i + 1 });
      i += 1;
    }
  }
  end();
  return { statements, unterminated: false };
}

/** The index of the quote closing the one at `start` (a doubled quote is part of the text), or -1. */
function closingQuote(sql: string, start: number, backslashEscapes: boolean): number {
  const quote = sql[start];
  let i = start + 1;
  while (i < sql.length) {
    if (backslashEscapes && sql[i] === '\\') {
      i += 2;
    } else if (sql[i] === quote) {
      if (sql[i + 1] !== quote) return i;
      i += 2;
    } else {
      i += 1;
    }
  }
  return -1;
}

function unquoted(source: string, quote: string): string {
  return source
    .slice(1, -1)
    .split(quote + quote)
    .join(quote);
}

/** The most characters of SQL a confirmation question shows; the rest is summarised. */
const MAX_SHOWN_CHARS = 1_000;

/** The statements as the confirmation shows them: comments left out, bounded. */
export function shownSql(classification: SqlClassification): string {
  const text = classification.statements.map((statement) => statement.text).join('; ');
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}… (${text.length - MAX_SHOWN_CHARS} more characters)` : text;
}
