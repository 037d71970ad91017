// Renders each role's rich menu image from src/richmenu/definitions.ts: `npx tsx scripts/richmenu-images.ts`.
// An SVG per role (tiles where the tap areas are, a simple icon drawn as shapes, the Thai label and a small English
// one) goes through resvg with the Thai font from Debian's fonts-thai-tlwg, loaded by path with system fonts off
// so every machine draws the same pixels. The PNGs are committed: sync, CI and production need neither the font
// nor resvg. assets/richmenu/manifest.json records what each PNG was drawn from, and a test fails when the
// definitions moved on without a re-render.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import {
  HEIGHT,
  type Icon,
  layout,
  MENUS,
  type MenuDefinition,
  type PlacedTile,
  WIDTH,
} from '../src/richmenu/definitions.js';
import { imageManifest } from '../src/richmenu/manifest.js';

const FONT_DIR = '/usr/share/fonts/truetype/tlwg';
const FONTS = ['Waree.ttf', 'Waree-Bold.ttf'].map((f) => `${FONT_DIR}/${f}`);
const OUT = new URL('../assets/richmenu/', import.meta.url);

const INK = '#1f2328'; // bottom-row text on #f4f6f8: contrast ≈ 14:1
const PAPER = '#f4f6f8';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Icons in a 200×200 box, strokes in `c`; shapes only, so no icon font is needed. */
function icon(name: Icon, c: string): string {
  const s = `fill="none" stroke="${c}" stroke-width="14" stroke-linecap="round" stroke-linejoin="round"`;
  switch (name) {
    case 'home':
      return `<path ${s} d="M25 100 L100 30 L175 100 M45 85 V170 H155 V85"/><rect x="85" y="115" width="30" height="55" fill="${c}"/>`;
    case 'checklist':
      return `<rect ${s} x="40" y="30" width="120" height="150" rx="12"/><rect x="75" y="18" width="50" height="26" rx="8" fill="${c}"/>
        <path ${s} d="M62 85 l12 12 l20 -24 M62 135 l12 12 l20 -24 M110 88 H140 M110 138 H140"/>`;
    case 'calendar':
      return `<rect ${s} x="25" y="40" width="150" height="135" rx="14"/><path ${s} d="M25 80 H175 M65 22 V55 M135 22 V55"/>
        ${[0, 1, 2].flatMap((r) => [0, 1, 2].map((k) => `<circle cx="${62 + k * 38}" cy="${108 + r * 25}" r="8" fill="${c}"/>`)).join('')}`;
    case 'list':
      return [50, 100, 150]
        .map((y) => `<circle cx="40" cy="${y}" r="12" fill="${c}"/><path ${s} d="M72 ${y} H170"/>`)
        .join('');
    case 'alert':
      return `<path ${s} d="M100 25 L180 170 H20 Z"/><path ${s} d="M100 75 V120"/><circle cx="100" cy="148" r="10" fill="${c}"/>`;
    case 'chart':
      return `<path ${s} d="M25 175 H180"/><rect x="40" y="95" width="30" height="70" fill="${c}"/>
        <rect x="88" y="55" width="30" height="110" fill="${c}"/><rect x="136" y="120" width="30" height="45" fill="${c}"/>
        <path fill="none" stroke="${c}" stroke-width="8" stroke-dasharray="16 12" d="M22 75 H182"/>`;
    case 'report':
      return `<path ${s} d="M45 20 H125 L160 55 V180 H45 Z M125 20 V55 H160"/>
        <rect x="70" y="120" width="20" height="40" fill="${c}"/><rect x="98" y="95" width="20" height="65" fill="${c}"/>
        <rect x="126" y="75" width="20" height="85" fill="${c}"/><path ${s} d="M70 65 H105"/>`;
    case 'status':
      return `<rect ${s} x="20" y="40" width="160" height="120" rx="14"/><circle ${s} cx="70" cy="90" r="18"/>
        <path ${s} d="M45 135 Q70 110 95 135 M115 80 H155 M115 110 H155"/>`;
    case 'gear': {
      const teeth = Array.from(
        { length: 8 },
        (_, i) =>
          `<rect x="88" y="18" width="24" height="36" rx="4" fill="${c}" transform="rotate(${i * 45} 100 100)"/>`,
      ).join('');
      return `${teeth}<circle ${s} cx="100" cy="100" r="55"/><circle ${s} cx="100" cy="100" r="20"/>`;
    }
    case 'help':
      return `<circle ${s} cx="100" cy="100" r="78"/><path ${s} d="M72 78 Q72 48 100 48 Q130 48 130 76 Q130 96 100 106 V122"/>
        <circle cx="100" cy="150" r="10" fill="${c}"/>`;
    case 'shield':
      return `<path ${s} d="M100 20 L168 45 V100 Q168 150 100 182 Q32 150 32 100 V45 Z"/><path ${s} d="M70 100 l22 22 l40 -44"/>`;
  }
}

