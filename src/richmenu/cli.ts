// `npm run cli -- richmenu sync [--channel ID]`, Node only: reads the committed PNGs (assets/richmenu/<role>.png)
// and syncs every channel that has credentials, the env channel first. Exit code 1 when any channel failed or
// left people pending, so a deploy script notices; the run can simply be repeated.
import { readFile } from 'node:fs/promises';
import type { Deps } from '../deps.js';
import type { Channel } from '../line/channels.js';
import { ENV_CHANNEL_ID } from '../line/channels.js';
import { errorFields } from '../log.js';
import { createRichMenuApi } from './line.js';
import { registeredChannelIds } from './richmenu.queries.js';
import { RichMenuError, syncChannel } from './sync.js';
import { LineApiError } from '../line/client.js';

export const imageUrl = (role: string) => new URL(`../../assets/richmenu/${role}.png`, import.meta.url);

export async function richMenuSync(deps: Deps, only: string | undefined, say: (line: string) => void): Promise<number> {
  const ids = only !== undefined ? [only] : [ENV_CHANNEL_ID, ...(await registeredChannelIds(deps.db))];
  const channels: Channel[] = [];
  for (const id of ids) {
    const ch = id === ENV_CHANNEL_ID ? deps.channels.envChannel() : await deps.channels.registered(deps.db, id);
    if (ch !== null) channels.push(ch);
    else if (only !== undefined || id !== ENV_CHANNEL_ID) say(`${id}: no credentials, skipped`);
  }
  if (channels.length === 0) {
    say('no channel with credentials: set LINE_CHANNEL_ACCESS_TOKEN or register a channel');
    return 1;
  }
  const images = new Map<string, Uint8Array>();
  let failed = 0;
  for (const channel of channels) {
    try {
      const r = await syncChannel(
        {
          db: deps.db,
          log: deps.log,
          progress: say,
          api: (ch) =>
            createRichMenuApi({
              channelAccessToken: ch.accessToken,
              apiBaseUrl: deps.config.lineApiBaseUrl,
              dataApiBaseUrl: deps.config.lineDataApiBaseUrl,
            }),
          image: async (role) => {
            const hit = images.get(role) ?? new Uint8Array(await readFile(imageUrl(role)));
            images.set(role, hit);
            return hit;
          },
        },
        channel,
      );
      say(
        `${channel.id}: ${r.created.length} created, ${r.unchanged.length} unchanged, ${r.deleted} deleted, ` +
          `${r.linked} people linked`,
      );
    } catch (err) {
      failed++;
      // Our own messages, or the error's class and status only: LINE's body and driver messages can echo user ids.
      const f = errorFields(err);
      const why =
        err instanceof RichMenuError || err instanceof LineApiError ? err.message : Object.values(f).join(' ');
      say(`${channel.id}: sync stopped (${why}); run it again to finish`);
      deps.log.error('richmenu sync failed', { channel: channel.id, ...f });
    }
  }
  return failed === 0 ? 0 : 1;
}
