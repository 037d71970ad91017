// Node's reply call: LINE's reply endpoint over kept-alive sockets, with the SDK's request and response types. The
// SDK's fetch (undici) costs about 300 µs of CPU per reply on the server's one thread; a node:http keep-alive
// request about 33 µs, most of it node:http's own machinery (a ClientRequest, the agent's bookkeeping, the
// response parser and IncomingMessage stream, several ticks per request). A reply is one small POST answered by
// a small JSON body, so this speaks that much HTTP/1.1 itself on plain net/tls sockets: the request written in
// one go, the answer read by its Content-Length or chunks (or up to the socket's end): about 12 µs (both measured
// against a local keep-alive server, 8 at a time). The SDK stays for everything else (pushes, multicasts, rich
// menus) and on Workers. A kept-alive socket the other end closed while it sat idle fails the next request before
// any answer: that request is sent once more on a fresh socket.
import { validateHeaderValue } from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { messagingApi } from '@line/bot-sdk';
import { LineApiError, type ReplyTransport } from '../line/client.js';
import { memoize } from '../objects/memo.js';

/** Sockets open at once per LINE host (replies go out after the 200, so at most this many at once). */
const MAX_SOCKETS = 32;
/** API bases pooled before the pools start over (a dropped pool's idle sockets close on silence). */
const MAX_TARGETS = 16;
/** An answer larger than this is not LINE's reply answer: the socket is dropped and the reply failed. */
const MAX_ANSWER_BYTES = 1 << 20;
/**
 * A socket silent this long is closed: with a request on it, that request fails. The caller's own timeout
 * (createLineApi's, 10 s) gives up on the reply sooner, but only this frees the socket: without it a LINE that
 * never answers would hold all MAX_SOCKETS sockets for good, and every later reply would wait in the queue.
 */
const SILENT_MS = 15_000;

interface Answer {
  status: number;
  body: string;
}

export function keepAliveReply(opts: { silentMs?: number } = {}): ReplyTransport {
  const silentMs = opts.silentMs ?? SILENT_MS;
  // One pool per API base (one in practice: the configured LINE API), its URL parsed once.
  const targetOf = memoize(
    (apiBaseUrl: string) => new Target(new URL(`${apiBaseUrl}/v2/bot/message/reply`), silentMs),
    MAX_TARGETS,
  );
  return async (apiBaseUrl, accessToken, request) => {
    const target = targetOf(apiBaseUrl);
    // UTF-8 once: its length is the content-length, and the socket writes these bytes as they are.
    const body = Buffer.from(JSON.stringify(request satisfies messagingApi.ReplyMessageRequest), 'utf8');
    const head = target.head(accessToken, body.length);
    let answer: Answer;
    try {
      answer = await target.exchange(head, body, false);
    } catch (err) {
      if (!(err instanceof StaleSocket)) throw err;
      answer = await target.exchange(head, body, true);
    }
    if (answer.status < 200 || answer.status >= 300)
      throw new LineApiError(`reply: HTTP ${answer.status}`, answer.status, answer.body);
  };
}

/** A reused keep-alive socket closed or failed before any answer: the request can go again on a new one. */
class StaleSocket extends Error {}

/** One host's sockets: idle ones (the last used first), how many are open, and requests waiting for one. */
class Target {
  private readonly idle: Conn[] = [];
  private open = 0;
  private readonly waiting: ((conn: Conn) => void)[] = [];
  private readonly secure: boolean;
  private readonly host: string;
  private readonly port: number;
  /** The request's fixed lines; per request only the token and the length vary. */
  private readonly start: string;
  /** `Authorization` lines by token (a process has one or a few tokens). */
  readonly auth: (token: string) => string;

