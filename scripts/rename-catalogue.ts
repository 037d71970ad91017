// Codemod: one Thai message catalogue with readable names. Each feature's messages stay in their own file, but
// under a readable export (checklist, pdpa, visits, …) instead of a two-letter one (ck, pd, vt, …), and
// src/i18n/msg.ts gathers them as `msg`, so code says `msg.checklist.progress(…)`, never `ck.progress(…)`.
// Re-runnable: run it on the latest main (`npx tsx scripts/rename-catalogue.ts`, then prettier on what it
// printed); a catalogue already renamed is left as it is, and any new use of an old name is rewritten.
// It works from the type checker (which identifier is bound to which import), not from text: a local variable
// that happens to be called `ck` is left alone. A file that declares its own `msg` where a rewritten reference
// would sit is refused by name, to be resolved by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const MSG = 'src/i18n/msg.ts';

/**
 * Each catalogue: its file, its old short export, and its readable name (its path under `msg`). src/web/imports.th.ts
 * (`ti`, moved in by hand with its kind labels and columns) takes ImportKind from src/imports/sheet.ts, not from
 * src/imports/imports.ts, which reaches msg.ts through the visits and would close an import cycle.
 */
const CATALOGUES = [
  { file: 'src/i18n/checklist.th.ts', from: 'ck', key: 'checklist' },
  { file: 'src/i18n/pdpa.th.ts', from: 'pd', key: 'pdpa' },
  { file: 'src/i18n/reminders.th.ts', from: 'rt', key: 'reminders' },
  { file: 'src/i18n/settings.th.ts', from: 'st', key: 'settings' },
  { file: 'src/i18n/visits.th.ts', from: 'vt', key: 'visits' },
  { file: 'src/i18n/sar-feedback.th.ts', from: 'sf', key: 'sarFeedback' },
  { file: 'src/i18n/signin.th.ts', from: 'sg', key: 'signin' },
  { file: 'src/i18n/db.th.ts', from: 'dbTh', key: 'database' },
  { file: 'src/digests/digest.th.ts', from: 'dt', key: 'digest' },
  { file: 'src/honours/honours.th.ts', from: 'ht', key: 'honours' },
  { file: 'src/reports/reports.th.ts', from: 'rt', key: 'reports' },
  { file: 'src/web/agencies.th.ts', from: 'tg', key: 'web.agencies' },
  { file: 'src/web/assignments.th.ts', from: 'ta', key: 'web.assignments' },
  { file: 'src/web/committee.th.ts', from: 'tc', key: 'web.committee' },
  { file: 'src/web/imports.th.ts', from: 'ti', key: 'web.imports' },
  { file: 'src/honours/honours.th.ts', from: 'hp', key: 'web.honours' },
  { file: 'src/web/officesar.th.ts', from: 'to', key: 'web.officeSar' },
  { file: 'src/web/people.th.ts', from: 'tp', key: 'web.people' },
  { file: 'src/web/reading.th.ts', from: 'rt', key: 'web.reading' },
  { file: 'src/web/schools.th.ts', from: 'ts', key: 'web.schools' },
  { file: 'src/web/sheets.th.ts', from: 'ts', key: 'web.sheets' },
  { file: 'src/web/signin.th.ts', from: 'st', key: 'web.signin' },
] as const;

type Catalogue = (typeof CATALOGUES)[number];
interface Edit {
  start: number;
  end: number;
  text: string;
}

const abs = (f: string) => join(ROOT, f);
/** The catalogues of a file (a file may hold two). */
const cataloguesOf = new Map<string, Catalogue[]>();
for (const c of CATALOGUES) cataloguesOf.set(abs(c.file), [...(cataloguesOf.get(abs(c.file)) ?? []), c]);
/** The name a catalogue is exported under: its path in camel case (`web.people` → `webPeople`). */
const exportName = (c: Catalogue) => c.key.replace(/\.(\w)/g, (_, ch: string) => ch.toUpperCase());

