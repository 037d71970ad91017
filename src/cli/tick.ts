// `tick --at <ISO time>`: the scheduled work as of that instant (now without --at); its report as JSON.
import { buildDeps } from '../deps.js';
import { fsBlobStore } from '../runtime/fs-blobs.js';
import { tick as runTick } from '../scheduler/tick.js';
import type { Command } from './command.js';

export const tick: Command = {
  opensDatabase: true,
  async run({ values, config, log, database: { db }, io }) {
    const at = values.at === undefined ? io.now() : Date.parse(values.at);
    if (Number.isNaN(at)) {
      io.err('--at must be an ISO time, e.g. 2026-11-23T01:00:00Z');
      return 2;
    }
    const deps = buildDeps({ config, db, log, blobs: fsBlobStore(config.dataDir), defer: () => {} });
    io.out(JSON.stringify(await runTick(deps, at)));
    return 0;
  },
};
