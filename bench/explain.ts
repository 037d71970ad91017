// Query plans for the national benches: record the statements a planning call sends (text and parameters, at
// pg.Client.prototype.query), then run each again under EXPLAIN (ANALYZE, BUFFERS) in a transaction that is rolled
// back, and say which tables each read, how (index or sequential scan) and how many rows it touched.
import pg from 'pg';

export interface Recorded {
  text: string;
  values: unknown[];
}

/** Records every statement this process sends until `stop()`; `f` runs in between. */
export async function recordStatements<T>(f: () => Promise<T>): Promise<{ value: T; statements: Recorded[] }> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const statements: Recorded[] = [];
  proto.query = function recordingQuery(this: unknown, ...args: unknown[]): unknown {
    const [first, second] = args;
    if (typeof first === 'string') statements.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (typeof first === 'object' && first !== null && 'text' in first && typeof first.text === 'string') {
      // drizzle passes the parameters beside the query config, not in it.
      const values = Array.isArray(second)
        ? (second as unknown[])
        : 'values' in first && Array.isArray(first.values)
          ? (first.values as unknown[])
          : [];
      statements.push({ text: first.text, values });
    }
    return original.apply(this, args);
  };
  try {
    return { value: await f(), statements };
  } finally {
    proto.query = original;
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

export interface ScanUse {
  table: string;
  how: string;
  /** Rows the scan produced plus those its filter removed, over all loops: what it had to look at. */
  rowsRead: number;
}

export interface Explained {
  label: string;
  ms: number;
  /** Time Postgres spent planning the statement (in this unprepared re-run; the app's named statements are planned once per connection). */
  planningMs: number;
  /** Rows the statement returned (or inserted). */
  rows: number;
  scans: ScanUse[];
  /** Sequential scans of the tables that grow with the country (people, schools, responses, …). */
  nationalSeqScans: ScanUse[];
  plan: string;
}

function walk(node: PlanNode, out: ScanUse[]): void {
  if (node['Relation Name'] !== undefined) {
    const loops = node['Actual Loops'] ?? 1;
    const rows = (node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0);
    const index = node['Index Name'] === undefined ? '' : ` using ${node['Index Name']}`;
    out.push({ table: node['Relation Name'], how: `${node['Node Type']}${index}`, rowsRead: rows * loops });
  }
  for (const child of node.Plans ?? []) walk(child, out);
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of each statement in `pool`'s database, each in its own transaction, rolled back (an
 * INSERT's rows never stay). BEGIN/COMMIT and the like are skipped.
 */
export async function explainAll(
  pool: pg.Pool,
  statements: Recorded[],
  label: (text: string) => string,
  nationalTables: Set<string>,
): Promise<Explained[]> {
  const out: Explained[] = [];
  const client = await pool.connect();
  // Planner settings a statement sets for the rest of its transaction (set_config(…, true)) are set again before
  // each later statement of that transaction is explained, so it is planned as it ran; its COMMIT or ROLLBACK ends
  // them, as it did in the app (the next unit's statements ran without them).
  let settings: Recorded | undefined;
  const begin = async () => {
    await client.query('BEGIN');
    if (settings !== undefined) await client.query(settings.text, settings.values);
  };
  try {
    for (const s of statements) {
      if (/^\s*(COMMIT|ROLLBACK|END)\s*;?\s*$/i.test(s.text)) settings = undefined;
      if (!/^\s*(WITH|SELECT|INSERT|UPDATE|DELETE)\b/i.test(s.text)) continue;
      if (/\bset_config\(/.test(s.text)) {
        settings = s;
        continue;
      }
      await begin();
      try {
        const json = await client.query<{
          'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }];
        }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${s.text}`, s.values);
        await client.query('ROLLBACK');
        await begin();
        const text = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) ${s.text}`,
          s.values,
        );
        const root = json.rows[0]?.['QUERY PLAN'][0];
        if (root === undefined) continue;
        const scans: ScanUse[] = [];
        walk(root.Plan, scans);
        out.push({
          label: label(s.text),
          ms: root['Execution Time'],
          planningMs: root['Planning Time'],
          rows: root.Plan['Actual Rows'] ?? 0,
          scans,
          nationalSeqScans: scans.filter((x) => x.how.startsWith('Seq Scan') && nationalTables.has(x.table)),
          plan: text.rows.map((r) => r['QUERY PLAN']).join('\n'),
        });
      } catch (err) {
        // One statement that cannot be re-run (a parameter lost on the way) must not cost the bench its figures.
        const plan = `EXPLAIN failed: ${err instanceof Error ? err.message : String(err)}`;
        out.push({
          label: label(s.text),
          ms: Number.NaN,
          planningMs: Number.NaN,
          rows: 0,
          scans: [],
          nationalSeqScans: [],
          plan,
        });
      } finally {
        await client.query('ROLLBACK');
      }
    }
  } finally {
    client.release();
  }
  return out;
}

/** "people: Index Scan using people_office_idx 1,234 rows; …" with the same table and method merged. */
export function scanSummary(scans: ScanUse[]): string {
  const merged = new Map<string, number>();
  for (const s of scans) merged.set(`${s.table}: ${s.how}`, (merged.get(`${s.table}: ${s.how}`) ?? 0) + s.rowsRead);
  return [...merged]
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} (${n.toLocaleString('en-US')} rows)`)
    .join('; ');
}
