import { describe, expect, it } from 'vitest';
import { forwardedClient, nodeSocketAddress } from './client-address.js';

describe('forwardedClient', () => {
  it('without trusted proxies the socket is the client, whatever X-Forwarded-For says', () => {
    expect(forwardedClient('198.51.100.1', '203.0.113.9', 0)).toBe('198.51.100.1');
    expect(forwardedClient(undefined, '203.0.113.9', 0)).toBe('unknown');
  });

  it('behind n trusted proxies the client is the entry n places from the right of XFF + socket', () => {
    // client 203.0.113.9 → proxy (appends the client) → us: the socket is the proxy.
    expect(forwardedClient('10.0.0.2', '203.0.113.9', 1)).toBe('203.0.113.9');
    // A client that writes its own X-Forwarded-For cannot choose: the proxy appends the real address last.
    expect(forwardedClient('10.0.0.2', '1.2.3.4, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(forwardedClient('10.0.0.3', '1.2.3.4, 203.0.113.9, 10.0.0.2', 2)).toBe('203.0.113.9');
    // A request that came round the proxies (a shorter chain) gets its leftmost entry, the socket at worst.
    expect(forwardedClient('198.51.100.1', undefined, 2)).toBe('198.51.100.1');
  });

  it("reads @hono/node-server's socket, and nothing from anything else", () => {
    expect(nodeSocketAddress({ incoming: { socket: { remoteAddress: '::1' } } })).toBe('::1');
    expect(nodeSocketAddress(undefined)).toBeUndefined();
    expect(nodeSocketAddress({ incoming: {} })).toBeUndefined();
  });
});
