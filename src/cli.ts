// `npm run cli -- <command>`: operators' and tests' entry. Same database rules as `npm start`.
//   migrate                      apply migrations
//   seed demo [--json]           create/refresh the demo office; one fresh invite per persona
//   invite create --office CODE (--person UUID | --external-id ID)… [--days N]
//   tick --at <ISO time>         run the scheduled work as of that instant
//   checklists sync              publish the built-in checklists in checklists/*.json
//   checklists import|export     an office's checklist from XLSForm/JSON; any version out as XLSForm
//   campaign create …            send a checklist to roles of an office between two dates
//   export responses|visits|completion --office CODE [--campaign UUID] [--format csv|xlsx] [--out FILE]
//          [--table KEY] [--by school|cluster] [--from DATE --to DATE]   to FILE, or stdout
//   export sar --campaign UUID --format csv|xlsx --out FILE [--table summary|below|texts]   SAR synthesis
//   import schools|people|assignments|plan --office CODE --file path.csv|.xlsx [--dry-run] [--invites]
//                                every bad row named; progress on stderr
//   chat --as PERSONA [--url URL]  the /dev chat simulator in this terminal (needs `npm start` in dev mode)
//   admin-token create --office CODE --label TEXT   an office admin token, printed once (only its hash is kept)
//   richmenu sync [--channel ID]  put each role's rich menu (assets/richmenu/*.png) on the channels with credentials
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { audit, findOffice } from './admin/admin.queries.js';
import { newOfficeToken, tokenHash } from './admin/auth.js';
import { insertToken } from './admin/tokens.queries.js';
import { AppError } from './errors.js';
import { exportKinds, runExport, type ExportKind } from './exports/build.js';
import { parseEnv } from './config/env.js';
import { chatInTerminal } from './dev/terminal.js';
import { queryRows } from './db/client.js';
import { DatabaseLocked, openNodeDatabase } from './db/node.js';
import { seedDemo } from './demo/seed.js';
import { DevClock } from './dev/clock.js';
import { loadDevClock } from './dev/dev-clock.queries.js';
import { createLogger } from './log.js';
import { issueInvites } from './onboarding/invites.js';
import { tick } from './scheduler/tick.js';
import { buildDeps } from './deps.js';
import { fsBlobStore } from './runtime/fs-blobs.js';
import { sql } from 'drizzle-orm';
import { syncBuiltins } from './checklists/builtin-files.js';
import { checklistsCommand, checklistsUsage } from './checklists/cli.js';
import { campaignBlockers } from './checklists/upload.js';
import { findChecklist, upsertCampaign } from './checklists/checklists.queries.js';
import { type Role, roles as roleList } from './db/schema.js';
import { importFile, importKinds, type ImportKind } from './imports/imports.js';
import { richMenuSync } from './richmenu/cli.js';
import { loadSarReport } from './sar/report.js';
import { campaignOffice } from './sar/sar.queries.js';
import { sarFile, type SarTable, sarTables } from './sar/sheets.js';

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
  export sar --campaign UUID --format csv|xlsx --out FILE [--table summary|below|texts]
  import schools|people|assignments|plan --office CODE --file path.csv|path.xlsx [--dry-run] [--invites]
  chat --as director|admin|supervisor|principal|teacher [--url http://localhost:8787]
  richmenu sync [--channel ID]
  admin-token create --office CODE --label TEXT
  campaign create --office CODE --checklist KEY [--version N] --roles R1,R2 --due YYYY-MM-DD --title TITLE [--opens YYYY-MM-DD]`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      office: { type: 'string' },
      person: { type: 'string', multiple: true },
      'external-id': { type: 'string', multiple: true },
      days: { type: 'string' },
      at: { type: 'string' },
      checklist: { type: 'string' },
      version: { type: 'string' },
      roles: { type: 'string' },
      due: { type: 'string' },
      opens: { type: 'string' },
      title: { type: 'string' },
      campaign: { type: 'string' },
      repeat: { type: 'string' },
      table: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      by: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      as: { type: 'string' },
      url: { type: 'string' },
      file: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      invites: { type: 'boolean', default: false },
      channel: { type: 'string' },
      label: { type: 'string' },
    },
  });
  const [command, sub] = positionals;
  if (command === undefined) {
    console.error(usage);
    return 2;
  }
  const config = parseEnv(process.env);
  // A client of the running server (which holds the database), so it opens none itself.
  if (command === 'chat') {
    if (values.as === undefined) {
      console.error(usage);
      return 2;
    }
    return chatInTerminal({ url: values.url ?? `http://localhost:${config.port}`, as: values.as });
  }
  const log = createLogger(config.logLevel, (line) => process.stderr.write(`${line}\n`));
  let database: Awaited<ReturnType<typeof openNodeDatabase>>;
  try {
    database = await openNodeDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    // `npm start` holds the embedded database: refuse, saying how, rather than write a copy that is lost.
    if (!(err instanceof DatabaseLocked)) throw err;
    console.error(err.message);
    return 3;
  }
  const db = database.db;
  try {
    if (command === 'export' && sub === 'sar') return await exportSar(db, values);
    switch (command) {
      case 'migrate':
        console.log(`migrations applied (${database.kind})`);
        return 0;
      case 'seed': {
        if (sub !== 'demo') break;
        // At the simulator's stored time when it was moved on: the story's dates then match the chats.
        const clock = new DevClock();
        clock.restore(await loadDevClock(db));
        const demo = await seedDemo(db, clock.now(), { story: true });
        if (values.json) console.log(JSON.stringify(demo, null, 2));
        else {
          console.log(`${demo.office.nameTh} (${demo.office.code})`);
          for (const p of demo.personas) console.log(`  ${p.inviteCode}  ${p.role.padEnd(10)} ${p.name}`);
        }
        return 0;
      }
      case 'invite': {
        if (sub !== 'create' || values.office === undefined) break;
        const office = await findOffice(db, values.office);
        if (office === undefined) {
          console.error(`no office ${values.office}`);
          return 1;
        }
        const external = values['external-id'] ?? [];
        const fromExternal =
          external.length === 0
            ? []
            : await queryRows<{ id: string; external_id: string }>(
                db,
                sql`SELECT id, external_id FROM people WHERE office_id = ${office.id}
                      AND external_id = ANY(${sql.param(external)}::text[])`,
              );
        const missing = external.filter((e) => !fromExternal.some((r) => r.external_id === e));
        if (missing.length > 0) {
          console.error(`unknown external ids: ${missing.join(', ')}`);
          return 1;
        }
        const ids = [...(values.person ?? []), ...fromExternal.map((r) => r.id)];
        const days = values.days === undefined ? undefined : Number(values.days);
        const invites = await issueInvites(db, office.id, ids, Date.now(), days);
        if (invites.length < ids.length)
          console.error(`${ids.length - invites.length} people not found in ${office.code}`);
        for (const i of invites) console.log(`${i.code}  ${i.personId}  expires ${i.expiresAt}`);
        return invites.length === ids.length ? 0 : 1;
      }
      case 'checklists': {
        if (sub === 'import' || sub === 'export') {
          const code = await checklistsCommand(
            db,
            sub,
            { target: positionals[2], office: values.office, version: values.version, out: values.out },
            { out: (l) => console.log(l), err: (l) => console.error(l) },
          );
          if (code === undefined) break;
          return code;
        }
        if (sub !== 'sync') break;
        const lines = await syncBuiltins(db);
        for (const l of lines) {
          console.log(`${l.outcome.padEnd(9)} ${l.file}${l.key === undefined ? '' : ` (${l.key} v${l.version})`}`);
          for (const i of l.issues ?? []) console.log(`          ${i.path}: ${i.message}`);
        }
        return lines.every((l) => l.outcome === 'created' || l.outcome === 'unchanged') ? 0 : 1;
      }
      case 'campaign': {
        if (sub !== 'create' || values.office === undefined || values.checklist === undefined) break;
        const office = await findOffice(db, values.office);
        const roles = (values.roles ?? '').split(',').map((r) => r.trim());
        const badRole = roles.find((r) => !(roleList as readonly string[]).includes(r));
        const due = Date.parse(`${values.due ?? ''}T23:59:59+07:00`);
        const opens = values.opens === undefined ? Date.now() : Date.parse(`${values.opens}T00:00:00+07:00`);
        if (
          office === undefined ||
          badRole !== undefined ||
          Number.isNaN(due) ||
          Number.isNaN(opens) ||
          values.title === undefined
        ) {
          console.error(
            office === undefined
              ? `no office ${values.office}`
              : badRole !== undefined
                ? `unknown role ${badRole}`
                : usage,
          );
          return 2;
        }
        const version = values.version === undefined ? undefined : Number(values.version);
        const checklist = await findChecklist(db, office.id, values.checklist, version);
        if (checklist === undefined) {
          console.error(`no checklist ${values.checklist}`);
          return 1;
        }
        const blockers = await campaignBlockers(db, checklist.id);
        if (blockers.length > 0) {
          for (const b of blockers) console.error(`${b.field}: ${b.message}`);
          return 1;
        }
        const c = await upsertCampaign(db, {
          officeId: office.id,
          checklistId: checklist.id,
          titleTh: values.title,
          roles: roles.filter((r): r is Role => (roleList as readonly string[]).includes(r)),
          schoolIds: [],
          clusterIds: [],
          opensAt: new Date(opens).toISOString(),
          dueAt: new Date(due).toISOString(),
        });
        console.log(`${c.created ? 'created' : 'updated'} campaign ${c.id} (${checklist.key} v${checklist.version})`);
        return 0;
      }
      case 'export': {
        if (!(exportKinds as readonly (string | undefined)[]).includes(sub) || values.office === undefined) break;
        const office = await findOffice(db, values.office);
        if (office === undefined) {
          console.error(`no office ${values.office}`);
          return 1;
        }
        try {
          const file = await runExport(
            db,
            office,
            sub as ExportKind,
            {
              campaign: values.campaign,
              format: values.format,
              table: values.table ?? values.repeat,
              by: values.by,
              from: values.from,
              to: values.to,
            },
            { now: Date.now(), via: 'cli' },
          );
          if (values.out === undefined) process.stdout.write(file.body);
          else {
            writeFileSync(values.out, file.body);
            console.error(`wrote ${values.out} (${file.rows} rows)`);
          }
          return 0;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          console.error(err.message);
          for (const i of err.issues) console.error(`  ${i.field}: ${i.message}`);
          return 1;
        }
      }
      case 'import': {
        if (!(importKinds as readonly (string | undefined)[]).includes(sub)) break;
        if (values.office === undefined || values.file === undefined) break;
        const office = await findOffice(db, values.office);
        if (office === undefined) {
          console.error(`no office ${values.office}`);
          return 1;
        }
        const dryRun = values['dry-run'];
        const file = values.file;
        console.log(`${dryRun ? 'dry run: ' : ''}importing ${sub ?? ''} into ${office.code} from ${file}`);
        // Progress goes to stderr so stdout stays the report; a large file shows where it is.
        const r = await importFile(db, office.id, sub as ImportKind, readFileSync(file), contentTypeOf(file), {
          dryRun,
          invites: values.invites,
          now: Date.now(),
          progress: (stage, rows) => process.stderr.write(`${stage}: ${rows} rows\n`),
        });
        console.log(`rows read: ${r.rowsRead}`);
        console.log(`valid:     ${r.valid}`);
        if (r.ignoredColumns.length > 0) console.log(`ignored columns: ${r.ignoredColumns.join(', ')}`);
        for (const i of r.issues) console.error(`  row ${i.row ?? '-'} ${i.field}: ${i.message}`);
        if (r.issues.length > 0) {
          console.error(`${r.issues.length} problems; nothing was written`);
          return 1;
        }
        const same = r.unchanged === undefined ? '' : `, unchanged ${r.unchanged}`;
        console.log(
          dryRun
            ? `written:   0 (dry run; would create ${r.created}, update ${r.updated}${same})`
            : `written:   ${r.written} (created ${r.created}, updated ${r.updated}${same})`,
        );
        for (const i of r.skipped ?? []) console.error(`  skipped row ${i.row ?? '-'} ${i.field}: ${i.message}`);
        for (const i of r.invites)
          console.log(`  ${i.code}  row ${i.row}  ${i.externalId}  ${i.name}  expires ${i.expiresAt}`);
        return 0;
      }
      case 'admin-token': {
        // The same as POST /offices/:office/tokens: the token goes to stdout once and is never stored.
        const label = values.label?.trim() ?? '';
        if (sub !== 'create' || values.office === undefined || label === '' || label.length > 200) break;
        const office = await findOffice(db, values.office);
        if (office === undefined) {
          console.error(`no office ${values.office}`);
          return 1;
        }
        const token = newOfficeToken();
        const row = await insertToken(db, office.id, label, await tokenHash(token));
        await audit(db, {
          actor: 'cli',
          officeId: office.id,
          action: 'admin_token.create',
          targetType: 'admin_token',
          targetId: row.id,
          detail: { label: row.label, via: 'cli' },
        });
        console.error(`office ${office.code} token ${row.id} (${row.label}); shown once, keep it safe:`);
        console.log(token);
        return 0;
      }
      case 'richmenu': {
        if (sub !== 'sync') break;
        const deps = buildDeps({ config, db, log, blobs: fsBlobStore(config.dataDir), defer: () => {} });
        return await richMenuSync(deps, values.channel, (line) => process.stderr.write(`${line}\n`));
      }
      case 'tick': {
        const at = values.at === undefined ? Date.now() : Date.parse(values.at);
        if (Number.isNaN(at)) {
          console.error('--at must be an ISO time, e.g. 2026-11-23T01:00:00Z');
          return 2;
        }
        const deps = buildDeps({ config, db, log, blobs: fsBlobStore(config.dataDir), defer: () => {} });
        console.log(JSON.stringify(await tick(deps, at)));
        return 0;
      }
    }
    console.error(usage);
    return 2;
  } finally {
    await database.close();
  }
}

