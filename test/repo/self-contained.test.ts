// The repository stands on its own: a clone on another machine has no shared folder beside it, so LINE's OpenAPI documents are
// vendored (vendor/line-openapi/) and must be exactly the files of the upstream commit the manifest names. An edit
// by hand or a half-done update (one document bumped, the other not) fails here; `npm run vendor:line-openapi --
// <line-openapi checkout>` rewrites the files, the manifest and the README's line together.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { manifestSchema, VENDOR_DIR } from '../../scripts/line-openapi-manifest.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(VENDOR_DIR, 'manifest.json'), 'utf8')));

describe('vendor/line-openapi', () => {
  it('holds exactly the files the manifest lists, each with its recorded SHA-256', () => {
    // README.md (ours) and manifest.json describe the copy; every other file is upstream's.
    const present = readdirSync(VENDOR_DIR)
      .filter((f) => f !== 'README.md' && f !== 'manifest.json')
      .sort();
    expect(present).toEqual(Object.keys(manifest.files).sort());
    const mismatched = Object.entries(manifest.files)
      .filter(([file, hash]) => sha256(join(VENDOR_DIR, file)) !== hash)
      .map(([file]) => file);
    expect(mismatched, 'edited by hand or updated partly; re-run npm run vendor:line-openapi').toEqual([]);
  });

  it('names one full upstream commit, which the README quotes', () => {
    expect(manifest.source).toBe('https://github.com/line/line-openapi');
    expect(manifest.commit).toMatch(/^[0-9a-f]{40}$/);
    const readme = readFileSync(join(VENDOR_DIR, 'README.md'), 'utf8');
    expect(readme).toContain(`commit ${manifest.commit.slice(0, 8)}, ${manifest.committed.slice(0, 10)}`);
  });

  it('keeps the Apache License 2.0 it is distributed under', () => {
    const license = readFileSync(join(VENDOR_DIR, 'LICENSE'), 'utf8');
    expect(manifest.license).toBe('Apache-2.0');
    expect(license).toContain('Apache License');
    expect(license).toContain('Version 2.0, January 2004');
  });

  it('covers both documents the tests use, the Messaging API and the webhook', () => {
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['messaging-api.yml', 'webhook.yml']));
    for (const f of ['messaging-api.yml', 'webhook.yml'])
      expect(readFileSync(join(VENDOR_DIR, f), 'utf8')).toMatch(/^openapi: ["']?3\./m);
  });
});

describe('the repository', () => {
  // Spelled in pieces so that this file does not match itself.
  const outside = new RegExp(
    [['\\.\\./', 'shared\\b'].join(''), ['/work/', 'shared'].join(''), ["'\\.\\.',\\s*'", "shared'"].join('')].join(
      '|',
    ),
  );
  const skipped = new Set(['node_modules', '.git', 'dist', '.wrangler', '.data', 'coverage']);

  function* files(dir: string): Generator<string> {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (skipped.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) yield* files(path);
      else if (entry.isFile() && statSync(path).size < 4_000_000) yield path;
    }
  }

  it('the check catches a path outside the repository', () => {
    const up = ['..', ['sha', 'red'].join('')];
    expect(outside.test(`readFileSync('${up.join('/')}/line-openapi/webhook.yml')`)).toBe(true);
    expect(outside.test(`new URL('../../${up.join('/')}/x', import.meta.url)`)).toBe(true);
    expect(outside.test(`'/work/${up[1]}/DESIGN.md'`)).toBe(true);
    expect(outside.test(`join(root, '..', '${up[1]}')`)).toBe(true);
    expect(outside.test(`vendor/line-openapi/webhook.yml, sharedSecret`)).toBe(false);
  });

  it('reads nothing from the shared folder beside the checkout (a fresh clone elsewhere has none)', () => {
    const offenders: string[] = [];
    for (const path of files(ROOT)) {
      const bytes = readFileSync(path);
      if (bytes.includes(0)) continue; // binary
      bytes
        .toString('utf8')
        .split('\n')
        .forEach((line, i) => {
          if (outside.test(line)) offenders.push(`${relative(ROOT, path)}:${i + 1}: ${line.trim().slice(0, 120)}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
