// The shape of vendor/line-openapi/manifest.json, which npm run vendor:line-openapi writes and
// test/repo/self-contained.test.ts verifies.
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

export const VENDOR_DIR = fileURLToPath(new URL('../vendor/line-openapi', import.meta.url));
export const VENDORED = ['LICENSE', 'messaging-api.yml', 'webhook.yml'] as const;

export const manifestSchema = z.object({
  source: z.string(),
  commit: z.string(),
  committed: z.string(),
  license: z.string(),
  files: z.record(z.string(), z.string()),
});
