// `wrangler dev` as a test fixture: the Worker on real workerd, on a free loopback port, offline, with vars
// passed on the command line so no .dev.vars file is written into the repo.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

export interface WranglerDev {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

/** A port the OS says is free right now (wrangler takes a number, not 0, for the HTTP port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

export async function startWranglerDev(vars: Record<string, string>): Promise<WranglerDev> {
  const port = await freePort();
  // Wrangler writes metrics consent and logs under the home/config dir; keep that out of the real one.
  const home = await mkdtemp(join(tmpdir(), 'nithet-wrangler-'));
  // `--var KEY:VALUE` splits at the first colon only, so URLs survive.
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', '0', ...varArgs];
  const child = spawn(join(ROOT, 'node_modules/.bin/wrangler'), args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      WRANGLER_HIDE_BANNER: 'true', // the banner also asks the npm registry for a newer version
      HOME: home,
      XDG_CONFIG_HOME: home,
    },
  });
  let out = '';
  const capture = (chunk: Buffer): void => {
    out += stripVTControlCharacters(chunk.toString('utf8'));
  };
  child.stdout.on('data', capture);
  child.stderr.on('data', capture);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;

  const stop = async (): Promise<void> => {
    // SIGINT to our own child only; wrangler shuts workerd down with it.
    if (running()) child.kill('SIGINT');
    await exited;
    await rm(home, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!running()) {
      await stop();
      throw new Error(`wrangler dev exited before it served /health:\n${out}`);
    }
    try {
      // Any HTTP answer means workerd serves the Worker; whether it is 200 is for the test to judge.
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`wrangler dev did not answer /health within ${READY_TIMEOUT_MS} ms:\n${out}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return { url, stop, output: () => out };
}
