// `checklists sync` (the built-ins in checklists/*.json) and `checklists import|export` (src/checklists/cli.ts).
import { syncBuiltins } from '../checklists/builtin-files.js';
import { checklistsCommand } from '../checklists/cli.js';
import type { Command } from './command.js';

export const checklists: Command = {
  opensDatabase: true,
  async run({ sub, positionals, values, database: { db }, io }) {
    if (sub === 'import' || sub === 'export')
      return checklistsCommand(
        db,
        sub,
        { target: positionals[2], office: values.office, version: values.version, out: values.out },
        io,
      );
    if (sub !== 'sync') return undefined;
    const lines = await syncBuiltins(db);
    for (const l of lines) {
      io.out(`${l.outcome.padEnd(9)} ${l.file}${l.key === undefined ? '' : ` (${l.key} v${l.version})`}`);
      for (const i of l.issues ?? []) io.out(`          ${i.path}: ${i.message}`);
    }
    return lines.every((l) => l.outcome === 'created' || l.outcome === 'unchanged') ? 0 : 1;
  },
};
