// Rich menus by role, as data: which tiles each role sees, what a tap sends, and the labels the image script
// (scripts/richmenu-images.ts) draws. A tap sends only what the conversation already understands without a step
// token (see transition.ts, visits/chat.ts, read-actions.ts), so a menu never needs a flow of its own.
//
// Decisions:
// - admin has no menu. Admins work in the web admin; the digest buttons answer admins "not for your role"
//   (digests/names.ts), and a menu whose buttons refuse is worse than none. Typing เมนู still works for them.
// - No default rich menu (the one LINE shows before we link a person's own). A follower who has not linked yet
//   can do one thing, type the invite code; onboarding answers any tap by asking for the code again, and the
//   privacy notice is already shown at the first contact. A menu there would only invite taps that go nowhere.
// - A director's first tile is the SAR summary (`a=sar`, src/sar/chat.ts): the office-wide synthesis is what a
//   director reads most; the schools below target and the overdue names follow it.
// - PDPA "ข้อมูลของฉัน" is a message action, not a postback: the conversation takes PDPA requests as typed words
//   on purpose, so the tile sends exactly the words a person could type, and opens no new way in.
import type { Role } from '../db/schema.js';
import { LIMITS, postbackData } from '../line/messages.js';

/** LINE's limits for a rich menu object (Messaging API reference, "Rich menu object"). */
export const RICH_MENU_LIMITS = {
  areas: 20,
  chatBarText: 14,
  name: 300,
  postbackData: LIMITS.postbackData,
  displayText: 300,
  messageText: 300,
  imageBytes: 1024 * 1024,
  /** Width 800–2500 px, height ≥ 250 px, aspect ratio width/height ≥ 1.45. */
  minWidth: 800,
  maxWidth: 2500,
  minHeight: 250,
  minAspect: 1.45,
} as const;

export const WIDTH = 2500;
export const HEIGHT = 1686;
/** The top row holds a role's own work; the bottom row is the same for everyone. */
const TOP_HEIGHT = 1000;

export type Icon =
  'home' | 'checklist' | 'calendar' | 'list' | 'alert' | 'chart' | 'report' | 'status' | 'gear' | 'help' | 'shield';

export type TileAction = { type: 'postback'; data: string; displayText: string } | { type: 'message'; text: string };

export interface Tile {
  th: string;
  en: string;
  icon: Icon;
  action: TileAction;
}

export interface MenuDefinition {
  /** The role whose people get this menu; also the image file name and the alias suffix. */
  role: MenuRole;
  /** Shown in the chat bar under the keyboard (≤ 14 characters). */
  chatBarText: string;
  /** Accent colour of the top tiles (dark enough for white text: contrast ≥ 4.5:1). */
  accent: string;
  top: Tile[];
  bottom: Tile[];
}

export const menuRoles = ['teacher', 'principal', 'supervisor', 'director'] as const satisfies readonly Role[];
export type MenuRole = (typeof menuRoles)[number];

const pb = (action: string, displayText: string, fields: Record<string, string> = {}): TileAction => ({
  type: 'postback',
  data: postbackData(action, fields),
  displayText,
});

const tiles = {
  home: { th: 'หน้าหลัก', en: 'Home', icon: 'home', action: pb('menu', 'เมนู') },
  checklists: { th: 'เช็กลิสต์', en: 'Checklists', icon: 'checklist', action: pb('list', 'เช็กลิสต์') },
  planVisit: { th: 'นัดนิเทศ', en: 'Plan a visit', icon: 'calendar', action: pb('vplan', 'นัดนิเทศ') },
  visits: { th: 'ตารางนิเทศ', en: 'My visits', icon: 'list', action: pb('vlist', 'ตารางนิเทศ') },
  overdue: {
    th: 'ค้างส่ง',
    en: 'Overdue',
    icon: 'alert',
    action: pb('names', 'ดูรายชื่อที่ค้างส่ง', { k: 'overdue' }),
  },
  belowTarget: {
    th: 'ต่ำกว่าเป้า',
    en: 'Below target',
    icon: 'chart',
    action: pb('names', 'ดูโรงเรียนที่ต่ำกว่าเป้า', { k: 'sar' }),
  },
  sar: { th: 'สรุป SAR', en: 'SAR summary', icon: 'report', action: pb('sar', 'สรุป SAR') },
  status: { th: 'สถานะ', en: 'Status', icon: 'status', action: pb('status', 'สถานะ') },
  settings: { th: 'ตั้งค่า', en: 'Settings', icon: 'gear', action: pb('settings', 'ตั้งค่า') },
  help: { th: 'ช่วยเหลือ', en: 'Help', icon: 'help', action: pb('help', 'ช่วยเหลือ') },
  myData: { th: 'ข้อมูลของฉัน', en: 'My data', icon: 'shield', action: { type: 'message', text: 'ข้อมูลของฉัน' } },
} as const satisfies Record<string, Tile>;

const common: Tile[] = [tiles.status, tiles.settings, tiles.help, tiles.myData];