/** The extension decides only for .xlsx; anything else is sniffed (a zip signature means XLSX) or read as CSV. */
function contentTypeOf(file: string): string {
  return /\.xlsx$/i.test(file) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : '';
}

/**
 * `export sar`: the office-level SAR synthesis of one campaign (the campaign names its office), written to a file
 * because XLSX is binary. Audited like the admin API's export.
 */
async function exportSar(
  db: Awaited<ReturnType<typeof openNodeDatabase>>['db'],
  v: { campaign?: string; format?: string; out?: string; table?: string },
): Promise<number> {
  const format = v.format === 'csv' || v.format === 'xlsx' ? v.format : undefined;
  const table = sarTables.find((t): t is SarTable => t === (v.table ?? 'summary'));
  if (v.campaign === undefined || format === undefined || v.out === undefined || table === undefined) {
    console.error(usage);
    return 2;
  }
  const officeId = await campaignOffice(db, v.campaign);
  const report = officeId === undefined ? undefined : await loadSarReport(db, officeId, { id: v.campaign });
  if (officeId === undefined || report === undefined) {
    console.error(`no SAR campaign ${v.campaign}`);
    return 1;
  }
  const file = await sarFile(report, format, table);
  writeFileSync(v.out, file.body);
  await audit(db, {
    officeId,
    action: 'export.sar',
    targetType: 'campaign',
    targetId: report.campaign.id,
    detail: { format, ...(format === 'csv' ? { table } : {}), schools: report.synthesis.expected, via: 'cli' },
  });
  console.log(
    `wrote ${v.out} (${report.campaign.title}: ${report.synthesis.submitted}/${report.synthesis.expected} schools)`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
