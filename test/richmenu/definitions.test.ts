// The menus as data against LINE's limits (our checks and LINE's own schema through the fake's validator), and
// the committed images: PNG, the menu's size, under 1 MB, and drawn from the current definitions.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { imageUrl } from '../../src/richmenu/cli.js';
import {
  HEIGHT,
  layout,
  MENUS,
  menuProblems,
  menuRequest,
  menuRoles,
  type RichMenuRequest,
  WIDTH,
} from '../../src/richmenu/definitions.js';
import { imageManifest } from '../../src/richmenu/manifest.js';
import { contentHash } from '../../src/richmenu/sync.js';
import { imageSize, validateMessagingRequest } from '../support/fake-line.js';

const requests = MENUS.map((d) => menuRequest(d, 'f'.repeat(64)));

describe('rich menu definitions', () => {
  it('has one menu per role that has one, and none for admin', () => {
    expect(MENUS.map((m) => m.role).sort()).toEqual([...menuRoles].sort());
    expect(MENUS.some((m) => (m.role as string) === 'admin')).toBe(false);
  });

  it.each(requests.map((r) => [r.name, r] as const))('%s is within LINE limits', (_name, req) => {
    expect(menuProblems(req)).toEqual([]);
    expect(validateMessagingRequest('POST', '/v2/bot/richmenu', req)).toEqual([]);
    expect(req.areas.length).toBeLessThanOrEqual(20);
    expect(req.chatBarText.length).toBeLessThanOrEqual(14);
    for (const a of req.areas) {
      if (a.action.type === 'postback') {
        expect(a.action.data.length).toBeLessThanOrEqual(300);
        // The chat shows what was tapped, in Thai.
        expect(a.action.displayText).toMatch(/[\u0e00-\u0e7f]/u);
      } else expect(a.action.text).toMatch(/[\u0e00-\u0e7f]/u);
    }
  });

  it('tiles cover the whole image without overlapping', () => {
    for (const def of MENUS) {
      const area = layout(def).reduce((n, t) => n + t.bounds.width * t.bounds.height, 0);
      expect(area).toBe(WIDTH * HEIGHT);
    }
  });

  it('catches each limit it claims to check', () => {
    const base = requests[0] as RichMenuRequest;
    const area = base.areas[0] as RichMenuRequest['areas'][number];
    const tooMany = { ...base, areas: Array.from({ length: 21 }, () => area) };
    expect(menuProblems(tooMany)).toContain('21 areas (at most 20)');
    expect(menuProblems({ ...base, chatBarText: 'ก'.repeat(15) })).toEqual(['chatBarText over 14 characters']);
    const outside = { ...area, bounds: { ...area.bounds, x: WIDTH - 10 } };
    expect(menuProblems({ ...base, areas: [outside] })).toEqual(['areas[0].bounds outside the 2500×1686 image']);
    const long = {
      ...area,
      action: { type: 'postback' as const, label: 'x', data: 'a'.repeat(301), displayText: 'x' },
    };
    expect(menuProblems({ ...base, areas: [long] })).toEqual(['areas[0].action.data over 300']);
    expect(menuProblems({ ...base, areas: [area, area] })).toEqual(['areas[0] and areas[1] overlap']);
    expect(menuProblems({ ...base, size: { width: 2500, height: 2000 } })).toEqual(['aspect ratio 1.25 under 1.45']);
  });

  it('the content hash changes with the definition and with the image', async () => {
    const def = MENUS[0];
    if (def === undefined) throw new Error('no menus');
    const png = new Uint8Array([1, 2, 3]);
    const h = await contentHash(def, png);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(await contentHash(def, png)).toBe(h);
    expect(await contentHash({ ...def, chatBarText: 'เมนูใหม่' }, png)).not.toBe(h);
    expect(await contentHash(def, new Uint8Array([1, 2, 4]))).not.toBe(h);
  });
});

describe('committed rich menu images', () => {
  it.each([...menuRoles])('%s.png is a PNG of the menu size under 1 MB', (role) => {
    const png = readFileSync(imageUrl(role));
    expect(imageSize(png)).toEqual({ type: 'image/png', width: WIDTH, height: HEIGHT });
    expect(png.length).toBeLessThanOrEqual(1024 * 1024);
  });

  it('were drawn from the current definitions (else run: npx tsx scripts/richmenu-images.ts)', () => {
    const manifest: unknown = JSON.parse(readFileSync(new URL('manifest.json', imageUrl('x')), 'utf8'));
    expect(manifest).toEqual(imageManifest());
  });
});
