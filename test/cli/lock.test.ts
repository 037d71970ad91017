// One database, one writer (issue 12.7): while a server holds the embedded database's folder, a CLI run that
// would write refuses, in Thai and English, saying how, and exits non-zero; it never prints "created" for a
// campaign the server will not see. Once the server stops, the same command works. Always on PGlite, whatever
// DATABASE_URL says: the folder lock is PGlite's.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { adminApi } from '../admin/api.js';
import { startHarness, type Harness } from '../support/harness.js';

const run = promisify(execFile);
let dir: string;
let h: Harness | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nithet-lock-'));
  // The running server: the app on PGlite files in `dir` (DATA_DIR), as `npm start` opens them.
  h = await startHarness({ pglite: true, pgliteDir: dir });
  await seedDemo(h.db.db, h.clock.now);
}, 90_000);
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'error' };
  delete env.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const create = ['campaign', 'create', '--office', 'DEMO1', '--checklist', 'needs-survey', '--roles', 'teacher'];

describe('a CLI run while the server holds the embedded database', () => {
  it('refuses with a Thai and English message and exits non-zero; nothing is lost, because nothing was said done', async () => {
    const res = await cli(...create, '--due', '2026-12-31', '--title', 'สำรวจระหว่างเซิร์ฟเวอร์ทำงาน');
    expect(res.code).toBe(3);
    expect(res.stdout).not.toContain('created');
    expect(res.stderr).toContain('กำลังถูกใช้โดยโปรแกรมอื่นที่ทำงานอยู่');
    expect(res.stderr).toContain('is in use by another running process');
    expect(res.stderr).toContain(`pid ${process.pid}`);
    // The server's API agrees: no such campaign.
    const list = await adminApi(h as Harness)('GET', '/offices/DEMO1/campaigns');
    expect(JSON.stringify(list.json)).not.toContain('สำรวจระหว่างเซิร์ฟเวอร์ทำงาน');
  }, 90_000);

  it('works once the server has stopped (the lock is released on close)', async () => {
    await h?.close();
    h = undefined;
    const res = await cli(...create, '--due', '2026-12-31', '--title', 'สำรวจหลังหยุดเซิร์ฟเวอร์');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^created campaign /);
  }, 90_000);
});
