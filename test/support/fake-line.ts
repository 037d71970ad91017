// A stand-in for LINE's Messaging API (api.line.me and api-data.line.me on one loopback server) for tests.
// Every request is checked against LINE's own OpenAPI document plus the limits LINE documents but the schema
// leaves out, recorded, and answered the way LINE answers, so a bot that passes here sends bodies LINE takes.
// Faults (5xx, 429, hangs) can be scripted per path to exercise retries and timeouts.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _, Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
// The format table rather than the plugin's default export: that export is CommonJS `exports.default`,
// which TypeScript types differently under "bundler" and "NodeNext" resolution.
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { parse as parseYaml } from 'yaml';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown; // parsed JSON, a Buffer for binary uploads, undefined when empty
  valid: boolean;
  errors: string[];
  status: number; // 0 while a hung request has not been answered
  at: number;
  delivered?: boolean; // LINE acted on it (sent, counted, token used); false for faults and rejections
  duplicateRetryKey?: boolean;
  injected?: 'fail' | 'hang';
}

export interface FakeLine {
  url: string;
  requests: RecordedRequest[];
  replies(): RecordedRequest[];
  pushes(): RecordedRequest[];
  invalid(): RecordedRequest[];
  reset(): void;
  /** Fails the next `count` requests whose path contains `pathPart`, after letting `skip` of them through. */
  failNext(pathPart: string, status: 500 | 429 | 503 | 400, count?: number, body?: unknown, skip?: number): void;
  /** The request is validated and, if valid, delivered, but its response is lost: the case retry keys exist for. */
  hangNext(pathPart: string, count?: number): void;
  failRate(pathPart: string, rate: number, seed?: number): void;
  setContent(messageId: string, data: Buffer, contentType: string): void;
  /**
   * LINE's rich menu state of one channel (LINE keeps menus per channel; the fake tells channels apart by their
   * access token): menus with their image, aliases, per-user links, the default. Without a token: the only
   * channel that has made rich menu calls (an empty state before any).
   */
  richMenus(accessToken?: string): RichMenuState;
  /** Requests to the rich menu endpoints (any outcome), for counting calls. */
  richMenuCalls(): RecordedRequest[];
  waitFor(pred: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export interface FakeRichMenu {
  richMenuId: string;
  request: Json;
  image?: { contentType: string; bytes: number; width: number; height: number };
}

export interface RichMenuState {
  menus: Map<string, FakeRichMenu>;
  aliases: Map<string, string>;
  /** LINE user id → linked rich menu id. */
  links: Map<string, string>;
  defaultMenu: string | null;
}

const DEFAULT_SPEC = fileURLToPath(new URL('../../vendor/line-openapi/messaging-api.yml', import.meta.url));
const DEFS_ID = 'https://fake-line.invalid/messaging-api.json';
const BASE = '__base'; // suffix of a discriminated parent's own schema, used only by its subtypes' allOf
const KB = 1000; // LINE says "30 KB"/"50 KB" without defining KB; the smaller reading is the safe one

type Json = Record<string, unknown>;
interface Problem {
  property: string;
  message: string;
}
interface Operation {
  id: string;
  method: string;
  segments: string[];
  ok: number; // the spec's success status: 202 for narrowcast, loading/start and rich menu batches
  body: ValidateFunction | undefined; // the application/json body's validator, if the operation takes a body
  bodyRequired: boolean;
  headers: { name: string; required: boolean; validate: ValidateFunction }[];
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const formatProblem = (p: Problem): string => (p.property ? `${p.property}: ${p.message}` : p.message);

// --- The spec as Ajv schemas ------------------------------------------------------------------------------
//
// LINE's polymorphic types (Message, Action, FlexComponent, Template, ...) put the discriminator on the parent
// and the subtypes inherit with `allOf: [{$ref: Parent}, {...}]`. Plain JSON Schema ignores `discriminator`,
// so a text message without `text` would pass as a bare Message. A naive oneOf over the mapping would recurse
// (Parent -> TextMessage -> Parent -> ...). So each discriminated parent is split in two: `Parent__base`, the
// parent's own properties, which the subtypes' allOf now point at; and `Parent`, a dispatcher that requires
// the discriminator to be one of the mapped values and applies exactly the mapped subtype via if/then.

function refTo(ref: string, parents: Set<string>, inherited: boolean): string {
  const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
  if (name === undefined) return ref;
  return `${DEFS_ID}#/$defs/${inherited && parents.has(name) ? name + BASE : name}`;
}

/** OpenAPI 3.0 schema -> JSON Schema 2020-12 (refs made absolute, `nullable` folded into `type`). */
function toJsonSchema(node: unknown, parents: Set<string>, inherited = false): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, parents, inherited));
  if (!isRecord(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'discriminator' || key === 'nullable' || key === 'example' || key === 'examples') continue;
    if (key === '$ref' && typeof value === 'string') out[key] = refTo(value, parents, inherited);
    else if (key === 'properties' && isRecord(value)) {
      // Property names are data, not keywords: a property called "nullable" must survive.
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v, parents)]));
    } else out[key] = toJsonSchema(value, parents, key === 'allOf' && Array.isArray(value));
  }
  if (node.nullable === true && typeof node.type === 'string') out.type = [node.type, 'null'];
  return out;
}

