// The expression language of checklist definitions (relevant, constraint, calculate; see ./definition.ts).
// Definitions are written by office staff and stored as data, so their expressions must never reach eval or
// Function: this module tokenizes and parses them into a small JSON-serialisable AST and walks that tree.
//
// The semantics follow XLSForm, where an unanswered item is simply empty: null flows through arithmetic and
// aggregates instead of throwing, so a half-filled checklist can always be evaluated. Parsing is strict
// (unknown functions, wrong argument counts, chained comparisons are rejected when the definition is saved);
// evaluation is lenient and never throws on data.

export type Value = number | string | boolean | string[] | null;

export type ArithOp = '+' | '-' | '*' | '/';
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Each function's argument count; `max: Infinity` means variadic. Checked at parse time. */
const FUNCTIONS = {
  selected: { min: 2, max: 2 },
  count_selected: { min: 1, max: 1 },
  avg: { min: 1, max: Infinity },
  sum: { min: 1, max: Infinity },
  min: { min: 1, max: Infinity },
  max: { min: 1, max: Infinity },
  round: { min: 1, max: 1 },
  if: { min: 3, max: 3 },
  coalesce: { min: 1, max: Infinity },
  length: { min: 1, max: 1 },
  today: { min: 0, max: 0 },
  number: { min: 1, max: 1 },
  int: { min: 1, max: 1 },
} as const satisfies Record<string, { min: number; max: number }>;

export type FunctionName = keyof typeof FUNCTIONS;

/** The parsed form. Plain objects only, so an AST can be cached as JSON next to its definition. */
export type Expr =
  | { type: 'literal'; value: number | string | boolean | null }
  | { type: 'ref'; key: string }
  | { type: 'self' }
  | { type: 'neg'; arg: Expr }
  | { type: 'not'; arg: Expr }
  | { type: 'arith'; op: ArithOp; left: Expr; right: Expr }
  | { type: 'compare'; op: CompareOp; left: Expr; right: Expr }
  | { type: 'logic'; op: 'and' | 'or'; left: Expr; right: Expr }
  | { type: 'call'; fn: FunctionName; args: Expr[] };

/** A syntax error. `position` is the 0-based offset into the source, also spelled out in the message. */
export class ExprError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'ExprError';
    this.position = position;
  }
}

export const MAX_EXPRESSION_LENGTH = 500;
/** Parentheses, calls and prefix operators count; keeps the recursive parser and evaluator far from the stack limit. */
export const MAX_EXPRESSION_DEPTH = 32;

// ---------------------------------------------------------------------------------------------------------------
// Tokenizer

type Punct = '(' | ')' | ',' | '.' | ArithOp | CompareOp;

type Token =
  | { t: 'num'; pos: number; value: number; text: string }
  | { t: 'str'; pos: number; value: string }
  | { t: 'ref'; pos: number; key: string }
  | { t: 'name'; pos: number; name: string }
  | { t: 'punct'; pos: number; p: Punct }
  | { t: 'end'; pos: number };

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';
const isNameStart = (c: string | undefined) => isLower(c) || (c !== undefined && c >= 'A' && c <= 'Z') || c === '_';
const isNameChar = (c: string | undefined) => isNameStart(c) || isDigit(c);
const isKeyChar = (c: string | undefined) => isLower(c) || isDigit(c) || c === '_';
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function describeChar(c: string): string {
  return c === "'" ? `"'"` : `'${c}'`;
}