  constructor(
    url: URL,
    private readonly silentMs: number,
  ) {
    this.secure = url.protocol === 'https:';
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port === '' ? (this.secure ? 443 : 80) : url.port);
    this.start = `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n`;
    this.auth = memoize((token: string) => {
      const value = `Bearer ${token}`;
      // node:http's own check of a header value (no line breaks or other control characters), as its requests had.
      try {
        validateHeaderValue('Authorization', value);
      } catch {
        throw new LineApiError('reply: the access token is not a valid header value', 0, '');
      }
      return `Authorization: ${value}\r\n`;
    }, 16);
  }

  head(token: string, length: number): string {
    return `${this.start}${this.auth(token)}Content-Length: ${length}\r\n\r\n`;
  }

  /** Sends one request and reads its answer; `fresh` never takes an idle socket. */
  exchange(head: string, body: Buffer, fresh: boolean): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const send = (conn: Conn) => conn.send(head, body, resolve, reject);
      const idle = fresh ? undefined : this.idle.pop();
      if (idle !== undefined) send(idle);
      else if (this.open < MAX_SOCKETS) send(this.connect());
      else this.waiting.push(send);
    });
  }

  private connect(): Conn {
    this.open++;
    const socket = this.secure
      ? tls.connect({
          host: this.host,
          port: this.port,
          ...(net.isIP(this.host) === 0 ? { servername: this.host } : {}),
        })
      : net.connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 1_000);
    // Armed once: node restarts it on every read and write, so it fires only after silentMs without either.
    socket.setTimeout(this.silentMs);
    return new Conn(socket, this);
  }

  /** A socket done with its answer and still usable: the next waiting request, or the idle list. */
  release(conn: Conn): void {
    const next = this.waiting.shift();
    if (next !== undefined) return next(conn);
    conn.socket.unref();
    this.idle.push(conn);
  }

  /** A socket that closed or was dropped: it is no longer open, and a waiting request gets a new one. */
  closed(conn: Conn): void {
    this.open--;
    const at = this.idle.indexOf(conn);
    if (at >= 0) this.idle.splice(at, 1);
    const next = this.waiting.shift();
    if (next !== undefined) next(this.connect());
  }
}

interface Exchange {
  resolve: (a: Answer) => void;
  reject: (err: unknown) => void;
  /** Bytes of the answer so far (an answer is small: it is read whole, then parsed). */
  data: Buffer | null;
}

/** One socket: at most one request in flight on it. */
class Conn {
  private current: Exchange | null = null;
  private uses = 0;
  private gone = false;

  constructor(
    readonly socket: net.Socket,
    private readonly target: Target,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.onGone(err));
    socket.on('close', () => this.onGone(null));
    // The other end closing is final for an HTTP/1.1 client; the answer, if any, is read by then.
    socket.on('end', () => socket.destroy());
    // Silent too long (SILENT_MS): a request on it fails; an idle socket is simply closed.
    socket.on('timeout', () =>
      this.current === null ? socket.destroy() : this.fail(new Error('reply: no answer from LINE in time')),
    );
  }

  send(head: string, body: Buffer, resolve: (a: Answer) => void, reject: (err: unknown) => void): void {
    if (this.gone) {
      // Closed while it waited to be handed on: a request that never left, so it goes on a fresh socket.
      reject(new StaleSocket('socket closed before the request'));
      return;
    }
    this.uses++;
    this.current = { resolve, reject, data: null };
    this.socket.ref();
    this.socket.cork();
    this.socket.write(head, 'latin1');
    this.socket.write(body);
    this.socket.uncork();
  }

  private onData(chunk: Buffer): void {
    const ex = this.current;
    if (ex === null) {
      // Bytes nobody asked for: the connection is out of step, and is not used again.
      this.socket.destroy();
      return;
    }
    ex.data = ex.data === null ? chunk : Buffer.concat([ex.data, chunk]);
    let parsed: Parsed | null;
    try {
      if (ex.data.length > MAX_ANSWER_BYTES) throw new Error('reply: answer too large');
      parsed = parseAnswer(ex.data, false);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (parsed === null) return;
    this.current = null;
    ex.resolve(parsed.answer);
    if (parsed.reusable && parsed.used === ex.data.length) this.target.release(this);
    else this.socket.destroy();
  }

  private onGone(err: Error | null): void {
    if (!this.gone) {
      this.gone = true;
      this.target.closed(this);
    }
    const ex = this.current;
    if (ex === null) return;
    // An answer without a length ends when the socket does.
    const parsed = ex.data === null || err !== null ? null : safeParse(ex.data);
    if (parsed !== null) {
      this.current = null;
      ex.resolve(parsed.answer);
      return;
    }
    this.fail(
      ex.data === null && this.uses > 1
        ? new StaleSocket(err?.message ?? 'socket closed')
        : (err ?? new Error('reply: socket closed before the answer')),
    );
  }

  private fail(err: unknown): void {
    const ex = this.current;
    this.current = null;
    this.socket.destroy();
    ex?.reject(err);
  }
}

function safeParse(data: Buffer): Parsed | null {
  try {
    return parseAnswer(data, true);
  } catch {
    return null;
  }
}

interface Parsed {
  answer: Answer;
  /** Bytes of `data` the answer took. */
  used: number;
  /** Whether the socket may carry the next request. */
  reusable: boolean;
}

const CRLF = Buffer.from('\r\n');
const CRLF2 = Buffer.from('\r\n\r\n');