function discriminatorOf(schema: unknown): { prop: string; mapping: Record<string, string> } | undefined {
  const d = isRecord(schema) ? schema.discriminator : undefined;
  if (!isRecord(d) || typeof d.propertyName !== 'string' || !isRecord(d.mapping)) return undefined;
  const mapping: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.mapping)) if (typeof v === 'string') mapping[k] = v;
  return { prop: d.propertyName, mapping };
}

/** An operation as the cache stores it: validators named, not schemas (they live in the compiled module). */
interface OperationMeta extends Omit<Operation, 'body' | 'headers'> {
  body: string | undefined;
  headers: { name: string; required: boolean; validator: string }[];
}

/**
 * Compiles every operation's body and header schemas into one Ajv standalone module (CommonJS source) and the
 * operations' metadata naming each validator. Done once per spec and fake (see `specAt`): it takes seconds.
 */
function compileSpec(doc: Json): { code: string; ops: OperationMeta[] } {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    logger: false,
    formats: { ...fullFormats },
    code: { source: true, formats: _`require("ajv-formats/dist/formats.js").fullFormats` },
  });
  const components = isRecord(doc.components) ? doc.components : {};
  const schemas = isRecord(components.schemas) ? components.schemas : {};
  const parents = new Set(Object.keys(schemas).filter((n) => discriminatorOf(schemas[n])));
  const defs: Json = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const disc = discriminatorOf(schema);
    defs[name] = toJsonSchema(schema, parents);
    if (!disc) continue;
    defs[name + BASE] = defs[name];
    // OpenAPI implies the discriminator is required even where the spec forgets (Action has no `required`).
    defs[name] = {
      type: 'object',
      required: [disc.prop],
      properties: { [disc.prop]: { enum: Object.keys(disc.mapping) } },
      allOf: Object.entries(disc.mapping).map(([value, ref]) => ({
        if: { required: [disc.prop], properties: { [disc.prop]: { const: value } } },
        then: { $ref: refTo(ref, parents, false) },
      })),
    };
  }
  ajv.addSchema({ $id: DEFS_ID, $defs: defs });
  const exports: Record<string, string> = {};
  const add = (schema: unknown): string => {
    const name = `v${Object.keys(exports).length}`;
    const id = `https://fake-line.invalid/${name}.json`;
    ajv.addSchema(isRecord(schema) ? schema : {}, id);
    exports[name] = id;
    return name;
  };

  const ops: OperationMeta[] = [];
  for (const [template, item] of Object.entries(isRecord(doc.paths) ? doc.paths : {})) {
    if (!isRecord(item)) continue;
    for (const method of ['get', 'post', 'put', 'delete', 'patch']) {
      const op = item[method];
      if (!isRecord(op)) continue;
      const params = [...asArray(item.parameters), ...asArray(op.parameters)].filter(isRecord);
      const rb = isRecord(op.requestBody) ? op.requestBody : {};
      const json = isRecord(rb.content) ? rb.content['application/json'] : undefined;
      const success = Object.keys(isRecord(op.responses) ? op.responses : {}).find((c) => c.startsWith('2'));
      ops.push({
        id: str(op.operationId) ?? `${method} ${template}`,
        method: method.toUpperCase(),
        segments: template.split('/'),
        ok: Number(success ?? 200),
        body: isRecord(json) && json.schema !== undefined ? add(toJsonSchema(json.schema, parents)) : undefined,
        bodyRequired: rb.required === true,
        headers: params
          .filter((p) => p.in === 'header' && typeof p.name === 'string')
          .map((p) => ({
            name: String(p.name),
            required: p.required === true,
            validator: add(toJsonSchema(p.schema, parents)),
          })),
      });
    }
  }
  return { code: standaloneCode(ajv, exports), ops };
}

