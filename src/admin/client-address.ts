// Who is knocking, for the sign-in guess limit. Headers are believed only where the runtime vouches for them:
// on Workers Cloudflare sets CF-Connecting-IP itself; on Node the socket's peer is the client, unless
// TRUSTED_PROXIES says how many proxies in front append to X-Forwarded-For, and then only their entries count.
// Anything a client may write itself (its own X-Forwarded-For, a CF-Connecting-IP sent to Node) is ignored.

/**
 * The client behind `trusted` proxies: the chain is X-Forwarded-For's entries then the socket's peer, and each
 * trusted proxy appended the address it saw, so the client is the entry `trusted` places from the right. A chain
 * shorter than that (a request that came round the proxies) gives its leftmost entry.
 */
export function forwardedClient(socket: string | undefined, xff: string | undefined, trusted: number): string {
  const peer = socket ?? 'unknown';
  if (trusted <= 0) return peer;
  const chain = [
    ...(xff ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    peer,
  ];
  return chain[Math.max(0, chain.length - 1 - trusted)] ?? peer;
}

/** The peer of a request served by @hono/node-server, which hands its IncomingMessage over as env.incoming. */
export function nodeSocketAddress(env: unknown): string | undefined {
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return undefined;
  const incoming = env.incoming;
  if (typeof incoming !== 'object' || incoming === null || !('socket' in incoming)) return undefined;
  const socket = incoming.socket;
  if (typeof socket !== 'object' || socket === null || !('remoteAddress' in socket)) return undefined;
  return typeof socket.remoteAddress === 'string' ? socket.remoteAddress : undefined;
}
