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

/**
 * The client's bucket for the guess limit: its address, or for IPv6 its /64 (one subscriber's network hands out
 * as many addresses as it likes). IPv4-mapped IPv6 addresses count as the IPv4 address.
 */
export function guessBucket(address: string): string {
  const a = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (!a.includes(':')) return a;
  const [head = '', tail] = a.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail is two groups; only the first four groups matter here.
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  if (groups.length < 4 || groups.slice(0, 4).some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return a;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
