// `migrate`: opening the database applies the migrations; this says which database it was.
import type { Command } from './command.js';

export const migrate: Command = {
  opensDatabase: true,
  run({ database, io }) {
    io.out(`migrations applied (${database.kind})`);
    return Promise.resolve(0);
  },
};
