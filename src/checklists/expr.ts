// The expression language of checklist definitions (relevant, constraint, calculate; see ./definition.ts).
// Definitions are written by office staff and stored as data, so their expressions must never reach eval or
// Function: this module tokenizes and parses them into a small JSON-serialisable AST and walks that tree.
//
// The syntax is a superset of the XLSForm subset offices write in Excel: `count-selected`, `string-length`,
// `div`, `mod`, `true()`, double-quoted strings, `position(..)` and hyphenated names parse into the same tree as
// the engine's own spellings, so an XLSForm cell is stored as written and reads back unchanged. Functions that
// XLSForm has but nithet cannot evaluate (regex, pulldata, …) are refused by name (ExprError.unsupported).
//
// The semantics follow XLSForm, where an unanswered item is simply empty: null flows through arithmetic and
// aggregates instead of throwing, so a half-filled checklist can always be evaluated. Parsing is strict
// (unknown functions, wrong argument counts, chained comparisons are rejected when the definition is saved);
// evaluation is lenient and never throws on data.

export type Value = number | string | boolean | string[] | null;

export type ArithOp = '+' | '-' | '*' | '/' | 'mod';
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Each function's argument count; `max: Infinity` means variadic. Checked at parse time. */
const FUNCTIONS = {
  selected: { min: 2, max: 2 },
  count_selected: { min: 1, max: 1 },
  selected_at: { min: 2, max: 2 },
  avg: { min: 1, max: Infinity },
  sum: { min: 1, max: Infinity },
  min: { min: 1, max: Infinity },
  max: { min: 1, max: Infinity },
  count: { min: 1, max: Infinity },
  count_non_empty: { min: 1, max: Infinity },
  round: { min: 1, max: 2 },
  if: { min: 3, max: 3 },
  coalesce: { min: 1, max: Infinity },
  length: { min: 1, max: 1 },
  today: { min: 0, max: 0 },
  number: { min: 1, max: 1 },
  int: { min: 1, max: 1 },
  string: { min: 1, max: 1 },
  boolean: { min: 1, max: 1 },
  concat: { min: 1, max: Infinity },
  contains: { min: 2, max: 2 },
  starts_with: { min: 2, max: 2 },
  ends_with: { min: 2, max: 2 },
  substr: { min: 2, max: 3 },
  floor: { min: 1, max: 1 },
  ceiling: { min: 1, max: 1 },
  abs: { min: 1, max: 1 },
  pow: { min: 2, max: 2 },
  date: { min: 1, max: 1 },
  /** The 1-based index of the repeat instance being evaluated; written `position(..)` as in XLSForm. */
  position: { min: 0, max: 0 },
} as const satisfies Record<string, { min: number; max: number }>;

export type FunctionName = keyof typeof FUNCTIONS;

/** XLSForm's spellings of the same functions. */
const ALIASES: Record<string, FunctionName> = {
  'count-selected': 'count_selected',
  'selected-at': 'selected_at',
  'string-length': 'length',
  'starts-with': 'starts_with',
  'ends-with': 'ends_with',
  'count-non-empty': 'count_non_empty',
  substring: 'substr',
};

/**
 * Functions an XLSForm may use that nithet cannot evaluate in a chat (device, server data, regular expressions,
 * geometry, time of day). Named in the error so the office knows what to change, rather than "unknown function".
 */
export const UNSUPPORTED_FUNCTIONS = new Set([
  'regex',
  'pulldata',
  'once',
  'uuid',
  'now',
  'format-date',
  'format-date-time',
  'decimal-date-time',
  'decimal-time',
  'date-time',
  'indexed-repeat',
  'instance',
  'current',
  'random',
  'randomize',
  'digest',
  'area',
  'distance',
  'geofence',
  'jr:choice-name',
  'jr:itext',
  'property',
  'version',
  'substring-before',
  'substring-after',
  'translate',
  'normalize-space',
  'join',
  'boolean-from-string',
  'checklist',
  'weighted-checklist',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'atan2',
  'log',
  'log10',
  'exp',
  'exp10',
  'sqrt',
  'pi',
  'base64-decode',
  'encrypt-string',
  'last',
  'local-name',
  'name',
  'id',
  'lang',
  'uri',
]);

/** Functions that, given a repeated item (`sum(${score})` outside its repeat), take every instance's answer. */
export const AGGREGATES: ReadonlySet<FunctionName> = new Set<FunctionName>([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'count_non_empty',
  'concat',
]);

