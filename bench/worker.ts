// Worker-thread entry (started by bench/threads.ts): `load` posts signed webhooks at fixed concurrency over
// keep-alive node:http connections; `line` hosts the fake LINE API so validating replies costs the server nothing.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { delta, threadCpuMs } from './cpu.js';
import type { LineCommand, LineMessage, LineStats, LoadMessage, LoadResult, LoadSpec, WorkerInput } from './threads.js';

const port = parentPort;
if (port === null) throw new Error('bench/worker.ts runs only as a worker thread');
const input = workerData as WorkerInput;

async function load(spec: LoadSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
  // Encoded once up front: the client should spend its time waiting, not serialising.
  const payloads = spec.bodies.map((b) => ({ body: Buffer.from(b.body), signature: b.signature }));
  if (payloads.length === 0) throw new Error('no bodies to send');

  const post = (p: { body: Buffer; signature: string }) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          hostname: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': p.body.length,
            'x-line-signature': p.signature,
          },
        },
        (res) => {
          res.on('error', reject);
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.resume();
        },
      );
      req.on('error', reject);
      req.end(p.body);
    });

  const start = performance.now();
  const from = start + spec.warmupMs;
  const until = from + spec.durationMs;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let completed = 0;
  let exhausted = false;
  let lastDone = start;
  const say = (msg: LoadMessage) => port?.postMessage(msg);
  let eluAtStart = performance.eventLoopUtilization();
  let cpuAtStart = threadCpuMs();
  const startTimer = setTimeout(() => {
    eluAtStart = performance.eventLoopUtilization();
    cpuAtStart = threadCpuMs();
    say({ type: 'window-start' });
  }, spec.warmupMs);
  let windowOpen = true;
  let clientElu = Number.NaN;
  let clientCpuMs: number | undefined;
  const closeWindow = () => {
    if (!windowOpen) return;
    windowOpen = false;
    clientElu = performance.eventLoopUtilization(eluAtStart).utilization;
    clientCpuMs = delta(cpuAtStart, threadCpuMs());
    say({ type: 'window-end' });
  };
  const endTimer = setTimeout(closeWindow, spec.warmupMs + spec.durationMs);

  const connection = async () => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= until) return;
      if (next >= payloads.length) {
        if (!spec.wrap) {
          exhausted = true;
          return;
        }
        next = 0;
      }
      const p = payloads[next++];
      if (p === undefined) return;
      let status: string;
      try {
        status = String(await post(p));
      } catch (err) {
        status = `error ${err instanceof Error && 'code' in err ? String(err.code) : 'unknown'}`;
      }
      const t1 = performance.now();
      completed++;
      lastDone = t1;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === '200' && t1 >= from && t1 <= until) latencies.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, connection));
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  closeWindow();
  agent.destroy();
  if (exhausted && lastDone <= from) throw new Error('bodies ran out during the warm-up; pre-generate more');
  latencies.sort((a, b) => a - b);
  return {
    ok: latencies.length,
    windowMs: (exhausted ? Math.min(until, lastDone) : until) - from,
    latencies,
    statuses,
    completed,
    exhausted,
    clientElu,
    clientCpuMs,
  };
}

async function line(): Promise<void> {
  const { startFakeLine } = await import('../test/support/fake-line.js');
  const fake = await startFakeLine();
  const stats: LineStats = { replies: 0, invalid: 0, invalidSamples: [], other: 0, cpuMs: undefined };
  // The fake records every request; tallying and dropping them keeps a long run's memory flat.
  const drain = () => {
    for (const r of fake.requests.splice(0)) {
      if (!r.valid) {
        stats.invalid++;
        if (stats.invalidSamples.length < 5) stats.invalidSamples.push(`${r.path}: ${r.errors.join('; ')}`);
      } else if (r.path === '/v2/bot/message/reply' && r.delivered === true) stats.replies++;
      else stats.other++;
    }
  };
  const timer = setInterval(drain, 250);
  const send = (msg: LineMessage) => port?.postMessage(msg);
  port?.on('message', (cmd: LineCommand) => {
    drain();
    stats.cpuMs = threadCpuMs();
    if (typeof cmd === 'object') {
      const c = cmd.setContent;
      fake.setContent(c.messageId, Buffer.from(c.data), c.contentType);
      send({ type: 'stats', stats: { ...stats, invalidSamples: [...stats.invalidSamples] } });
      return;
    }
    if (cmd === 'stats') {
      send({ type: 'stats', stats: { ...stats, invalidSamples: [...stats.invalidSamples] } });
      return;
    }
    clearInterval(timer);
    fake.close().then(
      () => send({ type: 'stats', stats }),
      (err: unknown) => {
        throw err;
      },
    );
  });
  send({ type: 'ready', url: fake.url });
}

if (input.kind === 'load') port.postMessage({ type: 'result', result: await load(input.spec) } satisfies LoadMessage);
else await line();
