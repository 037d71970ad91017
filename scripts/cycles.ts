// Import cycles in the shipped code (src/ and flex-templates/), type-only imports included: a cycle between
// features means neither can be understood, tested or moved alone. Part of `npm run check`; exits 1 on any cycle.
// Reads each file with the TypeScript scanner (no type-checking), follows relative `import`/`export … from`
// specifiers and dynamic `import('…')`, and prints every strongly connected component of two or more modules
// (or a module importing itself). `npx tsx scripts/cycles.ts --list` also prints the edges of each cycle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = process.env.CYCLES_ROOT ?? resolve(import.meta.dirname, '..');
const DIRS = ['src', 'flex-templates'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `./x.js` written in source names `./x.ts` or `./x.tsx` (or `./x/index.ts`) on disk. */
function resolveSpecifier(from: string, spec: string, known: Set<string>): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(js|jsx|ts|tsx)$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, join(base, 'index.ts'), base]) {
    if (known.has(candidate)) return candidate;
  }
  return null;
}

function importsOf(file: string, known: Set<string>): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) spec = node.moduleSpecifier;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      spec = node.arguments[0];
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) spec = node.argument.literal;
    if (spec !== undefined && ts.isStringLiteral(spec)) {
      const target = resolveSpecifier(file, spec.text, known);
      if (target !== null) out.push(target);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Tarjan's strongly connected components. */
function components(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      for (;;) {
        const w = stack.pop();
        if (w === undefined) break;
        on.delete(w);
        scc.push(w);
        if (w === v) break;
      }
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

const all = DIRS.flatMap((d) => files(join(ROOT, d)));
const known = new Set(all);
const graph = new Map(all.map((f) => [f, importsOf(f, known)]));
const cycles = components(graph);
const name = (f: string) => relative(ROOT, f);
const edges = [...graph.values()].reduce((n, e) => n + e.length, 0);
console.log(`${all.length} modules, ${edges} imports (type-only included), ${cycles.length} cycle(s)`);
for (const scc of cycles) {
  console.log(`cycle of ${scc.length}: ${scc.map(name).join(' ↔ ')}`);
  if (process.argv.includes('--list')) {
    const members = new Set(scc);
    for (const f of scc)
      for (const t of graph.get(f) ?? []) if (members.has(t)) console.log(`  ${name(f)} → ${name(t)}`);
  }
}
process.exitCode = cycles.length === 0 ? 0 : 1;
