// Node runtime: `npm start`. Embedded PGlite when DATABASE_URL is unset (with the demo office seeded), or
// node-postgres when set; an interval runs the same tick as Workers' cron. Only wiring lives here.
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { parseEnv } from './config/env.js';
import { openNodeDatabase } from './db/node.js';
import { buildDeps } from './deps.js';
import { seedDemo } from './demo/seed.js';
import { createLogger } from './log.js';
import { tick } from './scheduler/tick.js';
import { fsBlobStore } from './runtime/fs-blobs.js';
import { errorFields } from './log.js';

const TICK_MS = 5 * 60_000;

const config = parseEnv(process.env);
const log = createLogger(config.logLevel, (line) => process.stderr.write(`${line}\n`));
const database = await openNodeDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const pending = new Set<Promise<unknown>>();
const deps = buildDeps({
  config,
  db: database.db,
  log,
  blobs: fsBlobStore(config.dataDir),
  defer: (work) => {
    const p = work.finally(() => pending.delete(p));
    pending.add(p);
  },
});
const app = createApp(() => deps);

const server = serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, (info) => {
  console.log(`nithet กำลังทำงานที่ http://localhost:${info.port}  (database: ${database.kind})`);
});

if (database.kind === 'pglite' || config.devMode) {
  const demo = await seedDemo(database.db, Date.now());
  console.log(`\nสำนักงานตัวอย่าง (demo office): ${demo.office.nameTh}`);
  console.log('รหัสเชิญของบุคคลตัวอย่าง (demo invite codes, one per persona):');
  for (const p of demo.personas)
    console.log(`  ${p.inviteCode}  ${p.role.padEnd(10)} ${p.name}${p.school ? ` — ${p.school}` : ''}`);
  if (config.lineChannelSecret === undefined) {
    console.log(
      '\nLINE_CHANNEL_SECRET is not set: POST /webhook answers 404 until a channel is configured (see README).',
    );
  }
}

const ticker = setInterval(() => {
  tick(deps, Date.now()).catch((err: unknown) => log.error('tick failed', errorFields(err)));
}, TICK_MS);

async function shutdown() {
  clearInterval(ticker);
  server.close();
  await Promise.allSettled(pending);
  await database.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
