// What every `npm run cli` command gets: its arguments, the terminal (CliIo), and, for commands that need one, the
// opened database. src/cli/main.ts parses, opens and dispatches; each command is one module of this folder.
import { parseArgs } from 'node:util';
import type { Config } from '../config/env.js';
import type { NodeDatabase } from '../db/node.js';
import type { Logger } from '../log.js';

/** The terminal as a command sees it: tests pass their own and run `main` in-process. */
export interface CliIo {
  /** A line to standard output. */
  out(line: string): void;
  /** A line to standard error (progress, problems). */
  err(line: string): void;
  /** Bytes to standard output as they are (an export's CSV). */
  write(data: string | Uint8Array): void;
  /** The environment read for configuration (DATABASE_URL, DATA_DIR, LOG_LEVEL, …). */
  env: Record<string, string | undefined>;
  /** The wall clock (invites' expiry, campaigns' opening, exports' stamps). */
  now(): number;
}

export const cliOptions = {
  json: { type: 'boolean', default: false },
  office: { type: 'string' },
  person: { type: 'string', multiple: true },
  'external-id': { type: 'string', multiple: true },
  days: { type: 'string' },
  at: { type: 'string' },
  checklist: { type: 'string' },
  version: { type: 'string' },
  roles: { type: 'string' },
  due: { type: 'string' },
  opens: { type: 'string' },
  title: { type: 'string' },
  campaign: { type: 'string' },
  repeat: { type: 'string' },
  table: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  by: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  as: { type: 'string' },
  url: { type: 'string' },
  file: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  invites: { type: 'boolean', default: false },
  channel: { type: 'string' },
  label: { type: 'string' },
} as const;

export const parseCli = (argv: string[]) =>
  parseArgs({ args: argv, allowPositionals: true, strict: true, options: cliOptions });
export type CliValues = ReturnType<typeof parseCli>['values'];

export interface CommandArgs {
  /** The word after the command (`seed demo`: "demo"). */
  sub: string | undefined;
  /** Every positional, the command's own name first. */
  positionals: string[];
  values: CliValues;
  io: CliIo;
  config: Config;
}

export interface DatabaseArgs extends CommandArgs {
  database: NodeDatabase;
  log: Logger;
}

/** A command's exit code; undefined when the arguments are not one of its forms (main prints the usage, exit 2). */
export type Outcome = Promise<number | undefined>;

export type Command =
  { opensDatabase: false; run(a: CommandArgs): Outcome } | { opensDatabase: true; run(a: DatabaseArgs): Outcome };
