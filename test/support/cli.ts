// Running `npm run cli -- …` as an operator would, against a database of the test file's own: real Postgres
// when DATABASE_URL is set, else PGlite files in a temporary DATA_DIR.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from './db.js';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliTarget {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Runs the CLI; never throws for a non-zero exit, which comes back as `code`. */
  cli(...args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

export async function cliTarget(prefix: string): Promise<CliTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const target: TestDatabase | undefined =
    (process.env.DATABASE_URL ?? '') !== '' ? await createTestDatabase() : undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error' };
  if (target?.url !== undefined) env.DATABASE_URL = target.url;
  else delete env.DATABASE_URL;
  return {
    dataDir,
    env,
    async cli(...args) {
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
    },
    async close() {
      await target?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
