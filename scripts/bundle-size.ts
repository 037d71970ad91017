// Fails when the Worker bundle (dist/*.js as `npm run build:worker` writes it) is over its budget, gzip level 9:
// a smaller script parses faster on a cold isolate. `npm run check:bundle` builds, then runs this. The binary
// modules uploaded beside the script (the report's fonts, wrangler.toml [[rules]]) are not parsed; they are listed
// so the whole upload stays in view.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET_KIB = 500;
const dist = new URL('../dist/', import.meta.url).pathname;
const files = readdirSync(dist).filter((f) => f.endsWith('.js'));
if (files.length === 0) {
  console.error('no dist/*.js: run npm run build:worker first');
  process.exit(2);
}
let raw = 0;
let gzip = 0;
for (const f of files) {
  const data = readFileSync(join(dist, f));
  raw += data.length;
  gzip += gzipSync(data, { level: 9 }).length;
}
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`Worker bundle: ${kib(raw)} raw, ${kib(gzip)} gzip (budget ${BUDGET_KIB} KiB gzip)`);
const data = readdirSync(dist).filter((f) => f.endsWith('.woff2'));
if (data.length > 0) {
  const size = data.reduce((n, f) => n + readFileSync(join(dist, f)).length, 0);
  console.log(`beside it, binary modules: ${data.length} files, ${kib(size)} (already compressed)`);
}
if (gzip > BUDGET_KIB * 1024) {
  console.error(
    `over budget by ${kib(gzip - BUDGET_KIB * 1024)}: look at \`wrangler deploy --dry-run --outdir dist --metafile dist/meta.json\``,
  );
  process.exit(1);
}