/**
 * An HTTP/1.1 answer read from the start of `data`: null while incomplete. Its body is framed by
 * Content-Length, by chunks, or (with neither) by the socket's end (`ended`). Interim 1xx answers are skipped. An
 * accepted (2xx) answer's body is skipped unread: no one reads what LINE says about sent messages.
 */
export function parseAnswer(data: Buffer, ended: boolean): Parsed | null {
  let from = 0;
  for (;;) {
    const headEnd = data.indexOf(CRLF2, from);
    if (headEnd < 0) {
      if (ended) throw new Error('reply: answer cut short');
      return null;
    }
    // Header names and the values read here are case-insensitive: the whole head lower-cased at once.
    const lines = data.toString('latin1', from, headEnd).toLowerCase().split('\r\n');
    const statusLine = /^http\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
    if (statusLine === null) throw new Error('reply: not an HTTP/1.x answer');
    const status = Number(statusLine[2]);
    let length = -1;
    let chunked = false;
    let close = statusLine[1] === '0';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error('reply: malformed header');
      // Only content-length, connection and transfer-encoding matter: any other line is passed over.
      const first = line.charCodeAt(0);
      if (first !== 99 /* c */ && first !== 116 /* t */) continue;
      const name = line.slice(0, colon).trimEnd();
      if (name === 'content-length') {
        const value = line.slice(colon + 1).trim();
        if (!/^\d+$/.test(value) || (length >= 0 && Number(value) !== length))
          throw new Error('reply: bad content-length');
        length = Number(value);
      } else if (name === 'transfer-encoding') {
        chunked = line
          .slice(colon + 1)
          .split(',')
          .some((t) => t.trim() === 'chunked');
      } else if (name === 'connection') {
        const tokens = line
          .slice(colon + 1)
          .split(',')
          .map((t) => t.trim());
        if (tokens.includes('close')) close = true;
        else if (tokens.includes('keep-alive')) close = false;
      }
    }
    const bodyStart = headEnd + 4;
    if (status >= 100 && status < 200 && status !== 101) {
      from = bodyStart;
      continue;
    }
    const wanted = status < 200 || status >= 300;
    if (status === 204 || status === 304) return { answer: { status, body: '' }, used: bodyStart, reusable: !close };
    if (chunked) {
      const read = readChunks(data, bodyStart, wanted);
      if (read === null) {
        if (ended) throw new Error('reply: answer cut short');
        return null;
      }
      return { answer: { status, body: read.body }, used: read.end, reusable: !close };
    }
    if (length >= 0) {
      if (data.length < bodyStart + length) {
        if (ended) throw new Error('reply: answer cut short');
        return null;
      }
      const body = wanted ? data.toString('utf8', bodyStart, bodyStart + length) : '';
      return { answer: { status, body }, used: bodyStart + length, reusable: !close };
    }
    // Neither: the body runs to the end of the connection.
    if (!ended) return null;
    return {
      answer: { status, body: wanted ? data.toString('utf8', bodyStart) : '' },
      used: data.length,
      reusable: false,
    };
  }
}

/** A hex digit's value, or -1. */
function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  const lower = byte | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * A chunked body from `at`: its text (when `wanted`, else '') and where it ends (after the trailers), or null
 * while incomplete.
 */
function readChunks(data: Buffer, at: number, wanted: boolean): { body: string; end: number } | null {
  const parts: Buffer[] = [];
  let pos = at;
  for (;;) {
    const lineEnd = data.indexOf(CRLF, pos);
    if (lineEnd < 0) return null;
    // The size in hex, then optional chunk extensions after a ';' (ignored).
    let size = 0;
    let digits = 0;
    let i = pos;
    for (; i < lineEnd; i++) {
      const v = hexValue(data[i] ?? 0);
      if (v < 0) break;
      size = size * 16 + v;
      digits++;
    }
    while (i < lineEnd && (data[i] === 32 || data[i] === 9)) i++;
    if (digits === 0 || digits > 8 || (i < lineEnd && data[i] !== 59)) throw new Error('reply: bad chunk size');
    if (size === 0) {
      // Trailers, if any, up to an empty line.
      let t = lineEnd + 2;
      for (;;) {
        const end = data.indexOf(CRLF, t);
        if (end < 0) return null;
        if (end === t) return { body: wanted ? Buffer.concat(parts).toString('utf8') : '', end: end + 2 };
        t = end + 2;
      }
    }
    const start = lineEnd + 2;
    if (data.length < start + size + 2) return null;
    if (data[start + size] !== 13 || data[start + size + 1] !== 10) throw new Error('reply: bad chunk end');
    if (wanted) parts.push(data.subarray(start, start + size));
    pos = start + size + 2;
  }
}
