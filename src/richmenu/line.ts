// The rich menu calls of LINE's Messaging API through the official SDK: create (after validate), the image upload
// on the api-data host, aliases, delete, list, and the bulk link and unlink the tick uses. Apart from LineApi
// (client.ts) because only `richmenu sync` and one tick step need it; errors come out as LineApiError like there.
import { messagingApi } from '@line/bot-sdk';
import { LineApiError, type LineApiOptions, withTimeout } from '../line/client.js';
import type { RichMenuRequest } from './definitions.js';

/** LINE takes at most this many user ids per bulk link or unlink call. */
export const BULK_LINK_MAX = 500;

export interface RichMenuApi {
  /** Validates first (LINE names what is wrong without creating anything), then creates. Returns the id. */
  create(req: RichMenuRequest): Promise<string>;
  uploadImage(richMenuId: string, png: Uint8Array, contentType: 'image/png' | 'image/jpeg'): Promise<void>;
  /** Points the alias at the menu, creating the alias when it does not exist yet. */
  setAlias(aliasId: string, richMenuId: string, exists: boolean): Promise<void>;
  delete(richMenuId: string): Promise<void>;
  list(): Promise<{ richMenuId: string; name: string }[]>;
  bulkLink(richMenuId: string, userIds: string[]): Promise<void>;
  bulkUnlink(userIds: string[]): Promise<void>;
}

export function createRichMenuApi(opts: LineApiOptions): RichMenuApi {
  const ms = opts.timeoutMs ?? 10_000;
  const client = new messagingApi.MessagingApiClient({
    channelAccessToken: opts.channelAccessToken,
    baseURL: opts.apiBaseUrl,
  });
  const blob = new messagingApi.MessagingApiBlobClient({
    channelAccessToken: opts.channelAccessToken,
    baseURL: opts.dataApiBaseUrl,
  });
  const isStatus = (err: unknown, ...codes: number[]) => err instanceof LineApiError && codes.includes(err.status);
  return {
    async create(req) {
      await withTimeout(client.validateRichMenuObject(req), ms, 'richmenu validate');
      const res = await withTimeout(client.createRichMenu(req), ms, 'richmenu create');
      return res.richMenuId;
    },
    async uploadImage(richMenuId, png, contentType) {
      const body = new Blob([png], { type: contentType });
      await withTimeout(blob.setRichMenuImage(richMenuId, body), ms, 'richmenu image');
    },
    async setAlias(aliasId, richMenuId, exists) {
      // What we stored can be behind LINE after a crash (alias made, row not written), so the other call is the
      // fallback: create answers 400 for an alias that exists, update answers 400 for one that does not.
      const create = () => client.createRichMenuAlias({ richMenuAliasId: aliasId, richMenuId });
      const update = () => client.updateRichMenuAlias(aliasId, { richMenuId });
      const [first, second] = exists ? [update, create] : [create, update];
      try {
        await withTimeout(first(), ms, 'richmenu alias');
      } catch (err) {
        if (!isStatus(err, 400, 404)) throw err;
        await withTimeout(second(), ms, 'richmenu alias');
      }
    },
    async delete(richMenuId) {
      try {
        await withTimeout(client.deleteRichMenu(richMenuId), ms, 'richmenu delete');
      } catch (err) {
        // Already gone (a re-run after a crash that deleted it): the goal is reached.
        if (!isStatus(err, 404)) throw err;
      }
    },
    async list() {
      const res = await withTimeout(client.getRichMenuList(), ms, 'richmenu list');
      return res.richmenus.map((m) => ({ richMenuId: m.richMenuId, name: m.name }));
    },
    async bulkLink(richMenuId, userIds) {
      await withTimeout(client.linkRichMenuIdToUsers({ richMenuId, userIds }), ms, 'richmenu bulk link');
    },
    async bulkUnlink(userIds) {
      await withTimeout(client.unlinkRichMenuIdFromUsers({ userIds }), ms, 'richmenu bulk unlink');
    },
  };
}
