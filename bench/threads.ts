// Main-thread side of the bench's worker threads (bench/worker.ts): the load generator and the fake LINE API run
// off the main thread so the server under test has an event loop of its own (the machine has only 2 cores).
import { Worker } from 'node:worker_threads';

export interface SignedBody {
  body: string;
  signature: string;
}

export interface LoadSpec {
  /** Full URL to POST to. */
  url: string;
  bodies: SignedBody[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Reuse bodies from the start when they run out (fine for a server that keeps no state). */
  wrap: boolean;
}

export interface LoadResult {
  /** 200 answers completed inside the measured window. */
  ok: number;
  /** Length of the measured window; shorter than asked only when the bodies ran out. */
  windowMs: number;
  /** Latencies (ms) of those 200 answers, ascending. */
  latencies: number[];
  /** Answers by status over the whole run (warm-up included); network errors as "error <code>". */
  statuses: Record<string, number>;
  /** Requests completed over the whole run. */
  completed: number;
  exhausted: boolean;
  /** Event-loop utilisation of the load thread during the window: near 1 would mean the client is the limit. */
  clientElu: number;
  /** CPU ms the load thread used during the window (undefined without /proc). */
  clientCpuMs: number | undefined;
}

export interface LineStats {
  /** Valid reply requests the fake LINE accepted. */
  replies: number;
  /** Requests it refused as not what LINE accepts, with a few of the reasons. */
  invalid: number;
  invalidSamples: string[];
  other: number;
  /** CPU ms the fake LINE's thread has used so far (undefined without /proc). */
  cpuMs: number | undefined;
}

export type WorkerInput = { kind: 'load'; spec: LoadSpec } | { kind: 'line' };
/** The load worker says when its measured window opens and closes, then sends the result. */
export type LoadMessage = { type: 'window-start' } | { type: 'window-end' } | { type: 'result'; result: LoadResult };
export type LineCommand =
  | 'stats'
  | 'close'
  /** Media the fake serves at /v2/bot/message/<id>/content (evidence photos). */
  | { setContent: { messageId: string; data: Uint8Array; contentType: string } };
export type LineMessage = { type: 'ready'; url: string } | { type: 'stats'; stats: LineStats };

/** Workers do not inherit tsx's loader, so the worker registers it before importing the TypeScript entry. */
function startTsWorker(input: WorkerInput): Worker {
  const entry = new URL('./worker.ts', import.meta.url).href;
  const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData: input });
}

function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (msg: T) => {
      worker.off('error', onError);
      resolve(msg);
    };
    const onError = (err: unknown) => {
      worker.off('message', onMessage);
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
  });
}

/** Runs one load; `window` hooks fire when the measured window opens and closes, to sample the server side. */
export async function runLoad(
  spec: LoadSpec,
  window: { start?: () => void; end?: () => void } = {},
): Promise<LoadResult> {
  const worker = startTsWorker({ kind: 'load', spec });
  try {
    for (;;) {
      const msg = await nextMessage<LoadMessage>(worker);
      if (msg.type === 'window-start') window.start?.();
      else if (msg.type === 'window-end') window.end?.();
      else return msg.result;
    }
  } finally {
    await worker.terminate();
  }
}

export interface FakeLineWorker {
  url: string;
  setContent(messageId: string, data: Uint8Array, contentType: string): Promise<void>;
  /** Cumulative counts of what reached the fake LINE so far. */
  stats(): Promise<LineStats>;
  close(): Promise<void>;
}

export async function startFakeLineWorker(): Promise<FakeLineWorker> {
  const worker = startTsWorker({ kind: 'line' });
  const ready = await nextMessage<LineMessage>(worker);
  if (ready.type !== 'ready') throw new Error('fake LINE worker did not start');
  const ask = async (cmd: LineCommand): Promise<LineStats> => {
    const answer = nextMessage<LineMessage>(worker);
    worker.postMessage(cmd);
    const msg = await answer;
    if (msg.type !== 'stats') throw new Error('fake LINE worker answered out of turn');
    return msg.stats;
  };
  return {
    url: ready.url,
    stats: () => ask('stats'),
    setContent: async (messageId, data, contentType) => {
      await ask({ setContent: { messageId, data, contentType } });
    },
    async close() {
      await ask('close');
      await worker.terminate();
    },
  };
}