export const MENUS: readonly MenuDefinition[] = [
  { role: 'teacher', chatBarText: 'เมนูครู', accent: '#1b5e20', top: [tiles.home, tiles.checklists], bottom: common },
  {
    role: 'principal',
    chatBarText: 'เมนูผู้บริหาร',
    accent: '#0d47a1',
    top: [tiles.home, tiles.checklists, tiles.overdue],
    bottom: common,
  },
  {
    role: 'supervisor',
    chatBarText: 'เมนูนิเทศ',
    accent: '#4a148c',
    top: [tiles.planVisit, tiles.visits, tiles.checklists, tiles.overdue],
    bottom: common,
  },
  {
    role: 'director',
    chatBarText: 'เมนู ผอ.เขต',
    accent: '#b71c1c',
    // The office-wide reads first. No home tile (as for supervisors): the home menu would repeat these tiles,
    // and typing เมนู still shows it.
    top: [tiles.sar, tiles.belowTarget, tiles.overdue, tiles.checklists],
    bottom: common,
  },
];

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Splits a row of `n` tiles over the full width; the last tile takes the rounding remainder. */
function row(n: number, y: number, height: number): Bounds[] {
  const w = Math.floor(WIDTH / n);
  return Array.from({ length: n }, (_, i) => ({ x: i * w, y, width: i === n - 1 ? WIDTH - i * w : w, height }));
}

export interface PlacedTile extends Tile {
  bounds: Bounds;
  row: 'top' | 'bottom';
}

/** Where each tile sits: the image script draws these rectangles and the menu's tap areas are the same ones. */
export function layout(def: MenuDefinition): PlacedTile[] {
  const top = row(def.top.length, 0, TOP_HEIGHT);
  const bottom = row(def.bottom.length, TOP_HEIGHT, HEIGHT - TOP_HEIGHT);
  return [
    ...def.top.map((t, i) => ({ ...t, bounds: top[i] as Bounds, row: 'top' as const })),
    ...def.bottom.map((t, i) => ({ ...t, bounds: bottom[i] as Bounds, row: 'bottom' as const })),
  ];
}

/** The body of LINE's create and validate calls (RichMenuRequest). */
export interface RichMenuRequest {
  size: { width: number; height: number };
  selected: boolean;
  name: string;
  chatBarText: string;
  areas: {
    bounds: Bounds;
    action:
      | { type: 'postback'; label: string; data: string; displayText: string }
      | { type: 'message'; label: string; text: string };
  }[];
}

export const aliasOf = (role: MenuRole) => `nithet-${role}`;

/** `name` carries the content hash, so a menu left on LINE by a crashed sync can be told from the current one. */
export function menuRequest(def: MenuDefinition, hash = ''): RichMenuRequest {
  return {
    size: { width: WIDTH, height: HEIGHT },
    // Shown open when the chat opens: the menu is the way in for people who do not type commands.
    selected: true,
    name: hash === '' ? `nithet-${def.role}` : `nithet-${def.role}-${hash.slice(0, 16)}`,
    chatBarText: def.chatBarText,
    areas: layout(def).map((t) => ({
      bounds: t.bounds,
      action: { ...t.action, label: t.th },
    })),
  };
}

/** What breaks LINE's limits in a menu; [] when LINE would accept it. */
export function menuProblems(req: RichMenuRequest): string[] {
  const out: string[] = [];
  const L = RICH_MENU_LIMITS;
  const { width, height } = req.size;
  if (width < L.minWidth || width > L.maxWidth) out.push(`width ${width} outside ${L.minWidth}–${L.maxWidth}`);
  if (height < L.minHeight) out.push(`height ${height} under ${L.minHeight}`);
  if (width / height < L.minAspect) out.push(`aspect ratio ${(width / height).toFixed(2)} under ${L.minAspect}`);
  if (req.chatBarText.length > L.chatBarText) out.push(`chatBarText over ${L.chatBarText} characters`);
  if (req.name.length > L.name) out.push(`name over ${L.name} characters`);
  if (req.areas.length > L.areas) out.push(`${req.areas.length} areas (at most ${L.areas})`);
  req.areas.forEach((a, i) => {
    const b = a.bounds;
    if (b.x < 0 || b.y < 0 || b.width < 1 || b.height < 1 || b.x + b.width > width || b.y + b.height > height)
      out.push(`areas[${i}].bounds outside the ${width}×${height} image`);
    if (a.action.type === 'postback') {
      if (a.action.data.length > L.postbackData) out.push(`areas[${i}].action.data over ${L.postbackData}`);
      if (a.action.displayText.length > L.displayText) out.push(`areas[${i}].action.displayText too long`);
    } else if (a.action.text.length > L.messageText) out.push(`areas[${i}].action.text too long`);
    if (a.action.label.length > 20) out.push(`areas[${i}].action.label over 20 characters`);
  });
  for (let i = 0; i < req.areas.length; i++)
    for (let j = i + 1; j < req.areas.length; j++) {
      const a = req.areas[i]?.bounds;
      const b = req.areas[j]?.bounds;
      if (a && b && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
        out.push(`areas[${i}] and areas[${j}] overlap`);
    }
  return out;
}