class MessagingSpec {
  private readonly ops: Operation[];

  constructor(ops: OperationMeta[], validators: Record<string, ValidateFunction>) {
    const fn = (name: string): ValidateFunction => {
      const v = validators[name];
      if (v === undefined) throw new Error(`fake LINE: no compiled validator ${name}; delete ${CACHE_DIR}`);
      return v;
    };
    this.ops = ops.map((op) => ({
      ...op,
      body: op.body === undefined ? undefined : fn(op.body),
      headers: op.headers.map((h) => ({ name: h.name, required: h.required, validate: fn(h.validator) })),
    }));
  }

  /** Literal segments beat `{param}` ones, so /v2/bot/richmenu/list is not read as a rich menu id. */
  find(method: string, path: string): Operation | undefined {
    const segments = path.split('/');
    let best: Operation | undefined;
    let bestScore = -1;
    for (const op of this.ops) {
      if (op.method !== method || op.segments.length !== segments.length) continue;
      const literal = op.segments.filter((s, i) => !s.startsWith('{') && s === segments[i]).length;
      const fits = op.segments.every((s, i) => s.startsWith('{') || s === segments[i]);
      if (fits && literal > bestScore) [best, bestScore] = [op, literal];
    }
    return best;
  }

  check(op: Operation, body: unknown, headers?: Record<string, string>): Problem[] {
    const problems: Problem[] = [];
    for (const h of headers ? op.headers : []) {
      const value = headers?.[h.name.toLowerCase()];
      if (value === undefined) {
        if (h.required) problems.push({ property: h.name, message: 'header is required' });
      } else if (!h.validate(value)) {
        problems.push({ property: h.name, message: `The value for the '${h.name}' header is invalid` });
      }
    }
    if (op.body !== undefined) {
      if (body === undefined) {
        if (op.bodyRequired) problems.push({ property: '', message: 'request body is required' });
      } else {
        if (!op.body(body)) problems.push(...(op.body.errors ?? []).flatMap(fromAjv));
        problems.push(...limitProblems(body));
      }
    }
    // allErrors plus overlapping checks (schema maxItems and ours) can say the same thing twice.
    return [...new Map(problems.map((p) => [formatProblem(p), p])).values()];
  }
}

/** Ajv's `/messages/0/text` becomes LINE's `messages[0].text`; if/then wrappers are noise. */
function fromAjv(e: ErrorObject): Problem[] {
  if (e.keyword === 'if') return [];
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = e.keyword === 'required' ? str(e.params.missingProperty) : undefined;
  if (missing !== undefined) parts.push(missing);
  const property = parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
  const allowed = e.keyword === 'enum' ? ` (${asArray(e.params.allowedValues).join(', ')})` : '';
  return [{ property, message: `${e.message ?? 'is invalid'}${allowed}` }];
}

// --- Limits LINE documents on its reference pages but not in the schema -----------------------------------

function limitProblems(body: unknown): Problem[] {
  if (!isRecord(body) || !Array.isArray(body.messages)) return [];
  const out: Problem[] = [];
  const max = (value: unknown, limit: number, property: string): void => {
    // String length is UTF-16 code units, which is how LINE counts (an emoji counts 2).
    if (typeof value === 'string' && value.length > limit)
      out.push({ property, message: `must be at most ${limit} characters (has ${value.length})` });
  };
  const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');
  if (body.messages.length > 5) out.push({ property: 'messages', message: 'must not have more than 5 items' });
  body.messages.forEach((m: unknown, i) => {
    if (!isRecord(m)) return;
    const at = `messages[${i}]`;
    if (m.type === 'text' || m.type === 'textV2') max(m.text, 5000, `${at}.text`);
    max(m.altText, 1500, `${at}.altText`);
    const items = isRecord(m.quickReply) ? asArray(m.quickReply.items) : [];
    if (items.length > 13)
      out.push({ property: `${at}.quickReply.items`, message: 'must not have more than 13 items' });
    items.forEach((item, j) => {
      if (isRecord(item) && isRecord(item.action))
        max(item.action.label, 20, `${at}.quickReply.items[${j}].action.label`);
    });
    // Postback actions can sit anywhere: quick replies, template buttons, any flex component.
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) node.forEach((n, k) => walk(n, `${path}[${k}]`));
      if (!isRecord(node)) return;
      if (node.type === 'postback') max(node.data, 300, `${path}.data`);
      for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
    };
    walk(m, at);
    const c = m.type === 'flex' && isRecord(m.contents) ? m.contents : undefined;
    if (c?.type === 'bubble' && bytes(c) > 30 * KB)
      out.push({ property: `${at}.contents`, message: `bubble JSON must be at most 30 KB (has ${bytes(c)} bytes)` });
    if (c?.type === 'carousel') {
      const bubbles = asArray(c.contents);
      if (bubbles.length > 12)
        out.push({ property: `${at}.contents.contents`, message: 'must not have more than 12 bubbles' });
      if (bytes(c) > 50 * KB)
        out.push({
          property: `${at}.contents`,
          message: `carousel JSON must be at most 50 KB (has ${bytes(c)} bytes)`,
        });
      bubbles.forEach((b, k) => {
        if (bytes(b) > 30 * KB)
          out.push({ property: `${at}.contents.contents[${k}]`, message: `bubble JSON must be at most 30 KB` });
      });
    }
  });
  return out;
}