function tokenize(src: string): Token[] {
  const error = (message: string, pos: number, hint?: string) =>
    new ExprError(
      `${message} at ${pos}${pos >= src.length ? ' (end of expression)' : ''}${hint ? `: ${hint}` : ''}`,
      pos,
    );
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    const start = i;
    if (isSpace(c)) {
      i++;
    } else if (isDigit(c)) {
      while (isDigit(src[i])) i++;
      if (src[i] === '.') {
        i++;
        if (!isDigit(src[i])) throw error("expected a digit after '.'", i);
        while (isDigit(src[i])) i++;
      }
      const text = src.slice(start, i);
      const value = Number(text);
      // A 400-digit literal would become Infinity, which JSON cannot carry.
      if (!Number.isFinite(value)) throw error('number too large', start);
      tokens.push({ t: 'num', pos: start, value, text });
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        const d = src[i];
        if (d === undefined) throw error('unterminated string', start, 'expected a closing "\'"');
        if (d === "'") break;
        if (d === '\\') {
          const e = src[i + 1];
          // Only the two escapes a quoted string needs; anything else is more likely a typo than intent.
          if (e !== "'" && e !== '\\') throw error("expected \\' or \\\\ after a backslash", i);
          value += e;
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      i++;
      tokens.push({ t: 'str', pos: start, value });
    } else if (c === '$') {
      if (src[i + 1] !== '{') throw error("expected '{' after '$'", i + 1);
      i += 2;
      if (!isLower(src[i])) throw error('expected an item key (a lower-case letter first)', i);
      while (isKeyChar(src[i])) i++;
      const key = src.slice(start + 2, i);
      if (src[i] !== '}') throw error(`expected '}' to close \${${key}`, i);
      i++;
      tokens.push({ t: 'ref', pos: start, key });
    } else if (isNameStart(c)) {
      while (isNameChar(src[i])) i++;
      tokens.push({ t: 'name', pos: start, name: src.slice(start, i) });
    } else if (c === '.' && isDigit(src[i + 1])) {
      throw error("expected a digit before '.'", i, `write 0${src.slice(i, i + 2)}`);
    } else {
      const two = src.slice(i, i + 2);
      if (two === '!=' || two === '<=' || two === '>=') {
        tokens.push({ t: 'punct', pos: start, p: two });
        i += 2;
        continue;
      }
      switch (c) {
        case '(':
        case ')':
        case ',':
        case '.':
        case '+':
        case '-':
        case '*':
        case '/':
        case '=':
        case '<':
        case '>':
          tokens.push({ t: 'punct', pos: start, p: c });
          i++;
          break;
        case '!':
          throw error("expected '=' after '!'", i + 1, "use 'not' for negation");
        case '"':
          throw error("unexpected '\"'", i, 'strings use single quotes');
        default:
          throw error(`unexpected character ${describeChar(c)}`, i);
      }
    }
  }
  tokens.push({ t: 'end', pos: src.length });
  return tokens;
}

