import { describe, expect, it } from 'vitest';
import { forwardedClient, guessBucket, nodeSocketAddress } from './client-address.js';

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

describe('guessBucket', () => {
  it('an IPv4 address is its own bucket, also when written IPv4-mapped', () => {
    expect(guessBucket('203.0.113.9')).toBe('203.0.113.9');
    expect(guessBucket('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('IPv6 clients share a bucket per /64, however the address is written', () => {
    const b = '2001:db8:1:2::/64';
    expect(guessBucket('2001:db8:1:2::1')).toBe(b);
    expect(guessBucket('2001:0db8:0001:0002:ffff:1:2:3')).toBe(b);
    expect(guessBucket('[2001:DB8:1:2::99]')).toBe(b);
    expect(guessBucket('2001:db8:1:2:0:0:0:7%eth0')).toBe(b);
    expect(guessBucket('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(guessBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(guessBucket('::1')).toBe('0:0:0:0::/64');
  });

  it('anything else is kept as it is (one bucket per odd value)', () => {
    expect(guessBucket('unknown')).toBe('unknown');
    expect(guessBucket('zz:1::')).toBe('zz:1::');
  });
});
