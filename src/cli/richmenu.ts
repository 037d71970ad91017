// `richmenu sync [--channel ID]`: each role's rich menu (assets/richmenu/*.png) on the channels with credentials.
import { buildDeps } from '../deps.js';
import { richMenuSync } from '../richmenu/cli.js';
import { fsBlobStore } from '../runtime/fs-blobs.js';
import type { Command } from './command.js';

export const richmenu: Command = {
  opensDatabase: true,
  async run({ sub, values, config, log, database: { db }, io }) {
    if (sub !== 'sync') return undefined;
    const deps = buildDeps({ config, db, log, blobs: fsBlobStore(config.dataDir), defer: () => {} });
    return richMenuSync(deps, values.channel, (line) => io.err(line));
  },
};