/** The parsed form. Plain objects only, so an AST can be cached as JSON next to its definition. */
export type Expr =
  | { type: 'literal'; value: number | string | boolean | null }
  | { type: 'ref'; key: string }
  | { type: 'self' }
  /** A column of the choice being filtered (choice_filter only): `cf` in `${state} = cf`, `name` for its value. */
  | { type: 'field'; name: string }
  | { type: 'neg'; arg: Expr }
  | { type: 'not'; arg: Expr }
  | { type: 'arith'; op: ArithOp; left: Expr; right: Expr }
  | { type: 'compare'; op: CompareOp; left: Expr; right: Expr }
  | { type: 'logic'; op: 'and' | 'or'; left: Expr; right: Expr }
  | { type: 'call'; fn: FunctionName; args: Expr[] };

/** A syntax error. `position` is the 0-based offset into the source, also spelled out in the message. */
export class ExprError extends Error {
  readonly position: number;
  /** Set when the expression is well-formed XLSForm but uses a function nithet cannot evaluate (its name). */
  readonly unsupported: string | undefined;
  constructor(message: string, position: number, unsupported?: string) {
    super(message);
    this.name = 'ExprError';
    this.position = position;
    this.unsupported = unsupported;
  }
}

export interface ParseOptions {
  /** Allow bare names as columns of a choice (choice_filter). */
  fields?: boolean;
}

export const MAX_EXPRESSION_LENGTH = 500;
/** Parentheses, calls and prefix operators count; keeps the recursive parser and evaluator far from the stack limit. */
export const MAX_EXPRESSION_DEPTH = 32;

// ---------------------------------------------------------------------------------------------------------------
// Tokenizer