/** Thai vowels above/below and tone marks take no width of their own. */
const spacing = (s: string) => [...s].filter((ch) => !/[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]/u.test(ch)).length;

/** The largest size up to `max` at which the label fills at most 80% of the tile (≈0.62 em per Thai letter). */
const fit = (label: string, width: number, max: number) =>
  Math.min(max, Math.floor((0.8 * width) / (spacing(label) * 0.62)));

function tile(t: PlacedTile, accent: string): string {
  const { x, y, width: w, height: h } = t.bounds;
  const top = t.row === 'top';
  const bg = top ? accent : PAPER;
  const fg = top ? '#ffffff' : INK;
  const iconColour = top ? '#ffffff' : accent;
  const iconSize = top ? 300 : 170;
  const thSize = fit(t.th, w, top ? 120 : 68);
  const enSize = top ? 60 : 42;
  // Icon, Thai, English stacked and centred; the Thai baseline leaves room for upper vowels and tone marks.
  const block = iconSize + 40 + thSize + 24 + enSize;
  const y0 = y + (h - block) / 2;
  const cx = x + w / 2;
  const scale = iconSize / 200;
  return `<g>
  <rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${bg}"/>
  <g transform="translate(${cx - iconSize / 2} ${y0}) scale(${scale})">${icon(t.icon, iconColour)}</g>
  <text x="${cx}" y="${y0 + iconSize + 40 + thSize * 0.85}" font-family="Waree" font-weight="bold" font-size="${thSize}"
        fill="${fg}" text-anchor="middle">${esc(t.th)}</text>
  <text x="${cx}" y="${y0 + iconSize + 40 + thSize + 24 + enSize * 0.85}" font-family="Waree" font-size="${enSize}"
        fill="${fg}" fill-opacity="${top ? 0.9 : 0.75}" text-anchor="middle">${esc(t.en)}</text>
</g>`;
}

export function menuSvg(def: MenuDefinition): string {
  const tiles = layout(def);
  // Thin white rules between tiles, so neighbouring tiles of one colour still read as separate buttons.
  const rules = tiles
    .filter((t) => t.bounds.x > 0)
    .map((t) => `<rect x="${t.bounds.x - 3}" y="${t.bounds.y}" width="6" height="${t.bounds.height}" fill="#ffffff"/>`)
    .join('');
  const divider = `<rect x="0" y="${tiles.find((t) => t.row === 'bottom')?.bounds.y ?? HEIGHT}" width="${WIDTH}" height="6" fill="#d0d7de"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
${tiles.map((t) => tile(t, def.accent)).join('\n')}
${rules}${divider}
</svg>`;
}

function main(): void {
  const missing = FONTS.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    console.error(`missing ${missing.join(', ')}: apt-get install -y fonts-thai-tlwg`);
    process.exitCode = 1;
    return;
  }
  mkdirSync(OUT, { recursive: true });
  for (const def of MENUS) {
    const png = new Resvg(menuSvg(def), {
      fitTo: { mode: 'original' },
      font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: 'Waree' },
    })
      .render()
      .asPng();
    if (png.length > 1024 * 1024) throw new Error(`${def.role}.png is ${png.length} bytes, over LINE's 1 MB`);
    writeFileSync(new URL(`${def.role}.png`, OUT), png);
    console.error(`assets/richmenu/${def.role}.png ${png.length} bytes`);
  }
  writeFileSync(new URL('manifest.json', OUT), `${JSON.stringify(imageManifest(), null, 2)}\n`);
}

main();
