// `npm test`'s three projects (test/projects.ts): every test file lands in exactly one, decided by what it imports,
// so the tests other people add need no naming rule to run in the right one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importing, POSTGRES_ONLY, projects } from '../projects.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nithet-projects-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmp, 'repo-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('test projects', () => {
  it('puts a file by what it imports, following test helpers but not src/', () => {
    const root = tree({
      'src/a/pure.test.ts': "import { f } from './pure.js';",
      'src/a/pure.ts': "import { openNodeDatabase } from '../db/node.js';", // src/ is the code under test
      'test/x/harness.test.ts': "import { startHarness } from '../support/harness.js';",
      'test/x/via-helper.test.ts': "import { api } from './api.js';",
      'test/x/api.ts': "import { type Harness } from '../support/harness.js';",
      'test/x/browser.test.ts': "import { openBrowser } from '../support/browser.js';",
      'test/x/spawn.test.ts': "import { execFile } from 'node:child_process';",
      'test/x/db-and-worker.test.ts':
        "import { createTestDatabase } from '../support/db.js';\nimport { startWrangler } from '../support/wrangler.js';",
      'test/x/pglite.test.ts': 'const { PGlite } = await import' + "('@electric-sql/pglite');",
      'test/faults/crash.test.ts': "import { createTestDatabase } from '../support/db.js';",
      'flex-templates/card.test.ts': "import { validateMessagingRequest } from '../test/support/fake-line.js';",
      'test/support/harness.ts': "import { createTestDatabase } from './db.js';",
    });
    expect(projects(root)).toEqual({
      unit: ['flex-templates/card.test.ts', 'src/a/pure.test.ts'],
      db: ['test/x/harness.test.ts', 'test/x/pglite.test.ts', 'test/x/via-helper.test.ts'],
      e2e: ['test/x/browser.test.ts', 'test/x/db-and-worker.test.ts', 'test/x/spawn.test.ts'],
    });
  });

  it('covers every test file of the repository once, the faults apart', () => {
    const p = projects(ROOT);
    const all = [...p.unit, ...p.db, ...p.e2e];
    expect(new Set(all).size).toBe(all.length);
    expect(all.some((f) => f.startsWith('test/faults/'))).toBe(false);
    expect(p.unit).toContain('src/checklists/expr.test.ts');
    expect(p.unit).toContain('test/repo/projects.test.ts');
    expect(p.db).toContain('test/webhook/webhook.flow.test.ts');
    expect(p.e2e).toEqual(expect.arrayContaining(['test/web/browser.test.ts', 'test/workers/worker.smoke.test.ts']));
  });

  it('finds the files that need a PostgreSQL server, themselves or through a helper, to leave out on PGlite', () => {
    const root = tree({
      'test/x/race.test.ts': "import { postgresUrl } from '../support/postgres.js';",
      'test/x/via.test.ts': "import { world } from './world.js';",
      'test/x/world.ts': "import { postgresUrl } from '../support/postgres.js';",
      'test/x/plain.test.ts': "import { createTestDatabase } from '../support/db.js';",
    });
    const files = ['test/x/plain.test.ts', 'test/x/race.test.ts', 'test/x/via.test.ts'];
    expect(importing(root, files, POSTGRES_ONLY)).toEqual(['test/x/race.test.ts', 'test/x/via.test.ts']);
    const p = projects(ROOT);
    expect(importing(ROOT, [...p.db, ...p.e2e], POSTGRES_ONLY)).toEqual(
      expect.arrayContaining(['test/db/migrate-lock.test.ts', 'test/db/pool-errors.test.ts']),
    );
  });
});