/** Rich menu rules from LINE's reference that the schema leaves out (required fields, size, 20 areas, bounds). */
function richMenuProblems(body: unknown): Problem[] {
  if (!isRecord(body)) return [{ property: '', message: 'must be an object' }];
  const out: Problem[] = [];
  for (const k of ['size', 'selected', 'name', 'chatBarText', 'areas'])
    if (body[k] === undefined) out.push({ property: k, message: 'is required' });
  const size = isRecord(body.size) ? body.size : {};
  const w = typeof size.width === 'number' ? size.width : 0;
  const h = typeof size.height === 'number' ? size.height : 0;
  if (w < 800 || w > 2500) out.push({ property: 'size.width', message: 'must be between 800 and 2500' });
  if (h < 250) out.push({ property: 'size.height', message: 'must be at least 250' });
  if (h > 0 && w / h < 1.45) out.push({ property: 'size', message: 'width/height must be at least 1.45' });
  const areas = asArray(body.areas);
  if (areas.length > 20) out.push({ property: 'areas', message: 'must not have more than 20 items' });
  areas.forEach((a, i) => {
    const b = isRecord(a) && isRecord(a.bounds) ? a.bounds : undefined;
    if (!isRecord(a) || a.action === undefined) out.push({ property: `areas[${i}].action`, message: 'is required' });
    if (b === undefined) {
      out.push({ property: `areas[${i}].bounds`, message: 'is required' });
      return;
    }
    const [x, y, bw, bh] = [b.x, b.y, b.width, b.height].map((v) => (typeof v === 'number' ? v : -1)) as [
      number,
      number,
      number,
      number,
    ];
    if (x < 0 || y < 0 || bw < 1 || bh < 1 || x + bw > w || y + bh > h)
      out.push({ property: `areas[${i}].bounds`, message: `must lie inside the ${w}×${h} menu` });
  });
  return out;
}

/** Width and height from a PNG's IHDR or a JPEG's SOF marker; undefined when the bytes are neither. */
export function imageSize(data: Buffer): { type: string; width: number; height: number } | undefined {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47 && data.toString('latin1', 12, 16) === 'IHDR')
    return { type: 'image/png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  if (data.length > 4 && data[0] === 0xff && data[1] === 0xd8) {
    let i = 2;
    while (i + 9 < data.length && data[i] === 0xff) {
      const marker = data[i + 1] ?? 0;
      const len = data.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xc3)
        return { type: 'image/jpeg', width: data.readUInt16BE(i + 7), height: data.readUInt16BE(i + 5) };
      i += 2 + len;
    }
  }
  return undefined;
}

// Parsing the YAML and compiling its schemas takes seconds, in every test file that uses the fake. So it is done
// once per spec and version of this file: the validators are written as an Ajv standalone module (plain CommonJS)
// under node_modules/.cache, keyed by the SHA-256 of both, and later processes only `require` it. The first
// process to miss compiles; the file appears whole (written aside, then renamed), so a racing reader never sees half.
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/nithet-fake-line', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const specs = new Map<string, MessagingSpec>();

/** The compiled module's path for the spec at `path`, compiling it first if no process has. */
export function compiledSpec(path: string = DEFAULT_SPEC): { module: string; meta: string } {
  const text = readFileSync(path, 'utf8');
  const key = createHash('sha256').update(text).update('\0').update(readFileSync(SELF)).digest('hex').slice(0, 16);
  const module = join(CACHE_DIR, `${key}.cjs`);
  const meta = join(CACHE_DIR, `${key}.json`);
  if (existsSync(module) && existsSync(meta)) return { module, meta };
  const doc: unknown = parseYaml(text);
  if (!isRecord(doc)) throw new Error(`${path} is not an OpenAPI document`);
  const { code, ops } = compileSpec(doc);
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(module + tmp, code);
  writeFileSync(meta + tmp, JSON.stringify(ops));
  renameSync(module + tmp, module);
  renameSync(meta + tmp, meta);
  return { module, meta };
}

