// `chat --as PERSONA [--url URL]`: the /dev chat simulator in this terminal. A client of the running server (which
// holds the database), so it opens none itself.
import { chatInTerminal } from '../dev/terminal.js';
import type { Command } from './command.js';

export const chat: Command = {
  opensDatabase: false,
  async run({ values, config }) {
    if (values.as === undefined) return undefined;
    return chatInTerminal({ url: values.url ?? `http://localhost:${config.port}`, as: values.as });
  },
};
