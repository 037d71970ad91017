// `npm run cli -- <command>`, as a function: `main(argv, io)` parses, opens the database the way `npm start` does
// (and refuses, exit 3, while a server holds an embedded one), runs one command module of this folder, and returns
// the exit code. src/cli.ts calls it with the real terminal; tests call it in-process with their own CliIo.
import { checklistsUsage } from '../checklists/cli.js';
import { parseEnv } from '../config/env.js';
import { DatabaseLocked, openNodeDatabase, type NodeDatabase } from '../db/node.js';
import { createLogger } from '../log.js';
import { adminToken } from './admin-token.js';
import { campaign } from './campaign.js';
import { chat } from './chat.js';
import { checklists } from './checklists.js';
import { parseCli, type CliIo, type Command } from './command.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { invite } from './invite.js';
import { migrate } from './migrate.js';
import { richmenu } from './richmenu.js';
import { seed } from './seed.js';
import { tick } from './tick.js';

const usage = `usage: npm run cli -- <command>
  migrate
  seed demo [--json]
  invite create --office CODE (--person UUID | --external-id ID)... [--days N]
  tick --at <ISO time>
  checklists sync
${checklistsUsage}
  export responses --office CODE --campaign UUID [--format csv|xlsx] [--table REPEAT_KEY] [--out FILE]
  export visits --office CODE [--from DATE] [--to DATE] [--format csv|xlsx] [--out FILE]
  export completion --office CODE --campaign UUID [--by school|cluster] [--format csv|xlsx] [--out FILE]
  export sar --campaign UUID --format csv|xlsx --out FILE [--table summary|below|texts|feedback]
  import schools|people|assignments|plan|eqa --office CODE --file path.csv|path.xlsx [--dry-run] [--invites]
  chat --as director|admin|supervisor|principal|teacher [--url http://localhost:8787]
  richmenu sync [--channel ID]
  admin-token create --office CODE --label TEXT
  campaign create --office CODE --checklist KEY [--version N] --roles R1,R2 --due YYYY-MM-DD --title TITLE [--opens YYYY-MM-DD]`;

const commands: Record<string, Command> = {
  migrate,
  seed,
  invite,
  tick,
  checklists,
  campaign,
  export: exportCommand,
  import: importCommand,
  chat,
  'admin-token': adminToken,
  richmenu,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (err) {
    // An unknown or malformed option: node:util's message names it.
    io.err(err instanceof Error ? err.message : String(err));
    io.err(usage);
    return 2;
  }
  const { values, positionals } = parsed;
  const [name, sub] = positionals;
  const command = name === undefined ? undefined : commands[name];
  if (command === undefined) {
    io.err(usage);
    return 2;
  }
  const config = parseEnv(io.env);
  const args = { sub, positionals, values, io, config };
  let code: number | undefined;
  if (!command.opensDatabase) code = await command.run(args);
  else {
    let database: NodeDatabase;
    try {
      database = await openNodeDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    } catch (err) {
      // `npm start` holds the embedded database: refuse, saying how, rather than write a copy that is lost.
      if (!(err instanceof DatabaseLocked)) throw err;
      io.err(err.message);
      return 3;
    }
    try {
      const log = createLogger(config.logLevel, (line) => io.err(line));
      code = await command.run({ ...args, database, log });
    } finally {
      await database.close();
    }
  }
  if (code === undefined) io.err(usage);
  return code ?? 2;
}
