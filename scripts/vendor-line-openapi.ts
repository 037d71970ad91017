// `npm run vendor:line-openapi -- <path to a line/line-openapi checkout>`: copies LINE's OpenAPI documents and their
// license into vendor/line-openapi/ and records the checkout's commit and each file's SHA-256 in manifest.json, which
// test/repo/self-contained.test.ts verifies. Review the diff of the documents: the fake LINE server validates every
// request against them, so a new LINE version can fail tests that passed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VENDOR_DIR, VENDORED } from './line-openapi-manifest.js';

function main(checkout: string | undefined): number {
  if (checkout === undefined) {
    console.error('usage: npm run vendor:line-openapi -- <path to a line/line-openapi checkout>');
    return 2;
  }
  const git = (...args: string[]) => execFileSync('git', ['-C', checkout, ...args], { encoding: 'utf8' }).trim();
  const commit = git('rev-parse', 'HEAD');
  const committed = new Date(git('log', '-1', '--format=%cI', 'HEAD')).toISOString().replace('.000Z', 'Z');
  const files: Record<string, string> = {};
  for (const f of VENDORED) {
    copyFileSync(join(checkout, f), join(VENDOR_DIR, f));
    files[f] = createHash('sha256')
      .update(readFileSync(join(VENDOR_DIR, f)))
      .digest('hex');
  }
  const manifest = { source: 'https://github.com/line/line-openapi', commit, committed, license: 'Apache-2.0', files };
  writeFileSync(join(VENDOR_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const readme = join(VENDOR_DIR, 'README.md');
  writeFileSync(
    readme,
    readFileSync(readme, 'utf8').replace(
      /\(commit [0-9a-f]{8}, \d{4}-\d{2}-\d{2}\)/,
      `(commit ${commit.slice(0, 8)}, ${committed.slice(0, 10)})`,
    ),
  );
  console.log(`vendor/line-openapi: ${commit.slice(0, 8)} (${committed})`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = main(process.argv[2]);
