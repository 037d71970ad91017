// Node runtime: `npm start`. Embedded PGlite when DATABASE_URL is unset (with the demo office seeded), or
// node-postgres when set; a runner claims the same units of work as Workers' queue consumer (src/scheduler/runner.ts).
// Only wiring lives here.
// In dev mode (no LINE secret, or DEV=1) it also serves the /dev chat simulator: LINE is the app's own fake
// (src/dev/dev-line.ts), the channel's credentials are generated in memory, and the clock can be moved forward.
import { createApp } from './app.js';
import { parseEnv } from './config/env.js';
import { DatabaseLocked, openNodeDatabase } from './db/node.js';
import { buildDeps } from './deps.js';
import { createTurnBatcher } from './conversation/batch.js';
import { warmHotStatements } from './conversation/warm.queries.js';
import { seedDemo } from './demo/seed.js';
import { createLogger } from './log.js';
import { startRunner } from './scheduler/runner.js';
import { chromiumPdf } from './runtime/chromium-pdf.js';
import { fsBlobStore } from './runtime/fs-blobs.js';
import { keepAliveReply } from './runtime/keepalive-reply.js';
import { nodeSignatureCheck } from './runtime/node-signature.js';
import { nodeReportFonts } from './runtime/node-report-fonts.js';
import { drain } from './runtime/drain.js';
import { serveNode } from './runtime/node-serve.js';
import { loadDevClock } from './dev/dev-clock.queries.js';
import { createDevClock, createDevKit, devEnv } from './dev/wiring.js';

const port = parseEnv(process.env).port;
// Links in chat (web sign-in) point here unless PUBLIC_BASE_URL says where people reach this server.
const config = parseEnv({ PUBLIC_BASE_URL: `http://localhost:${port}`, ...devEnv(process.env, port) });
const log = createLogger(config.logLevel, (line) => process.stderr.write(`${line}\n`));
const database = await openNodeDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch(
  (err: unknown) => {
    // Another server or a CLI run holds the embedded database: say so, and which process.
    if (!(err instanceof DatabaseLocked)) throw err;
    console.error(err.message);
    process.exit(3);
  },
);
const pending = new Set<Promise<unknown>>();
const clock = config.devMode ? createDevClock() : undefined;
const deps = buildDeps({
  config,
  db: database.db,
  log,
  blobs: fsBlobStore(config.dataDir),
  printPdf: chromiumPdf(),
  reportFonts: nodeReportFonts,
  reply: keepAliveReply(),
  verifySignature: nodeSignatureCheck,
  // Concurrent checklist answers share one load and one commit (src/conversation/batch.ts); PGlite has one
  // connection, so nothing to share there.
  ...(database.kind === 'postgres' ? { runTurn: createTurnBatcher(database.db).run } : {}),
  ...(clock === undefined ? {} : { now: clock.now }),
  defer: (work) => {
    const p = work.finally(() => pending.delete(p));
    pending.add(p);
  },
});

// Every pool connection opened and its turn statements planned before the first request (src/db/node.ts).
await database.warm((db) => warmHotStatements(db, new Date(deps.now()).toISOString()));

// The simulator's clock goes on from where it was moved to before this start (stored with the data).
if (clock !== undefined) clock.restore(await loadDevClock(database.db));
const demo =
  database.kind === 'pglite' || config.devMode ? await seedDemo(database.db, deps.now(), { story: true }) : undefined;
const dev =
  clock === undefined || demo === undefined
    ? undefined
    : createDevKit({ config, clock, seed: demo, selfUrl: `http://127.0.0.1:${port}` });
const app = createApp(() => deps, dev === undefined ? {} : { extraRoutes: dev.mount });

// The simulator is for the person at this machine: in dev mode listen on loopback only.
const hostname = dev === undefined ? '0.0.0.0' : '127.0.0.1';
const server = serveNode({ fetch: app.fetch, deps, port, hostname }, (info) => {
  console.log(`nithet กำลังทำงานที่ http://localhost:${info.port}  (database: ${database.kind})`);
  if (demo !== undefined) {
    console.log(`\nสำนักงานตัวอย่าง (demo office): ${demo.office.nameTh}`);
    console.log('รหัสเชิญของบุคคลตัวอย่าง (demo invite codes, one per persona):');
    for (const p of demo.personas)
      console.log(`  ${p.inviteCode}  ${p.role.padEnd(10)} ${p.name}${p.school ? ` — ${p.school}` : ''}`);
  }
  if (dev !== undefined) {
    console.log(`\nตัวจำลองแชต LINE (chat simulator): http://localhost:${info.port}/dev`);
    console.log('  terminal: npm run cli -- chat --as teacher');
  }
});

const runner = startRunner({ ...deps, retryBaseSeconds: config.unitRetrySeconds }, deps.now);

/** Replies and evidence downloads still running get this long to finish; then the process exits anyway. */
const SHUTDOWN_WAIT_MS = 10_000;

async function shutdown() {
  server.close();
  // The runner's units in hand, replies and evidence downloads: waited for, but at most SHUTDOWN_WAIT_MS.
  if ((await drain(new Set([runner.stop(), ...pending]), SHUTDOWN_WAIT_MS)) === 'timed out') {
    log.warn('shutdown: background work still running; exiting anyway', { pending: pending.size });
  }
  await database.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