function specAt(path: string): MessagingSpec {
  const cached = specs.get(path);
  if (cached) return cached;
  const files = compiledSpec(path);
  const ops = JSON.parse(readFileSync(files.meta, 'utf8')) as OperationMeta[];
  const spec = new MessagingSpec(ops, createRequire(import.meta.url)(files.module) as Record<string, ValidateFunction>);
  specs.set(path, spec);
  return spec;
}

/** The server's body checks without HTTP, for unit tests of message builders. Returns [] when LINE would accept. */
export function validateMessagingRequest(method: string, path: string, body: unknown): string[] {
  const spec = specAt(DEFAULT_SPEC);
  const op = spec.find(method.toUpperCase(), path.split('?')[0] ?? path);
  if (!op) return [`no ${method.toUpperCase()} ${path} in LINE's Messaging API spec`];
  return spec.check(op, body).map(formatProblem);
}

// --- The server ---------------------------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32) so failRate gives the same failures on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const DEFAULT_FAULT_MESSAGE: Record<number, string> = {
  400: 'The request body has 1 error(s)',
  429: 'The API rate limit has been exceeded. Try again later.',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export async function startFakeLine(opts: { specPath?: string } = {}): Promise<FakeLine> {
  const spec = specAt(opts.specPath ?? DEFAULT_SPEC);
  const requests: RecordedRequest[] = [];
  const seqOf = new WeakMap<RecordedRequest, number>();
  const faults: {
    pathPart: string;
    kind: 'fail' | 'hang';
    status: number;
    body: unknown;
    left: number;
    skip: number;
  }[] = [];
  const rates: { pathPart: string; rate: number; next: () => number }[] = [];
  const content = new Map<string, { data: Buffer; contentType: string }>();
  const acceptedRetryKeys = new Map<string, { requestId: string; payload: unknown }>();
  const usedReplyTokens = new Set<string>();
  const waiters = new Set<(r: RecordedRequest) => void>();
  const hung = new Set<ServerResponse>();
  const richByToken = new Map<string, RichMenuState>();
  const richOf = (token: string): RichMenuState => {
    const found = richByToken.get(token);
    if (found !== undefined) return found;
    const fresh: RichMenuState = { menus: new Map(), aliases: new Map(), links: new Map(), defaultMenu: null };
    richByToken.set(token, fresh);
    return fresh;
  };
  let seq = 0;
  let messageSeq = 0;
  let usage = 0;

  // Bodies arrive at different speeds; insert by arrival number so `requests` stays in arrival order.
  const record = (n: number, rec: RecordedRequest): void => {
    seqOf.set(rec, n);
    let i = requests.length;
    while (i > 0 && (seqOf.get(requests[i - 1] ?? rec) ?? 0) > n) i--;
    requests.splice(i, 0, rec);
    for (const w of [...waiters]) w(rec);
  };

  const takeFault = (path: string): { kind: 'fail' | 'hang'; status: number; body: unknown } | undefined => {
    const i = faults.findIndex((f) => path.includes(f.pathPart));
    const f = faults[i];
    if (f && f.skip > 0) f.skip--;
    else if (f) {
      if (--f.left <= 0) faults.splice(i, 1);
      return f;
    }
    const rate = rates.find((r) => path.includes(r.pathPart));
    return rate && rate.next() < rate.rate ? { kind: 'fail', status: 500, body: undefined } : undefined;
  };

  /** LINE's side effects and answer for a valid request. */
  const deliver = (op: Operation, rec: RecordedRequest): { status: number; payload: unknown } => {
    const body = isRecord(rec.body) ? rec.body : {};
    const sent = (): unknown => ({
      sentMessages: asArray(body.messages).map(() => ({
        id: String(500000000000000000n + BigInt(++messageSeq)),
        quoteToken: randomBytes(24).toString('base64url'),
      })),
    });
    rec.delivered = true;
    const rich = () => richOf((rec.headers.authorization ?? '').replace(/^Bearer /, ''));
    const refused = (status: number, message: string): { status: number; payload: unknown } => {
      rec.delivered = false;
      return { status, payload: { message } };
    };
    switch (op.id) {
      case 'replyMessage': {
        // LINE accepts a reply token once; a second answer to the same event is a bug worth catching.
        const token = str(body.replyToken) ?? '';
        if (usedReplyTokens.has(token)) {
          rec.delivered = false;
          rec.valid = false;
          rec.errors = ['replyToken: already used'];
          return { status: 400, payload: { message: 'Invalid reply token' } };
        }
        usedReplyTokens.add(token);
        return { status: 200, payload: sent() };
      }
      case 'pushMessage':
        usage += 1; // quota counts recipients, not message objects
        return { status: 200, payload: sent() };
      case 'multicast':
        usage += asArray(body.to).length;
        return { status: 200, payload: {} };
      case 'getMessageQuota':
        return { status: 200, payload: { type: 'limited', value: 500 } };
      case 'getMessageQuotaConsumption':
        return { status: 200, payload: { totalUsage: usage } };
      case 'createRichMenu': {
        const richMenuId = `richmenu-${randomBytes(16).toString('hex')}`;
        rich().menus.set(richMenuId, { richMenuId, request: body });
        return { status: 200, payload: { richMenuId } };
      }
      case 'validateRichMenuObject':
        rec.delivered = false; // nothing is created; the checks ran before deliver()
        return { status: 200, payload: {} };
      case 'getRichMenu':
      case 'deleteRichMenu': {
        const id = decodeURIComponent(rec.path.split('/')[4] ?? '');
        const menu = rich().menus.get(id);
        if (menu === undefined) return refused(404, 'Not found');
        if (op.id === 'getRichMenu') return { status: 200, payload: { ...menu.request, richMenuId: id } };
        rich().menus.delete(id);
        // LINE unlinks a deleted menu from its users and drops it as the default.
        for (const [user, linked] of rich().links) if (linked === id) rich().links.delete(user);
        if (rich().defaultMenu === id) rich().defaultMenu = null;
        return { status: 200, payload: {} };
      }
      case 'getRichMenuList':
        return {
          status: 200,
          payload: { richmenus: [...rich().menus.values()].map((m) => ({ ...m.request, richMenuId: m.richMenuId })) },
        };
      case 'setRichMenuImage': {
        const id = decodeURIComponent(rec.path.split('/')[4] ?? '');
        const menu = rich().menus.get(id);
        if (menu === undefined) return refused(404, 'Not found');
        if (menu.image !== undefined) return refused(400, 'An image has already been uploaded to the richmenu');
        const data = Buffer.isBuffer(rec.body) ? rec.body : Buffer.alloc(0);
        const size = imageSize(data);
        const type = (rec.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
        const req = isRecord(menu.request.size) ? menu.request.size : {};
        const problem =
          type !== 'image/png' && type !== 'image/jpeg'
            ? `Content-Type must be image/png or image/jpeg (got ${type || 'none'})`
            : size === undefined || size.type !== type
              ? `the body is not a ${type} image`
              : data.length > 1024 * 1024
                ? `image must be at most 1 MB (has ${data.length} bytes)`
                : size.width !== req.width || size.height !== req.height
                  ? `image is ${size.width}×${size.height}, the menu ${String(req.width)}×${String(req.height)}`
                  : undefined;
        if (problem !== undefined || size === undefined) {
          rec.valid = false;
          rec.errors = [problem ?? 'bad image'];
          return refused(400, problem ?? 'bad image');
        }
        menu.image = { contentType: type, bytes: data.length, width: size.width, height: size.height };
        return { status: 200, payload: {} };
      }
      case 'createRichMenuAlias':
      case 'updateRichMenuAlias': {
        const create = op.id === 'createRichMenuAlias';
        const aliasId = create ? (str(body.richMenuAliasId) ?? '') : decodeURIComponent(rec.path.split('/')[5] ?? '');
        const menuId = str(body.richMenuId) ?? '';
        if (create && rich().aliases.has(aliasId)) return refused(400, 'conflict richmenu alias id');
        if (!create && !rich().aliases.has(aliasId)) return refused(400, 'richmenu alias not found');
        const menu = rich().menus.get(menuId);
        if (menu === undefined) return refused(400, 'richmenu not found');
        if (menu.image === undefined) return refused(400, 'richmenu image not found');
        rich().aliases.set(aliasId, menuId);
        return { status: 200, payload: {} };
      }
      case 'getRichMenuAlias':
      case 'deleteRichMenuAlias': {
        const aliasId = decodeURIComponent(rec.path.split('/')[5] ?? '');
        const menuId = rich().aliases.get(aliasId);
        if (menuId === undefined) return refused(404, 'Not found');
        if (op.id === 'deleteRichMenuAlias') rich().aliases.delete(aliasId);
        return { status: 200, payload: { richMenuAliasId: aliasId, richMenuId: menuId } };
      }
      case 'getRichMenuAliasList':
        return {
          status: 200,
          payload: {
            aliases: [...rich().aliases].map(([richMenuAliasId, richMenuId]) => ({ richMenuAliasId, richMenuId })),
          },
        };
      case 'linkRichMenuIdToUser':
      case 'linkRichMenuIdToUsers': {
        const parts = rec.path.split('/');
        const single = op.id === 'linkRichMenuIdToUser';
        const menuId = single ? decodeURIComponent(parts[6] ?? '') : (str(body.richMenuId) ?? '');
        const users = single ? [decodeURIComponent(parts[4] ?? '')] : asArray(body.userIds).map(String);
        const menu = rich().menus.get(menuId);
        if (menu === undefined) return refused(400, 'richmenu not found');
        // LINE links only a menu that has its image.
        if (menu.image === undefined) return refused(400, 'must upload richmenu image before applying it to user');
        for (const u of users) rich().links.set(u, menuId);
        return { status: op.ok, payload: {} };
      }
      case 'unlinkRichMenuIdFromUsers':
      case 'unlinkRichMenuIdFromUser': {
        const users =
          op.id === 'unlinkRichMenuIdFromUser'
            ? [decodeURIComponent(rec.path.split('/')[4] ?? '')]
            : asArray(body.userIds).map(String);
        for (const u of users) rich().links.delete(u);
        return { status: op.ok, payload: {} };
      }
      case 'getRichMenuIdOfUser': {
        const linked = rich().links.get(decodeURIComponent(rec.path.split('/')[4] ?? '')) ?? rich().defaultMenu;
        return linked === null
          ? refused(404, 'the user has no richmenu')
          : { status: 200, payload: { richMenuId: linked } };
      }
      case 'setDefaultRichMenu': {
        const id = decodeURIComponent(rec.path.split('/')[6] ?? '');
        if (rich().menus.get(id)?.image === undefined) return refused(400, 'richmenu not found');
        rich().defaultMenu = id;
        return { status: 200, payload: {} };
      }
      case 'cancelDefaultRichMenu':
        rich().defaultMenu = null;
        return { status: 200, payload: {} };
      case 'getProfile': {
        const userId = rec.path.split('/').pop() ?? '';
        return { status: 200, payload: { userId, displayName: `User ${userId.slice(-4)}`, language: 'th' } };
      }
      // LINE's preview of an image message: the fake serves the image itself (a test's bytes are small).
      case 'getMessageContentPreview':
      case 'getMessageContent': {
        const found = content.get(rec.path.split('/')[4] ?? '');
        rec.delivered = found !== undefined;
        return found ? { status: 200, payload: found } : { status: 404, payload: { message: 'Not found' } };
      }
      default:
        return { status: op.ok, payload: {} };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const n = ++seq;
    const at = Date.now();
    const raw = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const isJson = (headers['content-type'] ?? '').includes('json');
    let body: unknown = raw.length === 0 ? undefined : raw;
    let unparsable = false;
    if (isJson && raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        unparsable = true;
      }
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const rec: RecordedRequest = { method, path, headers, body, valid: true, errors: [], status: 0, at };
    const requestId = randomUUID();

    const answer = (status: number, payload: unknown, extra: Record<string, string> = {}): void => {
      rec.status = status;
      record(n, rec);
      const blob = isRecord(payload) && Buffer.isBuffer(payload.data) ? payload : undefined;
      res.writeHead(status, {
        'content-type': blob ? String(blob.contentType) : 'application/json',
        'x-line-request-id': requestId,
        ...extra,
      });
      res.end(blob ? blob.data : JSON.stringify(payload));
    };
    const refuse = (status: number, message: string, problems: Problem[]): void => {
      rec.valid = false;
      rec.errors = problems.map(formatProblem);
      const details = problems.filter((p) => p.property).map((p) => ({ message: p.message, property: p.property }));
      answer(status, details.length > 0 ? { message, details } : { message });
    };

    const op = spec.find(method, path);
    if (!op) {
      refuse(404, 'Not found', [{ property: '', message: `no ${method} ${path} in LINE's spec` }]);
      return;
    }
    if (!/^Bearer \S+$/.test(headers.authorization ?? '')) {
      const problem = { property: '', message: 'Authorization: Bearer <channel access token> is required' };
      refuse(401, 'Authentication failed. Confirm that the access token in the authorization header is valid.', [
        problem,
      ]);
      return;
    }
    const problems: Problem[] = unparsable ? [{ property: '', message: 'body is not valid JSON' }] : [];
    if (op.body !== undefined && body !== undefined && !isJson)
      problems.push({ property: 'Content-Type', message: 'must be application/json' });
    if (problems.length === 0) problems.push(...spec.check(op, body, headers));
    if (problems.length === 0 && (op.id === 'createRichMenu' || op.id === 'validateRichMenuObject'))
      problems.push(...richMenuProblems(body));
    if (problems.length > 0) {
      // LINE words header errors on their own ("The value for the 'X-Line-Retry-Key' header is invalid").
      const header = problems.find((p) => op.headers.some((h) => h.name === p.property));
      refuse(400, header?.message ?? `The request body has ${problems.length} error(s)`, problems);
      return;
    }

    // Faults hit only requests the bot got right, so a scripted 500 is never spent on a bug.
    const fault = takeFault(path);
    if (fault?.kind === 'fail') {
      rec.injected = 'fail';
      answer(fault.status, fault.body ?? { message: DEFAULT_FAULT_MESSAGE[fault.status] ?? 'Error' });
      return;
    }
    const retryKey = op.headers.some((h) => h.name === 'X-Line-Retry-Key') ? headers['x-line-retry-key'] : undefined;
    const accepted = retryKey === undefined ? undefined : acceptedRetryKeys.get(retryKey);
    if (accepted) {
      rec.duplicateRetryKey = true;
      // LINE repeats the accepted push's sentMessages so a retrying client still learns the message ids.
      const again = isRecord(accepted.payload) ? accepted.payload : {};
      const extra = { 'x-line-accepted-request-id': accepted.requestId };
      answer(409, { message: 'The retry key is already accepted', ...again }, extra);
      return;
    }
    const result = deliver(op, rec);
    if (retryKey !== undefined && rec.delivered)
      acceptedRetryKeys.set(retryKey, { requestId, payload: result.payload });
    if (fault?.kind === 'hang') {
      // Delivered but the answer never comes: the bot should time out and retry with the same retry key.
      rec.injected = 'hang';
      record(n, rec);
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    answer(result.status, result.payload);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `fake LINE crashed: ${String(err)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake LINE did not get a TCP port');

  const isOp = (r: RecordedRequest, ...suffixes: string[]): boolean =>
    suffixes.some((s) => r.path === `/v2/bot/message/${s}`);
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    replies: () => requests.filter((r) => r.valid && r.delivered === true && isOp(r, 'reply')),
    pushes: () => requests.filter((r) => r.valid && r.delivered === true && isOp(r, 'push', 'multicast')),
    invalid: () => requests.filter((r) => !r.valid),
    reset() {
      // Content and rich menus stay: they are LINE's state, not traffic. Delivery state goes with the traffic.
      requests.length = 0;
      faults.length = 0;
      rates.length = 0;
      acceptedRetryKeys.clear();
      usedReplyTokens.clear();
      usage = 0;
    },
    failNext(pathPart, status, count = 1, body = undefined, skip = 0) {
      faults.push({ pathPart, kind: 'fail', status, body, left: count, skip });
    },
    hangNext(pathPart, count = 1) {
      faults.push({ pathPart, kind: 'hang', status: 0, body: undefined, left: count, skip: 0 });
    },
    failRate(pathPart, rate, seed = 1) {
      const i = rates.findIndex((r) => r.pathPart === pathPart);
      if (i >= 0) rates.splice(i, 1);
      if (rate > 0) rates.push({ pathPart, rate, next: mulberry32(seed) });
    },
    setContent(messageId, data, contentType) {
      content.set(messageId, { data, contentType });
    },
    richMenus(accessToken) {
      if (accessToken !== undefined) return richOf(accessToken);
      const all = [...richByToken.values()];
      if (all.length > 1) throw new Error('fake LINE: rich menus of several channels; name the access token');
      return all[0] ?? { menus: new Map(), aliases: new Map(), links: new Map(), defaultMenu: null };
    },
    richMenuCalls: () => requests.filter((r) => /^\/v2\/bot\/(richmenu|user\/[^/]+\/richmenu)/.test(r.path)),
    waitFor(pred, timeoutMs = 2000) {
      const found = requests.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const check = (r: RecordedRequest): void => {
          if (!pred(r)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(r);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake LINE: no matching request within ${timeoutMs} ms (${requests.length} recorded)`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    async close() {
      for (const res of hung) res.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
