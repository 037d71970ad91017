// `richmenu sync`: puts each role's menu on a channel. The content hash (definition + image bytes) says whether
// anything changed: unchanged roles cost no LINE call. A changed role gets a new menu (validated, created, image
// uploaded), its alias moved, its people linked to it, then the new id is stored marked "sweep", the old menus are
// deleted, and the mark cleared. A run that stops anywhere can simply be repeated: before the store, the old menu
// is still in use and the new one is a stray the next run deletes; after it, the mark makes the next run finish
// the deletion without making anything anew.
import type { Db } from '../db/client.js';
import type { Channel } from '../line/channels.js';
import type { Logger } from '../log.js';
import {
  aliasOf,
  MENUS,
  type MenuDefinition,
  type MenuRole,
  menuRequest,
  menuProblems,
  RICH_MENU_LIMITS,
} from './definitions.js';
import type { RichMenuApi } from './line.js';
import { BULK_LINK_MAX } from './line.js';
import { peopleOfRole, saveMenu, storedMenus, sweepDone, SWEEP_PREFIX } from './richmenu.queries.js';

export interface SyncDeps {
  db: Db;
  log: Logger;
  api: (channel: Channel) => RichMenuApi;
  /** The committed PNG of a role's menu (assets/richmenu/<role>.png). */
  image: (role: MenuRole) => Promise<Uint8Array>;
  menus?: readonly MenuDefinition[];
  /** One line per step for the operator (stderr in the CLI): channel ids, roles and menu ids, nothing personal. */
  progress?: (line: string) => void;
}

export interface ChannelSync {
  channelId: string;
  created: MenuRole[];
  unchanged: MenuRole[];
  deleted: number;
  /** People moved to a new menu by this run. */
  linked: number;
}

/** A problem with our own menu or image (over a limit), named for the operator; nothing of a person in it. */
export class RichMenuError extends Error {
  override name = 'RichMenuError';
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** sha-256 of the request LINE gets (without the hash in its name) and the image bytes. */
export async function contentHash(def: MenuDefinition, image: Uint8Array): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(menuRequest(def)));
  const all = new Uint8Array(json.length + 1 + image.length);
  all.set(json, 0);
  all.set(image, json.length + 1);
  return hex(await crypto.subtle.digest('SHA-256', all));
}

function imageType(png: Uint8Array): 'image/png' | 'image/jpeg' {
  if (png[0] === 0x89 && png[1] === 0x50 && png[2] === 0x4e && png[3] === 0x47) return 'image/png';
  if (png[0] === 0xff && png[1] === 0xd8) return 'image/jpeg';
  throw new RichMenuError('rich menu image is neither PNG nor JPEG');
}

export async function syncChannel(deps: SyncDeps, channel: Channel): Promise<ChannelSync> {
  const say = deps.progress ?? (() => {});
  const api = deps.api(channel);
  const stored = new Map((await storedMenus(deps.db, channel.id)).map((m) => [m.role, m]));
  const out: ChannelSync = { channelId: channel.id, created: [], unchanged: [], deleted: 0, linked: 0 };
  let sweep = false;
  for (const def of deps.menus ?? MENUS) {
    const image = await deps.image(def.role);
    if (image.length > RICH_MENU_LIMITS.imageBytes)
      throw new RichMenuError(`${def.role}.png is over 1 MB (${image.length} bytes)`);
    const hash = await contentHash(def, image);
    const old = stored.get(def.role);
    if (old?.content_hash === hash || old?.content_hash === SWEEP_PREFIX + hash) {
      out.unchanged.push(def.role);
      sweep ||= old.content_hash !== hash; // a run that stopped before deleting the old menus
      say(`${channel.id} ${def.role}: unchanged (${old.rich_menu_id})`);
      continue;
    }
    const req = menuRequest(def, hash);
    const problems = menuProblems(req);
    if (problems.length > 0) throw new RichMenuError(`${def.role} menu: ${problems.join('; ')}`);
    const richMenuId = await api.create(req);
    say(`${channel.id} ${def.role}: created ${richMenuId}`);
    await api.uploadImage(richMenuId, image, imageType(image));
    say(`${channel.id} ${def.role}: image uploaded (${image.length} bytes)`);
    const aliasId = aliasOf(def.role);
    await api.setAlias(aliasId, richMenuId, old !== undefined);
    say(`${channel.id} ${def.role}: alias ${aliasId} → ${richMenuId}`);
    // Everyone of the role moves to the new menu before it is stored: a failure here stores nothing, and the
    // re-run starts this role over (the menu made here is swept as a stray).
    const people = await peopleOfRole(deps.db, channel.id, def.role);
    for (let i = 0; i < people.length; i += BULK_LINK_MAX) {
      const chunk = people.slice(i, i + BULK_LINK_MAX);
      await api.bulkLink(
        richMenuId,
        chunk.map((p) => p.line_user_id),
      );
    }
    if (people.length > 0) say(`${channel.id} ${def.role}: linked ${people.length} people`);
    await saveMenu(deps.db, {
      channelId: channel.id,
      role: def.role,
      richMenuId,
      aliasId,
      contentHash: hash,
      linked: people.map((p) => p.person_id),
    });
    out.created.push(def.role);
    out.linked += people.length;
    sweep = true;
  }
  if (!sweep) return out;

  // Menus named nithet-… that no role uses any more: the replaced ones, and strays of a run that stopped.
  const current = new Set((await storedMenus(deps.db, channel.id)).map((m) => m.rich_menu_id));
  for (const m of await api.list()) {
    if (!m.name.startsWith('nithet-') || current.has(m.richMenuId)) continue;
    await api.delete(m.richMenuId);
    out.deleted++;
    say(`${channel.id}: deleted old menu ${m.richMenuId}`);
  }
  await sweepDone(deps.db, channel.id);
  return out;
}
