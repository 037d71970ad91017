// Small tools shared by benches: serve a fetch handler on a loopback port, count what reaches Postgres, and
// format numbers. Nothing here knows about nithet's features.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pg from 'pg';
import type { Deps } from '../src/deps.js';
import { serveNode } from '../src/runtime/node-serve.js';

type FetchHandler = Parameters<typeof serve>[0]['fetch'];

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves `fetch` on 127.0.0.1 at a free port. With `deps`, served as src/node.ts serves the app (its lean webhook path); without, by @hono/node-server. */
export function listen(fetch: FetchHandler, deps?: Deps): Promise<Served> {
  return new Promise((resolve) => {
    const options = { fetch, port: 0, hostname: '127.0.0.1' };
    const onListen = (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    };
    const server = deps === undefined ? serve(options, onListen) : serveNode({ ...options, deps }, onListen);
  });
}

export interface QueryCounter {
  /** Every Client.query call so far: each is one round trip to Postgres (BEGIN and COMMIT included). */
  readonly count: number;
  /** Calls by the statement's first keyword (SELECT, WITH, INSERT, BEGIN, …). */
  readonly byKeyword: Map<string, number>;
  restore(): void;
}

/** Patches pg.Client.prototype.query for this process: pools, drizzle and transactions all go through it. */
export function countPgQueries(): QueryCounter {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const byKeyword = new Map<string, number>();
  const counter = { count: 0, byKeyword, restore: () => (proto.query = original) };
  proto.query = function countedQuery(this: unknown, ...args: unknown[]): unknown {
    counter.count++;
    const keyword = statementKeyword(args);
    byKeyword.set(keyword, (byKeyword.get(keyword) ?? 0) + 1);
    return original.apply(this, args);
  };
  return counter;
}

/** The first keyword (SELECT, WITH, INSERT, BEGIN, …) of the statement in a Client.query call's arguments. */
export function statementKeyword(args: unknown[]): string {
  const first = args[0];
  const text =
    typeof first === 'string'
      ? first
      : typeof first === 'object' && first !== null && 'text' in first && typeof first.text === 'string'
        ? first.text
        : '?';
  return (/^\s*(\w+)/.exec(text)?.[1] ?? '?').toUpperCase();
}

export type Cleanup = () => Promise<unknown>;

/**
 * Runs a bench's measurement, then every cleanup it registered (servers and workers closed, database dropped),
 * newest first, even when the bench or a cleanup failed.
 */
export async function withCleanups(name: string, measure: (cleanups: Cleanup[]) => Promise<string>): Promise<string> {
  const cleanups: Cleanup[] = [];
  let outcome: { ok: true; section: string } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, section: await measure(cleanups) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const failures: unknown[] = [];
  for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => failures.push(err));
  if (!outcome.ok) throw outcome.error;
  if (failures.length > 0) throw new AggregateError(failures, `${name} bench cleanup failed`);
  return outcome.section;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

/** "2: 198, 4: 2" from a map of value → occurrences. */
export function histogram(values: Iterable<number | string>): string {
  const counts = new Map<number | string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([v, n]) => `${v}×${n}`)
    .join(', ');
}

/** One row of bench/results/README.md's summary table; cells are already formatted ("" when not measured). */
export interface SummaryRow {
  metric: string;
  nithet: string;
  floor?: string;
  peer?: string;
  ratio?: string;
}

/** Rows the running bench adds to the summary; bench/run.ts takes them after each bench. */
export const summaryRows: SummaryRow[] = [];
export const addSummary = (...rows: SummaryRow[]) => summaryRows.push(...rows);

/**
 * One page request through an app's fetch (a session cookie): the statements it made, the body's size and the
 * server time; anything but a 200 throws.
 */
export async function pageRequest(
  app: { fetch(path: string, init: RequestInit): Promise<Response> },
  cookie: string,
  path: string,
): Promise<{ statements: number; bytes: number; ms: number }> {
  const counter = countPgQueries();
  const started = performance.now();
  const res = await app.fetch(path, { headers: { cookie } });
  const body = await res.arrayBuffer();
  const ms = performance.now() - started;
  counter.restore();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return { statements: counter.count, bytes: body.byteLength, ms };
}
