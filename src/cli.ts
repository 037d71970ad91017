// `npm run cli -- <command>`: operators' entry (see src/cli/main.ts; one module per command in src/cli/).
//   migrate                      apply migrations
//   seed demo [--json]           create/refresh the demo office; one fresh invite per persona
//   invite create --office CODE (--person UUID | --external-id ID)… [--days N]
//   tick --at <ISO time>         run the scheduled work as of that instant
//   checklists sync              publish the built-in checklists in checklists/*.json
//   checklists import|export     an office's checklist from XLSForm/JSON; any version out as XLSForm
//   campaign create …            send a checklist to roles of an office between two dates
//   export responses|visits|completion --office CODE [--campaign UUID] [--format csv|xlsx] [--out FILE]
//          [--table KEY] [--by school|cluster] [--from DATE --to DATE]   to FILE, or stdout
//   export sar --campaign UUID --format csv|xlsx --out FILE [--table summary|below|texts|feedback]   SAR synthesis
//   import schools|people|assignments|plan --office CODE --file path.csv|.xlsx [--dry-run] [--invites]
//                                every bad row named; progress on stderr
//   chat --as PERSONA [--url URL]  the /dev chat simulator in this terminal (needs `npm start` in dev mode)
//   admin-token create --office CODE --label TEXT   an office admin token, printed once (only its hash is kept)
//   richmenu sync [--channel ID]  put each role's rich menu (assets/richmenu/*.png) on the channels with credentials
import { processIo } from './cli/io.js';
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2), processIo());