const config = ts.getParsedCommandLineOfConfigFile(
  abs('tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  },
);
if (config === undefined) throw new Error('no tsconfig.json');
const options = config.options;
const program = ts.createProgram(config.fileNames, options);
const checker = program.getTypeChecker();

const edits = new Map<string, Edit[]>();
const refused: string[] = [];
const add = (file: string, e: Edit) => edits.set(file, [...(edits.get(file) ?? []), e]);

/** Every identifier in `sf` bound to `symbol` (the declaration itself excluded). */
function references(sf: ts.SourceFile, symbol: ts.Symbol, except: ts.Node): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node !== except && checker.getSymbolAtLocation(node) === symbol) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** `name` → `replacement` at an identifier, keeping shorthand properties (`{ ck }`) meaning the same. */
function rename(file: string, id: ts.Identifier, replacement: string): void {
  const parent = id.parent;
  const text =
    ts.isShorthandPropertyAssignment(parent) && parent.name === id ? `${id.text}: ${replacement}` : replacement;
  add(file, { start: id.getStart(), end: id.getEnd(), text });
}

/** Whether a value named `name` other than the module's own import is visible at `node`. */
function shadowed(node: ts.Node, name: string): boolean {
  return checker
    .getSymbolsInScope(node, ts.SymbolFlags.Value)
    .some((s) => s.name === name && !(s.declarations ?? []).some((d) => ts.isImportSpecifier(d)));
}

function resolveImport(from: string, spec: string): string | undefined {
  const r = ts.resolveModuleName(spec, from, options, ts.sys).resolvedModule;
  return r === undefined ? undefined : resolve(r.resolvedFileName);
}

function specifierTo(from: string, target: string): string {
  const rel = relative(dirname(from), target).replace(/\.tsx?$/, '.js');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

for (const sf of program.getSourceFiles()) {
  const file = resolve(sf.fileName);
  if (!file.startsWith(ROOT) || file.includes('/node_modules/') || file === abs(MSG)) continue;

  // 1. A catalogue's own declaration: `export const ck = {` → `export const checklist = {`, and its uses here.
  for (const own of cataloguesOf.get(file) ?? []) {
    for (const st of sf.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== own.from) continue;
        const symbol = checker.getSymbolAtLocation(d.name);
        add(file, { start: d.name.getStart(), end: d.name.getEnd(), text: exportName(own) });
        if (symbol !== undefined) for (const id of references(sf, symbol, d.name)) rename(file, id, exportName(own));
      }
    }
  }

  // 2. Imports of an old short name: inside the catalogues and src/i18n/ (which msg.ts is built from, so they
  //    never import it) by the readable name from the same file; everywhere else through `msg`.
  let needsMsg = false;
  const viaMsg = !cataloguesOf.has(file) && !file.startsWith(abs('src/i18n/'));
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const target = resolveImport(file, st.moduleSpecifier.text);
    const named = st.importClause?.namedBindings;
    if (target === undefined || named === undefined || !ts.isNamedImports(named)) continue;
    const hits = (cataloguesOf.get(target) ?? []).flatMap((cat) =>
      named.elements.filter((e) => (e.propertyName ?? e.name).text === cat.from).map((hit) => ({ cat, hit })),
    );
    if (hits.length === 0) continue;
    if (viaMsg) {
      let clash = false;
      for (const { cat, hit } of hits) {
        const symbol = checker.getSymbolAtLocation(hit.name);
        const uses = symbol === undefined ? [] : references(sf, symbol, hit.name);
        const hidden = uses.find((id) => shadowed(id, 'msg'));
        if (hidden !== undefined) {
          const { line } = sf.getLineAndCharacterOfPosition(hidden.getStart());
          refused.push(`${relative(ROOT, file)}:${line + 1}: a local 'msg' would hide the catalogue`);
          clash = true;
          continue;
        }
        for (const id of uses) rename(file, id, `msg.${cat.key}`);
      }
      if (clash) continue;
      needsMsg = true;
      const gone = new Set(hits.map((h) => h.hit));
      const rest = named.elements.filter((e) => !gone.has(e));
      if (rest.length === 0 && st.importClause?.name === undefined) {
        // The whole import goes (with its line).
        const end = sf.text[st.getEnd()] === '\n' ? st.getEnd() + 1 : st.getEnd();
        add(file, { start: st.getStart(), end, text: '' });
      } else {
        const kept = rest.map((e) => e.getText()).join(', ');
        add(file, { start: named.getStart(), end: named.getEnd(), text: `{ ${kept} }` });
      }
    } else {
      for (const { cat, hit } of hits) {
        const symbol = checker.getSymbolAtLocation(hit.name);
        const uses = symbol === undefined ? [] : references(sf, symbol, hit.name);
        add(file, { start: hit.getStart(), end: hit.getEnd(), text: exportName(cat) });
        for (const id of uses) rename(file, id, exportName(cat));
      }
    }
  }
  // 3. One `import { msg }` where it is now needed.
  if (needsMsg) {
    const has = sf.statements.some(
      (st) =>
        ts.isImportDeclaration(st) &&
        ts.isStringLiteral(st.moduleSpecifier) &&
        resolveImport(file, st.moduleSpecifier.text) === abs(MSG),
    );
    if (!has) {
      const imports = sf.statements.filter(ts.isImportDeclaration);
      const at = imports.at(-1)?.getEnd() ?? 0;
      const line = `import { msg } from '${specifierTo(file, abs(MSG))}';`;
      add(file, { start: at, end: at, text: imports.length > 0 ? `\n${line}` : `${line}\n` });
    }
  }
}

