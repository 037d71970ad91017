// The database as the core sees it: any drizzle Postgres database (node-postgres, PGlite or Neon's Pool),
// plus helpers to run raw SQL and read its rows. Hot-path writes are hand-written SQL (CTEs) in *.queries.ts.
import { type Query, SQL, StringChunk, entityKind } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Run a statement and return its rows. All three drivers answer with `{ rows }`. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

function rowsOf<T extends Record<string, unknown>>(result: unknown): T[] {
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) {
    // The row shape is fixed by the SQL text next to each call; this is the one place it is asserted.
    return result.rows as T[];
  }
  throw new Error('Unexpected driver result: no rows array');
}

// Named prepared statements. drizzle's `execute` sends unnamed statements, so Postgres parses and plans the
// ~12 KB turn query on every event; a named statement is parsed once per pooled connection (pg and Neon's Pool
// remember what each connection has parsed) and its plan is cached there. Only databases opened by
// src/db/node.ts (node-postgres) and src/worker.ts (Neon) opt in; PGlite and transactions keep unnamed statements
// (a failed statement inside a transaction aborts it, so the fallback below could not retry there), unless a
// transaction is marked by namedInTransaction.
const namedCapable = new WeakSet<Db>();
const dialect = new PgDialect();
/** Bounds the statements each connection may hold when generated SQL varies (writeTurn's effect CTEs). */
const MAX_NAMES = 64;
/** The names issued per database (pool), so each pool has its own bound, also when one process opens several. */
const issuedNames = new WeakMap<Db, Set<string>>();
/** Bumped when a cached plan went stale (a migration changed a result type), so connections parse afresh. */
let generation = 0;
/**
 * Databases (pools) whose server showed that statement names are not per connection (a pooler in transaction mode,
 * or one shared session behind several connections): names are given up for that pool's life. Per pool, not per
 * process: a process may hold a direct pool beside a pooled one (and the test workers share module state).
 */
const namesShared = new WeakSet<Db>();

/** Transactions whose statements may be named, with the database (pool) they run on. */
const transactionOf = new WeakMap<Db, Db>();

/**
 * Lets queryRowsPrepared name the statements of a transaction of `db`, as it names the pool's (the transaction holds
 * one connection, which keeps what it has parsed). Inside a transaction a failed statement aborts it, so a name the
 * server refuses is not retried unnamed there: the error goes up (a unit of work is retried) and the pool's flags
 * make the retry unnamed.
 */
export function namedInTransaction<D extends Db>(tx: D, db: Db): D {
  if (namedCapable.has(db)) transactionOf.set(tx, db);
  return tx;
}

/**
 * The database (pool) whose names and flags a statement on `db` uses, when it may be named: `db` itself, or the pool
 * of a transaction marked by namedInTransaction. Undefined: run it unnamed.
 */
function namingPool(db: Db): Db | undefined {
  const pool = transactionOf.get(db) ?? db;
  return namedCapable.has(pool) && !namesShared.has(pool) ? pool : undefined;
}

/** The name a fixed statement is prepared under now (with the plan generation, as statementName). */
const currentName = (name: string) => (generation === 0 ? name : `${name}_${generation}`);

/** Whether this database gave statement names up (behind a pooler that does not keep them per connection). */
export function namedStatementsGivenUp(db: Db): boolean {
  return namesShared.has(db);
}

/** Marks a database whose driver keeps named statements per connection (node-postgres, Neon's Pool). */
export function enableNamedStatements<D extends Db>(db: D): D {
  namedCapable.add(db);
  return db;
}

/**
 * As queryRows, but as a named prepared statement where the driver allows it. The name carries a hash of the
 * text, so SQL that varies by branch gets one statement per variant instead of a "different statement" error.
 */
export async function queryRowsPrepared<T extends Record<string, unknown>>(
  db: Db,
  name: string,
  query: SQL,
): Promise<T[]> {
  const pool = namingPool(db);
  if (pool === undefined) return queryRows<T>(db, query);
  const built = dialect.sqlToQuery(query);
  return runNamed<T>(db, pool, statementName(name, built.sql), built, undefined);
}

/** A statement whose text is built once (see fixedStatement); each run sends only its name and values. */
export interface FixedStatement {
  /** The caller's name and a hash of the text, computed once. */
  readonly name: string;
  readonly query: Query;
}

/** Builds a statement's text once, with `sql.placeholder(…)` where each run's values go. */
export function fixedStatement(name: string, query: SQL): FixedStatement {
  const built = dialect.sqlToQuery(query);
  return { name: `${name}_${shortHash(built.sql)}`, query: built };
}

/**
 * Runs a fixed statement with its placeholders' values: named where the driver allows (as queryRowsPrepared, also
 * in a transaction marked by namedInTransaction), otherwise unnamed. Nothing is built or hashed per run.
 */
export async function queryRowsFixed<T extends Record<string, unknown>>(
  db: Db,
  statement: FixedStatement,
  values: Record<string, unknown>,
): Promise<T[]> {
  const pool = namingPool(db);
  if (pool === undefined)
    return rowsOf<T>(await db._.session.prepareQuery(statement.query, undefined, undefined, false).execute(values));
  return runNamed<T>(db, pool, currentName(statement.name), statement.query, values);
}

