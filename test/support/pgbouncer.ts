// Debian's PgBouncer (/usr/sbin/pgbouncer) as a test fixture: an instance of our own on a free loopback port, its
// config, log and pid in a temp dir, in transaction pooling mode in front of the machine's PostgreSQL, as Neon
// pools. It refuses to run as root, so as root it runs as `postgres` (runuser), like the fault tests' servers.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './wrangler.js';

export const PGBOUNCER = '/usr/sbin/pgbouncer';

export interface PgBouncer {
  port: number;
  /** [major, minor] of the running binary: protocol-level prepared statements need 1.21 or later. */
  version: [number, number];
  /** Whether this instance keeps named statements per client (max_prepared_statements, as Neon sets it). */
  keepsNames: boolean;
  output(): string;
  stop(): Promise<void>;
}

export function pgbouncerVersion(): [number, number] {
  const out = execFileSync(PGBOUNCER, ['--version']).toString();
  const m = /PgBouncer (\d+)\.(\d+)/.exec(out);
  if (m === null) throw new Error(`unexpected pgbouncer --version: ${out}`);
  return [Number(m[1]), Number(m[2])];
}

export async function startPgBouncer(target: { host: string; port: number }, poolSize = 2): Promise<PgBouncer> {
  const version = pgbouncerVersion();
  const keepsNames = version[0] > 1 || version[1] >= 21;
  const dir = mkdtempSync(join(tmpdir(), 'nithet-pgbouncer-'));
  chmodSync(dir, 0o777); // the postgres user writes its log and pid here when we are root
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      // Every database name, as the postgres user, on the machine's server.
      `* = host=${target.host} port=${target.port} user=postgres`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      'pool_mode = transaction',
      // Fewer server connections than clients: statements of different clients share them.
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 200',
      'ignore_startup_parameters = extra_float_digits,options',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      ...(keepsNames ? ['max_prepared_statements = 200'] : []),
      '',
    ].join('\n'),
  );
  chmodSync(ini, 0o644);
  const [cmd, args] =
    process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', PGBOUNCER, ini]] : [PGBOUNCER, [ini]];
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`pgbouncer exited: ${out}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`pgbouncer did not listen within 15 s: ${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, version, keepsNames, output: () => out, stop };
}