if (refused.length > 0) {
  console.error(`refused, nothing written:\n${refused.join('\n')}`);
  process.exit(1);
}

for (const [file, list] of edits) {
  let text = readFileSync(file, 'utf8');
  // Back to front, so earlier offsets stay valid; the same span edited twice (a reference seen twice) once.
  const seen = new Set<string>();
  for (const e of [...list].sort((a, b) => b.start - a.start || b.end - a.end)) {
    const k = `${e.start}:${e.end}:${e.text}`;
    if (seen.has(k)) continue;
    seen.add(k);
    text = text.slice(0, e.start) + e.text + text.slice(e.end);
  }
  writeFileSync(file, text);
  console.log(relative(ROOT, file));
}

// msg.ts: the one catalogue, from the table (written every run, so it follows the table).
const lines = [...cataloguesOf].map(
  ([file, cats]) => `import { ${cats.map(exportName).join(', ')} } from '${specifierTo(abs(MSG), file)}';`,
);
/** `{ checklist, web: { people: webPeople } }` from the keys. */
function tree(cats: readonly Catalogue[], depth: number): string {
  const groups = new Map<string, Catalogue[]>();
  for (const c of cats) {
    const head = c.key.split('.')[depth] ?? '';
    groups.set(head, [...(groups.get(head) ?? []), c]);
  }
  const parts = [...groups].map(([head, list]) => {
    const leaf = list.find((c) => c.key.split('.').length === depth + 1);
    if (leaf !== undefined && list.length === 1)
      return exportName(leaf) === head ? head : `${head}: ${exportName(leaf)}`;
    return `${head}: ${tree(list, depth + 1)}`;
  });
  return `{ ${parts.join(', ')} }`;
}
writeFileSync(
  abs(MSG),
  `// The Thai message catalogue: what the bot and the pages say, Thai first with English where it helps, under
// readable names (msg.checklist.progress, msg.web.people.…). Each feature's entries live in their own file; this
// gathers them, so code names a message by its feature. Written by scripts/rename-catalogue.ts from its table.
${lines.join('\n')}

export const msg = ${tree(CATALOGUES, 0)} as const;
`,
);
console.log(MSG);