/**
 * Statements whose text is assembled from many SQL pieces per run (writeTurn's effect CTEs), each shape's text
 * built and hashed once. A run's SQL is walked and compared, piece by piece, with the shapes already built under
 * its key (the same template literals give the same strings, so most comparisons are one pointer): when one
 * matches, only its values are collected. Values may change a shape (a handler's branch, an array's length): a
 * mismatch builds the new shape once, the way drizzle builds any SQL, and keeps it beside the others.
 */
export class ShapedStatements {
  private readonly byKey = new Map<string, Shape[]>();
  /** Shapes built so far (a test's proof that a repeated shape is not built again). */
  built = 0;

  /**
   * @param name the statements' name prefix (each shape adds a hash of its text)
   * @param maxShapesPerKey shapes kept per key; beyond it a new shape still runs, built for that run only
   */
  constructor(
    private readonly name: string,
    private readonly maxShapesPerKey = 8,
  ) {}

  /** The statement and values for `query`, whose shape is usually decided by `key` (e.g. its effect types). */
  statement(key: string, query: SQL): { statement: FixedStatement; params: unknown[] } {
    const shapes = this.byKey.get(key);
    if (shapes !== undefined) {
      for (const shape of shapes) {
        const params: unknown[] = [];
        if (walk(query, shape.tokens, 0, params) === shape.tokens.length) return { statement: shape.statement, params };
      }
    }
    const built = dialect.sqlToQuery(query);
    this.built++;
    const tokens: Token[] = [];
    const params: unknown[] = [];
    const statement: FixedStatement = { name: `${this.name}_${shortHash(built.sql)}`, query: built };
    // Kept only when walking gives drizzle's own text and values; anything else (a column or table object, inlined
    // params) is built afresh on every run.
    if (tokenize(query, tokens, params) && textOf(tokens) === built.sql && sameValues(params, built.params)) {
      const list = shapes ?? [];
      if (list.length < this.maxShapesPerKey) list.unshift({ tokens, statement });
      this.byKey.set(key, list);
    }
    return { statement, params: built.params };
  }
}

/** SQL.inlineParams() marks a piece whose values go into the text (private in drizzle's types). */
const inlines = (query: SQL): boolean => Reflect.get(query, 'shouldInlineParams') === true;

/** A parameter's place in a shape's tokens. */
const PARAM: unique symbol = Symbol('param');
type Token = string | typeof PARAM;
interface Shape {
  readonly tokens: readonly Token[];
  readonly statement: FixedStatement;
}

/** A value drizzle sends as a parameter ($n) as it stands: anything but a drizzle entity, SQL or an array. */
function isPlainValue(chunk: unknown): boolean {
  if (chunk === null || typeof chunk !== 'object') return true;
  if (Array.isArray(chunk)) return false;
  const ctor: unknown = (chunk as { constructor?: unknown }).constructor;
  return (
    !(typeof ctor === 'function' && entityKind in ctor) && typeof (chunk as { getSQL?: unknown }).getSQL !== 'function'
  );
}

/**
 * Matches `query`'s pieces against `tokens` from `at`, collecting its values into `params`: the index after the
 * last matched token, or -1 on the first difference. The cases are those of drizzle's buildQueryFromSourceParams
 * that tokenize() accepts.
 */
function walk(query: SQL, tokens: readonly Token[], at: number, params: unknown[]): number {
  if (inlines(query)) return -1;
  let i = at;
  for (const chunk of query.queryChunks) {
    if (chunk instanceof StringChunk) {
      for (const part of chunk.value) if (part !== '' && tokens[i++] !== part) return -1;
    } else if (chunk instanceof SQL) {
      i = walk(chunk, tokens, i, params);
      if (i < 0) return -1;
    } else if (chunk === undefined) {
      continue;
    } else if (Array.isArray(chunk)) {
      if (tokens[i++] !== '(') return -1;
      for (let k = 0; k < chunk.length; k++) {
        if (k > 0 && tokens[i++] !== ', ') return -1;
        if (!isPlainValue(chunk[k]) || tokens[i++] !== PARAM) return -1;
        params.push(chunk[k]);
      }
      if (tokens[i++] !== ')') return -1;
    } else if (isPlainValue(chunk)) {
      if (tokens[i++] !== PARAM) return -1;
      params.push(chunk);
    } else {
      return -1;
    }
  }
  return i;
}

/** `query` as tokens (text pieces and parameters) and values; false when it holds a piece walk() cannot follow. */
function tokenize(query: SQL, tokens: Token[], params: unknown[]): boolean {
  if (inlines(query)) return false;
  for (const chunk of query.queryChunks) {
    if (chunk instanceof StringChunk) {
      for (const part of chunk.value) if (part !== '') tokens.push(part);
    } else if (chunk instanceof SQL) {
      if (!tokenize(chunk, tokens, params)) return false;
    } else if (chunk === undefined) {
      continue;
    } else if (Array.isArray(chunk)) {
      tokens.push('(');
      for (let k = 0; k < chunk.length; k++) {
        if (k > 0) tokens.push(', ');
        if (!isPlainValue(chunk[k])) return false;
        tokens.push(PARAM);
        params.push(chunk[k]);
      }
      tokens.push(')');
    } else if (isPlainValue(chunk)) {
      tokens.push(PARAM);
      params.push(chunk);
    } else {
      return false;
    }
  }
  return true;
}

