// The built-in checklists shipped in checklists/*.json, validated and published as office-less versions.
// Node only (reads files): `npm run cli -- checklists sync`, the demo seed, and tests.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client.js';
import { type Definition, type DefinitionIssue, validateDefinition } from './definition.js';
import { publishChecklist, type PublishOutcome } from './checklists.queries.js';

export const BUILTIN_DIR = fileURLToPath(new URL('../../checklists', import.meta.url));

export type BuiltinFile =
  { file: string; ok: true; definition: Definition } | { file: string; ok: false; issues: DefinitionIssue[] };

export async function readBuiltins(dir = BUILTIN_DIR): Promise<BuiltinFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file): Promise<BuiltinFile> => {
      let json: unknown;
      try {
        json = JSON.parse(await readFile(`${dir}/${file}`, 'utf8'));
      } catch (err) {
        return {
          file,
          ok: false,
          issues: [{ path: '(file)', message: err instanceof Error ? err.message : 'unreadable' }],
        };
      }
      const result = validateDefinition(json);
      return result.ok ? { file, ok: true, definition: result.definition } : { file, ok: false, issues: result.issues };
    }),
  );
}

export interface SyncLine {
  file: string;
  key?: string;
  version?: number;
  outcome: PublishOutcome['status'] | 'invalid';
  issues?: DefinitionIssue[];
}

export async function syncBuiltins(db: Db, dir = BUILTIN_DIR): Promise<SyncLine[]> {
  const out: SyncLine[] = [];
  for (const f of await readBuiltins(dir)) {
    if (!f.ok) {
      out.push({ file: f.file, outcome: 'invalid', issues: f.issues });
      continue;
    }
    const r = await publishChecklist(db, null, f.definition);
    out.push({ file: f.file, key: f.definition.key, version: f.definition.version, outcome: r.status });
  }
  return out;
}
