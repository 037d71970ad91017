// Which vitest project each test file belongs to, decided from what it imports, so a new test lands in the right
// project without a naming rule or a list to keep up to date:
//   e2e  spawns a process or drives a real runtime: Chromium (support/browser), workerd through `wrangler dev`
//        (support/wrangler, support/worker-db), pgbouncer, or node:child_process (the CLI as a real process);
//   db   opens a database: support/db, support/harness (a database plus the app), support/cli, or the
//        database modules directly;
//   unit everything else: pure functions, message builders, parsers; seconds, no database.
// Imports are followed through the test helpers a file imports (relative paths outside src/), not into src/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export type Project = 'unit' | 'db' | 'e2e';

/** Where tests live (the faults and fuzz tests run apart, with vitest.faults.config.ts). */
export const TEST_ROOTS = ['src', 'test', 'flex-templates'];
export const NOT_HERE = ['test/faults/'];

// Matched against the module specifiers a file imports, not its text.
const E2E = [/^node:child_process$/, /^playwright-core$/, /support\/(browser|wrangler|worker-db|pgbouncer)(\.js)?$/];
const DB = [/support\/(db|harness|cli)(\.js)?$/, /\/db\/node(\.js)?$/, /^@electric-sql\/pglite(\/.*)?$/];
const STATIC = /^\s*(?:import|export)\s(?:[^;]*?\sfrom\s)?\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

const specifiers = (text: string): string[] =>
  [...text.matchAll(STATIC), ...text.matchAll(DYNAMIC)].map((m) => m[1] ?? '');

function testFiles(root: string, dir: string, out: string[]): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) testFiles(root, path, out);
    else if (e.name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

/** The relative, non-src modules among a file's imports (`./x.js` resolved to `./x.ts`). */
function helpers(root: string, file: string, imports: string[]): string[] {
  const out: string[] = [];
  for (const spec of imports.filter((i) => i.startsWith('.'))) {
    const path = resolve(dirname(join(root, file)), spec.replace(/\.js$/, '.ts'));
    const rel = relative(root, path);
    if (!rel.startsWith('src/') && !rel.startsWith('..') && existsSync(path)) out.push(rel);
  }
  return out;
}

export function classify(root: string, file: string, seen = new Map<string, Project>()): Project {
  const known = seen.get(file);
  if (known !== undefined) return known;
  seen.set(file, 'unit'); // import cycles end here
  const imports = specifiers(readFileSync(join(root, file), 'utf8'));
  const any = (patterns: RegExp[]) => imports.some((i) => patterns.some((p) => p.test(i)));
  let project: Project = any(E2E) ? 'e2e' : any(DB) ? 'db' : 'unit';
  for (const h of project === 'e2e' ? [] : helpers(root, file, imports)) {
    const p = classify(root, h, seen);
    if (p === 'e2e' || (p === 'db' && project === 'unit')) project = p;
  }
  seen.set(file, project);
  return project;
}

/**
 * The files among `files` that import a module matching one of `patterns`, themselves or through the test helpers
 * they import (as classify follows them): e.g. the files that need a PostgreSQL server (test/support/postgres.ts).
 */
export function importing(root: string, files: string[], patterns: RegExp[]): string[] {
  const memo = new Map<string, boolean>();
  const walk = (file: string): boolean => {
    const known = memo.get(file);
    if (known !== undefined) return known;
    memo.set(file, false); // import cycles end here
    const imports = specifiers(readFileSync(join(root, file), 'utf8'));
    const hit = imports.some((i) => patterns.some((p) => p.test(i))) || helpers(root, file, imports).some(walk);
    memo.set(file, hit);
    return hit;
  };
  return files.filter(walk);
}

/** Files that need the PostgreSQL server of DATABASE_URL: left out (never skipped) where there is none. */
export const POSTGRES_ONLY = [/support\/postgres(\.js)?$/];

/** Every test file of `npm test`, by project. */
export function projects(root: string): Record<Project, string[]> {
  const out: Record<Project, string[]> = { unit: [], db: [], e2e: [] };
  const seen = new Map<string, Project>();
  const files = TEST_ROOTS.flatMap((r) => testFiles(root, join(root, r), []));
  for (const f of files.sort()) if (!NOT_HERE.some((n) => f.startsWith(n))) out[classify(root, f, seen)].push(f);
  return out;
}