/** The text drizzle's PgDialect gives the tokens: each parameter as $n. */
function textOf(tokens: readonly Token[]): string {
  let n = 0;
  return tokens.map((t) => (t === PARAM ? `$${++n}` : t)).join('');
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/** Runs a statement from ShapedStatements with its values, named where the driver allows (as queryRowsFixed). */
export async function queryRowsShaped<T extends Record<string, unknown>>(
  db: Db,
  shaped: { statement: FixedStatement; params: unknown[] },
): Promise<T[]> {
  const query: Query = { sql: shaped.statement.query.sql, params: shaped.params };
  const pool = namingPool(db);
  if (pool === undefined)
    return rowsOf<T>(await db._.session.prepareQuery(query, undefined, undefined, false).execute());
  return runNamed<T>(db, pool, currentName(shaped.statement.name), query, undefined);
}

async function runNamed<T extends Record<string, unknown>>(
  db: Db,
  /** Whose names and flags these are (namingPool): `db`, or the pool of the marked transaction `db` is. */
  pool: Db,
  statement: string,
  built: Query,
  values: Record<string, unknown> | undefined,
): Promise<T[]> {
  const issued = issuedNames.get(pool) ?? new Set<string>();
  issuedNames.set(pool, issued);
  if (!issued.has(statement)) {
    if (issued.size >= MAX_NAMES)
      return rowsOf<T>(await db._.session.prepareQuery(built, undefined, undefined, false).execute(values));
    issued.add(statement);
  }
  const session = db._.session;
  try {
    return rowsOf<T>(await session.prepareQuery(built, undefined, statement, false).execute(values));
  } catch (err) {
    const code = pgErrorCode(err);
    if (code === '0A000') {
      // The statement was prepared before a migration; later calls use fresh names, this one runs unnamed.
      generation++;
      issued.clear();
    } else if (code === '42P05' || code === '26000') {
      // "already exists" on a connection that never parsed it, or "does not exist" on one that did: the names
      // belong to something other than this connection. The statement did not run, so running it unnamed is safe.
      namesShared.add(pool);
    } else {
      throw err;
    }
    // Inside a transaction the failed statement aborted it: the unit of work is retried, unnamed by the flags above.
    if (pool !== db) throw err;
    return rowsOf<T>(await session.prepareQuery(built, undefined, undefined, false).execute(values));
  }
}

/** The name a statement is prepared under now: the caller's name, a hash of the text, and the plan generation. */
export function statementName(name: string, text: string): string {
  return currentName(`${name}_${shortHash(text)}`);
}

/** 64 bits of FNV-1a (two 32-bit lanes) as 16 hex digits; synchronous, the same on Node and Workers. */
export function shortHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** SQLSTATE of errors that mean "try again": serialization failure and deadlock. */
export function isRetryableDbError(err: unknown): boolean {
  const code = pgErrorCode(err);
  return code === '40001' || code === '40P01';
}

export function pgErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  // drizzle wraps driver errors in DrizzleQueryError with the original in `cause`.
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    if ('code' in e && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = 'cause' in e ? e.cause : undefined;
  }
  return undefined;
}

/** A pooled client as node-postgres' and Neon's pools hand it out. */
export interface PooledClient {
  on(event: 'error', listener: (err: Error) => void): unknown;
  release(err?: Error | boolean): void;
}

/** The events of node-postgres' pool (pg-pool) that say when a client is handed out and given back. */
export interface ClientPool<C extends PooledClient> {
  on(event: 'connect' | 'acquire', listener: (client: C) => void): unknown;
  on(event: 'release', listener: (err: Error, client: C) => void): unknown;
}

/**
 * pg-pool listens for a client's 'error' only while the client is idle. One whose connection dies while it is
 * handed out (a backend killed inside a transaction) emits 'error' with nobody listening, an uncaught exception
 * that takes the process down, and it stays counted against the pool until its holder releases it: drizzle's
 * transaction() never does when its BEGIN is the statement that fails, so pool.end() would wait forever. Here such
 * a client is released with its error at once (the pool drops it and opens a fresh one for the next caller); the
 * holder's own statement fails with the same error, and its later release is a no-op.
 */
export function releaseLostClients<C extends PooledClient>(pool: ClientPool<C>): void {
  const handedOut = new WeakSet<C>();
  pool.on('acquire', (client) => handedOut.add(client));
  pool.on('release', (_err, client) => handedOut.delete(client));
  pool.on('connect', (client) =>
    client.on('error', (err) => {
      if (!handedOut.has(client)) return; // idle: the pool's own listener drops it
      const release = client.release.bind(client);
      client.release = () => {};
      release(err);
    }),
  );
}
