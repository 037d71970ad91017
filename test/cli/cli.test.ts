// The CLI as operators run it: `seed demo --json` prints the documented shape, is repeatable, and its codes
// link personas on the env channel.
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
import { cliTarget, type CliTarget } from '../support/cli.js';
import { SECRET, TOKEN, replyTexts } from '../support/harness.js';

let t: CliTarget;
let env: NodeJS.ProcessEnv;
let dataDir: string;
beforeAll(async () => {
  t = await cliTarget('nithet-cli-');
  env = t.env;
  dataDir = t.dataDir;
});
afterAll(() => t.close());

/** The CLI's standard output; a non-zero exit is thrown, carrying its `code`. */
const cli = async (...args: string[]) => {
  const r = await t.cli(...args);
  if (r.code !== 0) throw Object.assign(new Error(r.stderr), { code: r.code });
  return r.stdout;
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
      expect(await say(teacherNew, userId('cli-1'))).toMatch(/ใช่ไหม/);
      expect(await say('ใช่', userId('cli-1'))).toMatch(/ยินดีต้อนรับ คุณครู/);
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
