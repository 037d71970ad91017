// Node's reply call: LINE's reply endpoint through a keep-alive node:http(s) agent, with the SDK's request and
// response types. The SDK's fetch (undici) costs about 300 µs of CPU per reply on the server's one thread, a
// keep-alive node:http request a small part of that (bench/results/peer.md); the SDK stays for everything else
// (pushes, multicasts, rich menus) and on Workers. A keep-alive socket the other end closed while it sat idle
// fails the next request with a reset before any answer: that request is sent once more on a fresh socket.
import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import type { messagingApi } from '@line/bot-sdk';
import { LineApiError, type ReplyTransport } from '../line/client.js';
import { extend } from '../objects/extend.js';

/** Sockets kept open per LINE host (replies go out after the 200, so at most this many at once). */
const MAX_SOCKETS = 32;

interface Answer {
  status: number;
  body: string;
}

export function keepAliveReply(): ReplyTransport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  };
  // The reply URL parsed once per API base (one in practice), not on every reply.
  const targets = new Map<string, Target>();
  const targetOf = (apiBaseUrl: string): Target => {
    let t = targets.get(apiBaseUrl);
    if (t === undefined) {
      const url = new URL(`${apiBaseUrl}/v2/bot/message/reply`);
      const https_ = url.protocol === 'https:';
      t = {
        https: https_,
        options: { ...urlToHttpOptions(url), method: 'POST', agent: https_ ? agents['https:'] : agents['http:'] },
      };
      targets.set(apiBaseUrl, t);
    }
    return t;
  };
  return async (apiBaseUrl, accessToken, request) => {
    const target = targetOf(apiBaseUrl);
    // UTF-8 once: its length is the content-length, and the socket writes these bytes as they are.
    const body = Buffer.from(JSON.stringify(request satisfies messagingApi.ReplyMessageRequest), 'utf8');
    let answer: Answer;
    try {
      answer = await post(target, accessToken, body);
    } catch (err) {
      if (!(err instanceof StaleSocket)) throw err;
      answer = await post(target, accessToken, body);
    }
    if (answer.status < 200 || answer.status >= 300)
      throw new LineApiError(`reply: HTTP ${answer.status}`, answer.status, answer.body);
  };
}

/** A reused keep-alive socket was reset before any answer: the request can go again on a new one. */
class StaleSocket extends Error {}

interface Target {
  https: boolean;
  /** The request options of the reply URL (host, port, path), method and agent; headers are per request. */
  options: http.RequestOptions;
}

/** A reply LINE accepted: what it says about the sent messages is read by no one, so its body is drained unread. */
const accepted = (status: number) => status >= 200 && status < 300;

function post(target: Target, accessToken: string, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = (target.https ? https : http).request(
      extend(target.options, {
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/json',
          'content-length': body.length,
        },
      }),
      (res) => {
        const status = res.statusCode ?? 0;
        res.on('error', reject);
        if (accepted(status)) {
          res.on('end', () => resolve({ status, body: '' }));
          res.resume();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      const reset = err.code === 'ECONNRESET' || err.code === 'EPIPE';
      reject(req.reusedSocket && reset ? new StaleSocket(err.message) : err);
    });
    req.end(body);
  });
}
