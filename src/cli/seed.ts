// `seed demo [--json]`: creates or refreshes the demo office, one fresh invite per persona.
import { seedDemo } from '../demo/seed.js';
import { DevClock } from '../dev/clock.js';
import { loadDevClock } from '../dev/dev-clock.queries.js';
import type { Command } from './command.js';

export const seed: Command = {
  opensDatabase: true,
  async run({ sub, values, database: { db }, io }) {
    if (sub !== 'demo') return undefined;
    // At the simulator's stored time when it was moved on: the story's dates then match the chats.
    const clock = new DevClock();
    clock.restore(await loadDevClock(db));
    const demo = await seedDemo(db, clock.now(), { story: true });
    if (values.json) io.out(JSON.stringify(demo, null, 2));
    else {
      io.out(`${demo.office.nameTh} (${demo.office.code})`);
      for (const p of demo.personas) io.out(`  ${p.inviteCode}  ${p.role.padEnd(10)} ${p.name}`);
    }
    return 0;
  },
};
