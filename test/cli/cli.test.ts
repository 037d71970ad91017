// The CLI as operators run it: `seed demo --json` prints the documented shape, is repeatable, and its codes
// link personas on the env channel.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { openNodeDatabase, type NodeDatabase } from '../../src/db/node.js';
import { buildDeps } from '../../src/deps.js';
import { createLogger } from '../../src/log.js';
import { fsBlobStore } from '../../src/runtime/fs-blobs.js';
import { signLineBody } from '../../src/line/signature.js';
import { body, ev, userId } from '../support/events.js';
import { startFakeLine, type FakeLine } from '../support/fake-line.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { SECRET, TOKEN, replyTexts } from '../support/harness.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'nithet-cli-'));
let target: TestDatabase | undefined;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  // Real Postgres when available (a database of this file's own), else PGlite files in a temp DATA_DIR.
  if ((process.env.DATABASE_URL ?? '') !== '') target = await createTestDatabase();
  env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error' };
  if (target?.url !== undefined) env.DATABASE_URL = target.url;
  else delete env.DATABASE_URL;
});
afterAll(async () => {
  await target?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const cli = async (...args: string[]) => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, timeout: 60_000 });
  return stdout;
};

interface Seed {
  office: { id: string; code: string; nameTh: string };
  personas: { role: string; name: string; school: string | null; inviteCode: string }[];
}

describe('npm run cli', () => {
  let first: Seed;
  let second: Seed;

  it('seed demo --json prints the office and one invite per persona, repeatably', async () => {
    first = JSON.parse(await cli('seed', 'demo', '--json')) as Seed;
    expect(first.office.code).toBe('DEMO1');
    expect(first.personas.map((p) => p.role).sort()).toEqual([
      'admin',
      'director',
      'principal',
      'supervisor',
      'teacher',
    ]);
    for (const p of first.personas) expect(p.inviteCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    second = JSON.parse(await cli('seed', 'demo', '--json')) as Seed;
    expect(second.office.id).toBe(first.office.id);
    expect(second.personas.map((p) => p.inviteCode)).not.toEqual(first.personas.map((p) => p.inviteCode));
    // Two cold CLI starts (tsx, PGlite, migrations, seed): ~20 s alone, past 30 s on two cores beside the
    // Chromium simulator test.
  }, 90_000);

  it("the latest persona codes link on the env channel; the previous run's are revoked", async () => {
    let db: NodeDatabase | undefined;
    let line: FakeLine | undefined;
    try {
      db = await openNodeDatabase({ databaseUrl: env.DATABASE_URL, dataDir, migrate: false });
      line = await startFakeLine();
      const config = parseEnv({
        LINE_CHANNEL_SECRET: SECRET,
        LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
        LINE_API_BASE_URL: line.url,
      });
      const pending: Promise<unknown>[] = [];
      const app = createApp(() =>
        buildDeps({
          config,
          db: (db as NodeDatabase).db,
          log: createLogger('error', () => {}),
          blobs: fsBlobStore(dataDir),
          defer: (w) => pending.push(w),
        }),
      );
      const say = async (text: string, user: string) => {
        const raw = JSON.stringify(body(ev.text(text, { user })));
        const res = await app.fetch(
          new Request('http://x/webhook', {
            method: 'POST',
            headers: { 'x-line-signature': await signLineBody(SECRET, raw) },
            body: raw,
          }),
        );
        expect(res.status).toBe(200);
        await Promise.all(pending);
        return replyTexts(line?.replies().at(-1)?.body).join('\n');
      };
      const teacherOld = first.personas.find((p) => p.role === 'teacher')?.inviteCode ?? '';
      const teacherNew = second.personas.find((p) => p.role === 'teacher')?.inviteCode ?? '';
      expect(await say(teacherOld, userId('cli-1'))).toMatch(/ยกเลิกแล้ว/);
      expect(await say(teacherNew, userId('cli-1'))).toMatch(/ยินดีต้อนรับ คุณครู/);
    } finally {
      await line?.close();
      await db?.close();
    }
  });

  it('tick --at runs the scheduled work for that instant; a bad time is a usage error', async () => {
    expect(JSON.parse(await cli('tick', '--at', '2026-11-23T01:00:00Z'))).toMatchObject({ processedEventsDeleted: 0 });
    await expect(cli('tick', '--at', 'tomorrow')).rejects.toMatchObject({ code: 2 });
  });
});
