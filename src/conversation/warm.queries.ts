// What a new pool connection runs before it serves turns (NodeDatabase.warm, wired in src/node.ts): the hot
// statements of a turn, prepared and run until Postgres keeps their generic plans, with values that match and
// change nothing. A fresh backend otherwise spends its first turns reading the catalog and making custom plans.
import type { Db } from '../db/client.js';
import { flows } from '../flows/index.js';
import { loadBatch, writeBatch } from './batch.queries.js';
import { PLAN_WARMUP_RUNS, warmTurnStatements } from './conversation.queries.js';

export async function warmHotStatements(db: Db, now: string): Promise<void> {
  await warmTurnStatements(db, flows.loadFragments, now);
  // An empty batch: no row loaded, none written (the dedupe guard holds: 0 = 0).
  for (let i = 0; i < PLAN_WARMUP_RUNS; i++) {
    await loadBatch(db, [], []);
    await writeBatch(db, [], []);
  }
}