function describe(tok: Token): string {
  switch (tok.t) {
    case 'num':
      return `number ${tok.text}`;
    case 'str':
      return 'a string';
    case 'ref':
      return `\${${tok.key}}`;
    case 'name':
      return `'${tok.name}'`;
    case 'punct':
      return `'${tok.p}'`;
    case 'end':
      return 'the end of the expression';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parser: precedence climbing (Pratt) over the token array.

const BP_OR = 1;
const BP_AND = 2;
const BP_NOT = 3;
const BP_COMPARE = 4;
const BP_ADD = 5;
const BP_MUL = 6;
const BP_NEG = 7;

type Infix =
  | { kind: 'logic'; op: 'and' | 'or'; bp: number }
  | { kind: 'compare'; op: CompareOp; bp: number }
  | { kind: 'arith'; op: ArithOp; bp: number };

function infixOf(tok: Token): Infix | null {
  if (tok.t === 'name') {
    if (tok.name === 'or') return { kind: 'logic', op: 'or', bp: BP_OR };
    if (tok.name === 'and') return { kind: 'logic', op: 'and', bp: BP_AND };
    return null;
  }
  if (tok.t !== 'punct') return null;
  switch (tok.p) {
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return { kind: 'compare', op: tok.p, bp: BP_COMPARE };
    case '+':
    case '-':
      return { kind: 'arith', op: tok.p, bp: BP_ADD };
    case '*':
    case '/':
      return { kind: 'arith', op: tok.p, bp: BP_MUL };
    case '(':
    case ')':
    case ',':
    case '.':
      return null;
  }
}

function isFunctionName(name: string): name is FunctionName {
  // hasOwn, not `in`: 'constructor' or 'toString' must not pass for functions.
  return Object.hasOwn(FUNCTIONS, name);
}

const FUNCTION_LIST = Object.keys(FUNCTIONS).sort().join(', ');

/** Parses one expression; throws ExprError naming the position and what was expected there. */
export function parseExpression(src: string): Expr {
  if (src.length > MAX_EXPRESSION_LENGTH) {
    throw new ExprError(
      `expression too long at ${MAX_EXPRESSION_LENGTH}: expected at most ${MAX_EXPRESSION_LENGTH} characters, got ${src.length}`,
      MAX_EXPRESSION_LENGTH,
    );
  }
  const tokens = tokenize(src);
  let index = 0;
  let depth = 0;

  const peek = (ahead = 0): Token =>
    tokens[Math.min(index + ahead, tokens.length - 1)] ?? { t: 'end', pos: src.length };
  const next = (): Token => {
    const tok = peek();
    if (index < tokens.length - 1) index++;
    return tok;
  };
  const end = (pos: number) => (pos >= src.length ? ' (end of expression)' : '');
  /** "expected X at N, found Y: hint" */
  const expected = (what: string, tok: Token, hint?: string) => {
    const found = tok.t === 'end' ? '' : `, found ${describe(tok)}`;
    return new ExprError(`expected ${what} at ${tok.pos}${end(tok.pos)}${found}${hint ? `: ${hint}` : ''}`, tok.pos);
  };
  /** "problem at N: hint" */
  const error = (message: string, tok: Token, hint?: string) =>
    new ExprError(`${message} at ${tok.pos}${end(tok.pos)}${hint ? `: ${hint}` : ''}`, tok.pos);
  const isPunct = (tok: Token, p: Punct) => tok.t === 'punct' && tok.p === p;
  const expect = (p: Punct) => {
    const tok = next();
    if (!isPunct(tok, p)) throw expected(`'${p}'`, tok);
  };
  const enter = (tok: Token) => {
    depth++;
    if (depth > MAX_EXPRESSION_DEPTH) {
      throw new ExprError(
        `expression nested too deeply at ${tok.pos}: expected at most ${MAX_EXPRESSION_DEPTH} levels of parentheses, calls and prefix operators`,
        tok.pos,
      );
    }
  };
  const leave = () => {
    depth--;
  };

  const parseArgs = (): Expr[] => {
    expect('(');
    const args: Expr[] = [];
    if (isPunct(peek(), ')')) {
      next();
      return args;
    }
    for (;;) {
      args.push(parseExpr(BP_OR));
      const tok = next();
      if (isPunct(tok, ')')) return args;
      if (!isPunct(tok, ',')) throw expected("',' or ')'", tok);
    }
  };

  const parseCall = (tok: Token & { t: 'name' }): Expr => {
    const name = tok.name;
    if (name === 'not') {
      // not(x) is the function form (as in XPath): it binds like any call, so not(${a}) = false compares its result.
      enter(tok);
      const args = parseArgs();
      leave();
      const arg = args[0];
      if (args.length !== 1 || arg === undefined) throw error(`not() expects 1 argument, got ${args.length}`, tok);
      return { type: 'not', arg };
    }
    if (!isFunctionName(name)) throw error(`unknown function '${name}'`, tok, `expected one of not, ${FUNCTION_LIST}`);
    enter(tok);
    const args = parseArgs();
    leave();
    const { min, max } = FUNCTIONS[name];
    if (args.length < min || args.length > max) {
      const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      const plural = min === 1 && max === 1 ? 'argument' : 'arguments';
      throw error(`${name}() expects ${wanted} ${plural}, got ${args.length}`, tok);
    }
    return { type: 'call', fn: name, args };
  };

  const parsePrefix = (minBp: number): Expr => {
    const tok = peek();
    switch (tok.t) {
      case 'num':
        next();
        return { type: 'literal', value: tok.value };
      case 'str':
        next();
        return { type: 'literal', value: tok.value };
      case 'ref':
        next();
        return { type: 'ref', key: tok.key };
      case 'end':
        throw expected('a value', tok);
      case 'punct':
        if (tok.p === '.') {
          next();
          return { type: 'self' };
        }
        if (tok.p === '(') {
          next();
          enter(tok);
          const inner = parseExpr(BP_OR);
          leave();
          expect(')');
          return inner;
        }
        if (tok.p === '-') {
          next();
          enter(tok);
          const arg = parseExpr(BP_NEG);
          leave();
          return { type: 'neg', arg };
        }
        throw expected('a value', tok);
      case 'name': {
        const name = tok.name;
        if (name === 'true' || name === 'false') {
          next();
          return { type: 'literal', value: name === 'true' };
        }
        if (name === 'null') {
          next();
          return { type: 'literal', value: null };
        }
        const after = peek(1);
        if (isPunct(after, '(')) {
          next();
          return parseCall(tok);
        }
        if (name === 'not') {
          // `not x` sits between and/or and the comparisons, so `not ${a} = 'yes'` means not(${a} = 'yes').
          // Like Python, it may not appear as an operand of a tighter operator: `1 = not x` is refused.
          if (minBp > BP_NOT) throw expected('a value', tok, "write not(…) or wrap 'not …' in parentheses");
          next();
          enter(tok);
          const arg = parseExpr(BP_NOT);
          leave();
          return { type: 'not', arg };
        }
        if (isFunctionName(name)) throw expected(`'(' after ${name}`, after);
        // XLSForm spells count-selected with a hyphen; say what to write here rather than "unknown name".
        const hyphenated = peek(2);
        if (isPunct(after, '-') && hyphenated.t === 'name' && isFunctionName(`${name}_${hyphenated.name}`)) {
          throw error(
            `unknown name '${name}'`,
            tok,
            `write ${name}_${hyphenated.name}, not ${name}-${hyphenated.name}`,
          );
        }
        if (name === 'and' || name === 'or') throw expected('a value', tok);
        const hint = /^[a-z][a-z0-9_]*$/.test(name) ? `an item's answer is written \${${name}}` : undefined;
        throw error(`unknown name '${name}'`, tok, hint);
      }
    }
  };

  const parseExpr = (minBp: number): Expr => {
    let left = parsePrefix(minBp);
    for (;;) {
      const tok = peek();
      const infix = infixOf(tok);
      if (infix === null || infix.bp < minBp) return left;
      next();
      // Left-associative: the right operand only takes operators that bind tighter.
      const right = parseExpr(infix.bp + 1);
      switch (infix.kind) {
        case 'logic':
          left = { type: 'logic', op: infix.op, left, right };
          break;
        case 'arith':
          left = { type: 'arith', op: infix.op, left, right };
          break;
        case 'compare': {
          left = { type: 'compare', op: infix.op, left, right };
          // `1 < x < 3` reads like a range but would compare a boolean with 3; make the author say what they mean.
          const after = peek();
          if (infixOf(after)?.kind === 'compare') {
            throw error('comparisons cannot be chained', after, "join them with 'and' or 'or'");
          }
          break;
        }
      }
    }
  };

  const expr = parseExpr(BP_OR);
  const rest = peek();
  if (rest.t !== 'end') throw expected('an operator or the end of the expression', rest);
  return expr;
}

/** Item keys the expression reads, plus '.' for the answer being checked, each once, in order of first use. */
export function references(expr: Expr): string[] {
  const seen = new Set<string>();
  const walk = (e: Expr): void => {
    switch (e.type) {
      case 'literal':
        return;
      case 'ref':
        seen.add(e.key);
        return;
      case 'self':
        seen.add('.');
        return;
      case 'neg':
      case 'not':
        walk(e.arg);
        return;
      case 'arith':
      case 'compare':
      case 'logic':
        walk(e.left);
        walk(e.right);
        return;
      case 'call':
        e.args.forEach(walk);
        return;
    }
  };
  walk(expr);
  return [...seen];
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluator

export interface EvalEnv {
  /** The answer to an item, null when unanswered (or not relevant). */
  get(key: string): Value;
  /** The answer being checked, for `.` in a constraint. */
  self?: Value;
  /** Today in the office's time zone, YYYY-MM-DD, for today(). */
  today?: string;
}

/** XLSForm's notion of "empty or false": null, false, 0, '' and no selection. */
export function truthy(v: Value): boolean {
  if (v === null || v === false || v === '') return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/**
 * Rounds half toward +∞ (2.5 → 3, -2.5 → -2), as Thai school scoring rubrics do, unlike banker's rounding.
 * Averages of level scores land on .5 often and float arithmetic can leave them a hair below
 * (2.4999999999999996); anything within 1e-9 of .5 counts as .5 so a level never drops because of binary noise.
 */
export function roundHalfUp(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const rounded = x - floor >= 0.5 - 1e-9 ? floor + 1 : floor;
  return rounded === 0 ? 0 : rounded; // no -0
}

const NUMERIC = /^-?\d+(?:\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Numbers and numeric strings ('3', ' 2.5 ') are numbers; everything else (booleans included) is not. */
function toNumber(v: Value): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') {
    const s = v.trim();
    if (!NUMERIC.test(s)) return null;
    const n = Number(s);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * Computed numbers are cut to 15 significant digits, which removes binary noise (0.1 + 0.2 → 0.3,
 * an average of 2.4999999999999996 → 2.5) so stored calculations read cleanly and compare as authors expect.
 * Non-finite results (overflow) become null, keeping every Value JSON-safe.
 */
function clean(n: number): number | null {
  if (!Number.isFinite(n)) return null;
  const c = Number(n.toPrecision(15));
  return c === 0 ? 0 : c;
}

/** Whatever an environment hands back, only well-formed Values enter the evaluator. */
function normalise(v: Value | undefined): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.filter((s) => typeof s === 'string');
  return null;
}

function valueEquals(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toNumber(a);
    const y = toNumber(b);
    return x !== null && y !== null && x === y;
  }
  return a === b;
}

/** -1/0/1, or null when the two cannot be ordered (a null side, booleans, lists, number vs non-numeric text). */
function order(a: Value, b: Value): number | null {
  if (typeof a === 'string' && typeof b === 'string') {
    // Code-unit order, not locale order: deterministic everywhere, and right for ISO dates 'YYYY-MM-DD'.
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a !== 'number' && typeof b !== 'number') return null;
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === null || y === null) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compare(op: CompareOp, a: Value, b: Value): boolean {
  switch (op) {
    case '=':
      return valueEquals(a, b);
    case '!=':
      return !valueEquals(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const o = order(a, b);
      if (o === null) return false;
      return op === '<' ? o < 0 : op === '<=' ? o <= 0 : op === '>' ? o > 0 : o >= 0;
    }
  }
}

function arith(op: ArithOp, a: number, b: number): number | null {
  switch (op) {
    case '+':
      return clean(a + b);
    case '-':
      return clean(a - b);
    case '*':
      return clean(a * b);
    case '/':
      return b === 0 ? null : clean(a / b);
  }
}

/** Selections are string arrays; a plain string is one value or XLSForm's space-separated list. */
function selections(v: Value): string[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(/\s+/).filter((s) => s !== '');
  return [];
}

function numbersOf(values: Value[]): number[] {
  const out: number[] = [];
  for (const v of values) {
    const n = toNumber(v);
    if (n !== null) out.push(n);
  }
  return out;
}

function isEmpty(v: Value): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Only a hand-made or corrupted AST gets here; the parser never produces one. */
function impossible(x: never): never {
  throw new Error(`not an expression node: ${JSON.stringify(x)}`);
}

/** Evaluates a parsed expression. Never throws on data: missing, odd or mismatched values give null or false. */
export function evaluate(expr: Expr, env: EvalEnv): Value {
  const ev = (e: Expr): Value => {
    switch (e.type) {
      case 'literal':
        return e.value;
      case 'ref':
        return normalise(env.get(e.key));
      case 'self':
        return normalise(env.self);
      case 'neg': {
        const n = toNumber(ev(e.arg));
        return n === null ? null : clean(-n);
      }
      case 'not':
        return !truthy(ev(e.arg));
      case 'arith': {
        const a = toNumber(ev(e.left));
        const b = toNumber(ev(e.right));
        return a === null || b === null ? null : arith(e.op, a, b);
      }
      case 'compare':
        return compare(e.op, ev(e.left), ev(e.right));
      case 'logic':
        // Short-circuit, and always a boolean so `a or b` never leaks an answer into a relevance flag.
        if (e.op === 'and') return truthy(ev(e.left)) && truthy(ev(e.right));
        return truthy(ev(e.left)) || truthy(ev(e.right));
      case 'call':
        return call(e.fn, e.args);
      default:
        return impossible(e);
    }
  };

  const call = (fn: FunctionName, args: Expr[]): Value => {
    // The parser guarantees the argument count; a missing argument in a hand-made AST reads as null.
    const arg = (i: number): Value => {
      const a = args[i];
      return a === undefined ? null : ev(a);
    };
    switch (fn) {
      case 'selected': {
        const wanted = arg(1);
        const value = typeof wanted === 'number' ? String(wanted) : wanted;
        return typeof value === 'string' && selections(arg(0)).includes(value);
      }
      case 'count_selected':
        return selections(arg(0)).length;
      case 'avg': {
        const ns = numbersOf(args.map(ev));
        return ns.length === 0 ? null : clean(ns.reduce((s, n) => s + n, 0) / ns.length);
      }
      case 'sum': {
        const ns = numbersOf(args.map(ev));
        return ns.length === 0 ? null : clean(ns.reduce((s, n) => s + n, 0));
      }
      case 'min': {
        const ns = numbersOf(args.map(ev));
        return ns.length === 0 ? null : Math.min(...ns);
      }
      case 'max': {
        const ns = numbersOf(args.map(ev));
        return ns.length === 0 ? null : Math.max(...ns);
      }
      case 'round': {
        const n = toNumber(arg(0));
        return n === null ? null : roundHalfUp(n);
      }
      case 'if':
        return truthy(arg(0)) ? arg(1) : arg(2);
      case 'coalesce':
        for (const a of args) {
          const v = ev(a);
          if (!isEmpty(v)) return v;
        }
        return null;
      case 'length': {
        const v = arg(0);
        if (v === null) return 0;
        if (typeof v === 'string' || Array.isArray(v)) return v.length;
        return null;
      }
      case 'today':
        return env.today !== undefined && ISO_DATE.test(env.today) ? env.today : null;
      case 'number':
        return toNumber(arg(0));
      case 'int': {
        const n = toNumber(arg(0));
        return n === null ? null : clean(Math.trunc(n));
      }
      default:
        return impossible(fn);
    }
  };

  return ev(expr);
}
