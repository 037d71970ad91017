// Running `npm run cli -- …` as an operator would, against a database of the test file's own: real Postgres when
// DATABASE_URL is set, else PGlite files in a temporary DATA_DIR (filled from the migrated snapshot). The CLI runs
// in this process through `main(argv, io)`, with the environment and the terminal captured; only
// test/cli/lock.test.ts starts it as a real process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { createTestDatabase, seedPgliteDir, type TestDatabase } from './db.js';

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

/** `main` with a captured terminal; an exception is what the process would have died of: exit 1, its message. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    out: (line) => stdout.push(`${line}\n`),
    err: (line) => stderr.push(`${line}\n`),
    write: (data) => stdout.push(typeof data === 'string' ? data : Buffer.from(data).toString('utf8')),
    env,
    now: () => Date.now(),
  };
  try {
    const code = await main(args, io);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } catch (err) {
    stderr.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
    return { code: 1, stdout: stdout.join(''), stderr: stderr.join('') };
  }
}

export async function cliTarget(prefix: string): Promise<CliTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const target: TestDatabase | undefined =
    (process.env.DATABASE_URL ?? '') !== '' ? await createTestDatabase() : undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error' };
  if (target?.url !== undefined) env.DATABASE_URL = target.url;
  else {
    delete env.DATABASE_URL;
    await seedPgliteDir(dataDir);
  }
  return {
    dataDir,
    env,
    cli: (...args) => runCli(args, env),
    async close() {
      await target?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
