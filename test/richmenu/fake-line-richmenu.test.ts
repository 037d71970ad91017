// The fake LINE server's rich menu side is only worth something if it refuses what LINE refuses: a menu over the
// limits, an upload of the wrong type, size or dimensions, a second upload, and linking or aliasing a menu that
// has no image yet. And it keeps LINE's state: links follow a deleted menu away.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLine, type FakeLine } from '../support/fake-line.js';

const AUTH = { authorization: 'Bearer test-token' };
let line: FakeLine;
beforeEach(async () => {
  line = await startFakeLine();
});
afterEach(() => line.close());

async function call(method: string, path: string, body?: unknown, type = 'application/json') {
  const raw = body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const res = await fetch(line.url + path, {
    method,
    headers: raw === undefined ? AUTH : { ...AUTH, 'content-type': type },
    ...(raw === undefined ? {} : { body: raw }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The first 24 bytes of a PNG (signature and IHDR) are all the fake reads for the size. */
function png(width: number, height: number, bytes = 64): Buffer {
  const b = Buffer.alloc(bytes);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

const menu = (over: Record<string, unknown> = {}) => ({
  size: { width: 2500, height: 843 },
  selected: false,
  name: 'test',
  chatBarText: 'เมนู',
  areas: [{ bounds: { x: 0, y: 0, width: 2500, height: 843 }, action: { type: 'postback', data: 'a=menu' } }],
  ...over,
});

describe('fake LINE rich menus', () => {
  it('refuses menus over LINE’s limits, in validate and create alike', async () => {
    const area = menu().areas[0];
    for (const path of ['/v2/bot/richmenu/validate', '/v2/bot/richmenu']) {
      expect((await call('POST', path, menu({ areas: Array.from({ length: 21 }, () => area) }))).status).toBe(400);
      expect((await call('POST', path, menu({ chatBarText: 'ก'.repeat(15) }))).status).toBe(400);
      const outside = { ...area, bounds: { x: 100, y: 0, width: 2500, height: 843 } };
      expect((await call('POST', path, menu({ areas: [outside] }))).status).toBe(400);
      expect((await call('POST', path, menu({ size: { width: 2500, height: 2000 } }))).status).toBe(400);
    }
    expect(line.richMenus().menus.size).toBe(0);
    expect((await call('POST', '/v2/bot/richmenu/validate', menu())).status).toBe(200);
    expect(line.richMenus().menus.size).toBe(0); // validating creates nothing
  });

  it('checks the upload’s type, size and dimensions, and takes one image per menu', async () => {
    const id = String((await call('POST', '/v2/bot/richmenu', menu())).json.richMenuId);
    const upload = (body: Buffer, type: string) => call('POST', `/v2/bot/richmenu/${id}/content`, body, type);
    // No image yet: LINE neither links nor aliases the menu.
    expect((await call('POST', '/v2/bot/richmenu/bulk/link', { richMenuId: id, userIds: ['U1'] })).status).toBe(400);
    expect((await call('POST', '/v2/bot/richmenu/alias', { richMenuAliasId: 'a', richMenuId: id })).status).toBe(400);

    expect((await upload(png(2500, 843), 'image/gif')).status).toBe(400);
    expect((await upload(png(2500, 843), 'image/jpeg')).status).toBe(400); // says JPEG, is a PNG
    expect((await upload(png(2500, 1686), 'image/png')).status).toBe(400); // not the menu's size
    expect((await upload(png(2500, 843, 1024 * 1024 + 1), 'image/png')).status).toBe(400);
    expect(line.invalid()).toHaveLength(4);
    expect((await upload(png(2500, 843), 'image/png')).status).toBe(200);
    expect(line.richMenus().menus.get(id)?.image).toEqual({
      contentType: 'image/png',
      bytes: 64,
      width: 2500,
      height: 843,
    });
    expect((await upload(png(2500, 843), 'image/png')).json.message).toMatch(/already been uploaded/);

    expect((await call('POST', '/v2/bot/richmenu/bulk/link', { richMenuId: id, userIds: ['U1', 'U2'] })).status).toBe(
      202,
    );
    expect((await call('GET', '/v2/bot/user/U1/richmenu')).json).toEqual({ richMenuId: id });
    expect((await call('POST', '/v2/bot/richmenu/alias', { richMenuAliasId: 'nithet-x', richMenuId: id })).status).toBe(
      200,
    );
    expect((await call('POST', '/v2/bot/richmenu/alias', { richMenuAliasId: 'nithet-x', richMenuId: id })).status).toBe(
      400,
    );
    expect((await call('POST', '/v2/bot/richmenu/alias/nithet-y', { richMenuId: id })).status).toBe(400);

    expect((await call('DELETE', `/v2/bot/richmenu/${id}`)).status).toBe(200);
    expect((await call('GET', '/v2/bot/user/U1/richmenu')).status).toBe(404);
    expect((await call('DELETE', `/v2/bot/richmenu/${id}`)).status).toBe(404);
  });
});