type Punct = '(' | ')' | ',' | '.' | '..' | Exclude<ArithOp, 'mod'> | CompareOp;

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
// XML names, as XLSForm's: hyphens and dots inside (`count-selected`, `label-test`), one `prefix:` (`jr:…`).
const isNameChar = (c: string | undefined) => isNameStart(c) || isDigit(c) || c === '-' || c === '.';
const isKeyStart = isNameStart;
const isKeyChar = (c: string | undefined) => isNameStart(c) || isDigit(c) || c === '-' || c === '.';
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
    } else if (c === "'" || c === '"') {
      let value = '';
      i++;
      for (;;) {
        const d = src[i];
        if (d === undefined) throw error('unterminated string', start, `expected a closing ${describeChar(c)}`);
        if (d === c) break;
        const e = src[i + 1];
        if (d === '\\' && (e === c || e === '\\')) {
          // \' and \\ escape; any other backslash is itself, as XPath reads it ('^\d+$' stays as written).
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
      if (!isKeyStart(src[i])) throw error('expected an item key (a letter or _ first)', i);
      while (isKeyChar(src[i])) i++;
      const key = src.slice(start + 2, i);
      if (src[i] !== '}') throw error(`expected '}' to close \${${key}`, i);
      i++;
      tokens.push({ t: 'ref', pos: start, key });
    } else if (isNameStart(c)) {
      while (isNameChar(src[i])) i++;
      if (src[i] === ':' && isNameStart(src[i + 1])) {
        i++;
        while (isNameChar(src[i])) i++;
      }
      tokens.push({ t: 'name', pos: start, name: src.slice(start, i) });
    } else if (c === '.' && src[i + 1] === '.') {
      tokens.push({ t: 'punct', pos: start, p: '..' });
      i += 2;
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
        case '[':
        case '|':
          throw error(`unexpected character ${describeChar(c)}`, i, 'XPath paths and predicates are not supported');
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
    // XPath divides with `div` (its `/` is a path) and has `mod`.
    if (tok.name === 'div') return { kind: 'arith', op: '/', bp: BP_MUL };
    if (tok.name === 'mod') return { kind: 'arith', op: 'mod', bp: BP_MUL };
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
    case '..':
      return null;
  }
}

function isFunctionName(name: string): name is FunctionName {
  // hasOwn, not `in`: 'constructor' or 'toString' must not pass for functions.
  return Object.hasOwn(FUNCTIONS, name);
}

/** The engine's name for a function written either way (`string-length` → length), or undefined. */
function functionNamed(name: string): FunctionName | undefined {
  if (isFunctionName(name)) return name;
  return Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
}

const FUNCTION_LIST = Object.keys(FUNCTIONS).sort().join(', ');

/** Parses one expression; throws ExprError naming the position and what was expected there. */
export function parseExpression(src: string, options: ParseOptions = {}): Expr {
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
    if (name === 'true' || name === 'false') {
      // XPath's true() and false().
      enter(tok);
      const args = parseArgs();
      leave();
      if (args.length !== 0) throw error(`${name}() expects 0 arguments, got ${args.length}`, tok);
      return { type: 'literal', value: name === 'true' };
    }
    if (name === 'position') {
      // Only XLSForm's idiom position(..): the index of the repeat instance this expression is evaluated in.
      next();
      const inner = next();
      if (!isPunct(inner, '..')) throw expected("'..' (write position(..))", inner);
      expect(')');
      return { type: 'call', fn: 'position', args: [] };
    }
    const fn = functionNamed(name);
    if (fn === undefined) {
      if (UNSUPPORTED_FUNCTIONS.has(name)) {
        throw new ExprError(`function ${name}() is not supported at ${tok.pos}`, tok.pos, name);
      }
      throw error(`unknown function '${name}'`, tok, `expected one of not, ${FUNCTION_LIST}`);
    }
    enter(tok);
    const args = parseArgs();
    leave();
    const { min, max } = FUNCTIONS[fn];
    if (args.length < min || args.length > max) {
      const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      const plural = min === 1 && max === 1 ? 'argument' : 'arguments';
      throw error(`${name}() expects ${wanted} ${plural}, got ${args.length}`, tok);
    }
    return { type: 'call', fn, args };
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
        if ((name === 'true' || name === 'false') && !isPunct(peek(1), '(')) {
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
        if (functionNamed(name) !== undefined) throw expected(`'(' after ${name}`, after);
        if (name === 'and' || name === 'or' || name === 'div' || name === 'mod') throw expected('a value', tok);
        if (options.fields === true) {
          next();
          return { type: 'field', name };
        }
        const hint = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) ? `an item's answer is written \${${name}}` : undefined;
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

/** Every node of the tree, depth first, with the node it is a direct argument of (for aggregate checks). */
export function walkExpr(expr: Expr, visit: (e: Expr, parent: Expr | null) => void): void {
  const walk = (e: Expr, parent: Expr | null): void => {
    visit(e, parent);
    switch (e.type) {
      case 'literal':
      case 'ref':
      case 'self':
      case 'field':
        return;
      case 'neg':
      case 'not':
        walk(e.arg, e);
        return;
      case 'arith':
      case 'compare':
      case 'logic':
        walk(e.left, e);
        walk(e.right, e);
        return;
      case 'call':
        for (const a of e.args) walk(a, e);
        return;
    }
  };
  walk(expr, null);
}

/** Item keys the expression reads, plus '.' for the answer being checked, each once, in order of first use. */
export function references(expr: Expr): string[] {
  const seen = new Set<string>();
  walkExpr(expr, (e) => {
    if (e.type === 'ref') seen.add(e.key);
    else if (e.type === 'self') seen.add('.');
  });
  return [...seen];
}

export interface RefUse {
  key: string;
  /** A direct argument of sum/avg/min/max/count/concat: may name an item inside a repeat from outside it. */
  aggregate: boolean;
}

/** Each `${key}` read, with whether it is a whole argument of an aggregate, in order of use (repeats kept). */
export function refUses(expr: Expr): RefUse[] {
  const out: RefUse[] = [];
  walkExpr(expr, (e, parent) => {
    if (e.type !== 'ref') return;
    out.push({ key: e.key, aggregate: parent?.type === 'call' && AGGREGATES.has(parent.fn) });
  });
  return out;
}

/** The choice columns a choice_filter reads (bare names), each once. */
export function fieldsOf(expr: Expr): string[] {
  const seen = new Set<string>();
  walkExpr(expr, (e) => {
    if (e.type === 'field') seen.add(e.name);
  });
  return [...seen];
}

/** The functions an expression calls, each once. */
export function functionsOf(expr: Expr): FunctionName[] {
  const seen = new Set<FunctionName>();
  walkExpr(expr, (e) => {
    if (e.type === 'call') seen.add(e.fn);
  });
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
  /**
   * Every instance's answer to an item inside a repeat (one entry per instance, null when unanswered), or one
   * `true` per instance for the repeat's own key; undefined for an item outside any repeat. Aggregates
   * (`sum(${score})`) read this when evaluated outside the repeat.
   */
  getAll?(key: string): Value[] | undefined;
  /** A column of the choice being filtered, for bare names in a choice_filter (`name` is the choice's value). */
  field?(name: string): Value;
  /** The 1-based repeat instance being evaluated, for position(..). */
  position?: number;
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
const DAY_MS = 86_400_000;

/** A calendar date as XPath counts it in arithmetic: days since 1970-01-01 (so `today() - ${born}` is days). */
function dateDays(v: Value): number | null {
  if (typeof v !== 'string' || !ISO_DATE.test(v)) return null;
  const t = Date.parse(`${v}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a date that does not exist is not a date.
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v) return null;
  return t / DAY_MS;
}

function daysDate(n: number): string | null {
  if (!Number.isFinite(n) || Math.abs(n) > 1e8) return null;
  return new Date(Math.floor(n) * DAY_MS).toISOString().slice(0, 10);
}

/** A number, or a date as its day number: what arithmetic and ordering against a number take. */
function toNumeric(v: Value): number | null {
  return toNumber(v) ?? dateDays(v);
}

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
  const x = toNumeric(a);
  const y = toNumeric(b);
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
    case 'mod':
      return b === 0 ? null : clean(a % b);
  }
}

/** Value as text, as XPath's string() gives it: numbers plainly, booleans as true/false, lists space-separated. */
function toText(v: Value): string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.join(' ');
  return String(v);
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
      case 'field':
        return normalise(env.field?.(e.name));
      case 'neg': {
        const n = toNumber(ev(e.arg));
        return n === null ? null : clean(-n);
      }
      case 'not':
        return !truthy(ev(e.arg));
      case 'arith': {
        const a = toNumeric(ev(e.left));
        const b = toNumeric(ev(e.right));
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

  /** Arguments with a repeated item spread into every instance's answer (aggregates outside the repeat). */
  const spread = (args: Expr[]): Value[] =>
    args.flatMap((a) => {
      if (a.type === 'ref') {
        const all = env.getAll?.(a.key);
        if (all !== undefined) return all.map(normalise);
      }
      return [ev(a)];
    });

  const call = (fn: FunctionName, args: Expr[]): Value => {
    // The parser guarantees the argument count; a missing argument in a hand-made AST reads as null.
    const arg = (i: number): Value => {
      const a = args[i];
      return a === undefined ? null : ev(a);
    };
    const num = (i: number): number | null => toNumber(arg(i));
    const text = (i: number): string => toText(arg(i));
    switch (fn) {
      case 'selected': {
        const wanted = arg(1);
        const value = typeof wanted === 'number' ? String(wanted) : wanted;
        return typeof value === 'string' && selections(arg(0)).includes(value);
      }
      case 'count_selected':
        return selections(arg(0)).length;
      case 'selected_at': {
        const i = num(1);
        return i === null ? null : (selections(arg(0))[i] ?? '');
      }
      case 'avg': {
        const ns = numbersOf(spread(args));
        return ns.length === 0 ? null : clean(ns.reduce((s, n) => s + n, 0) / ns.length);
      }
      case 'sum': {
        const ns = numbersOf(spread(args));
        return ns.length === 0 ? null : clean(ns.reduce((s, n) => s + n, 0));
      }
      case 'min': {
        const ns = numbersOf(spread(args));
        return ns.length === 0 ? null : Math.min(...ns);
      }
      case 'max': {
        const ns = numbersOf(spread(args));
        return ns.length === 0 ? null : Math.max(...ns);
      }
      case 'count':
        return spread(args).length;
      case 'count_non_empty':
        return spread(args).filter((v) => !isEmpty(v)).length;
      case 'concat':
        return spread(args).map(toText).join('');
      case 'round': {
        const n = num(0);
        if (n === null) return null;
        if (args.length < 2) return roundHalfUp(n);
        const digits = num(1);
        if (digits === null || !Number.isInteger(digits) || Math.abs(digits) > 10) return null;
        const f = 10 ** digits;
        return clean(roundHalfUp(n * f) / f);
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
      case 'string':
        return text(0);
      case 'boolean':
        return truthy(arg(0));
      case 'contains':
        return text(0).includes(text(1));
      case 'starts_with':
        return text(0).startsWith(text(1));
      case 'ends_with':
        return text(0).endsWith(text(1));
      case 'substr': {
        // XLSForm's substr(s, start, end): 0-based start, end exclusive, in characters.
        const chars = [...text(0)];
        const start = num(1);
        const stop = args.length > 2 ? num(2) : chars.length;
        if (start === null || stop === null) return null;
        return chars.slice(Math.max(0, Math.trunc(start)), Math.max(0, Math.trunc(stop))).join('');
      }
      case 'floor': {
        const n = num(0);
        return n === null ? null : clean(Math.floor(n));
      }
      case 'ceiling': {
        const n = num(0);
        return n === null ? null : clean(Math.ceil(n));
      }
      case 'abs': {
        const n = num(0);
        return n === null ? null : clean(Math.abs(n));
      }
      case 'pow': {
        const a = num(0);
        const b = num(1);
        return a === null || b === null ? null : clean(a ** b);
      }
      case 'date': {
        const v = arg(0);
        if (typeof v === 'string' && dateDays(v) !== null) return v;
        const n = toNumber(v);
        return n === null ? null : daysDate(n);
      }
      case 'position':
        return env.position !== undefined && Number.isInteger(env.position) ? env.position : null;
      default:
        return impossible(fn);
    }
  };

  return ev(expr);
}
