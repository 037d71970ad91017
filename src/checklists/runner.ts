// The checklist runner: one question per message, typed answers accepted everywhere, resumable exactly where it
// was left. Pure like transition(): the position to ask next is derived from the definition and the stored
// answers, so nothing but the answers table has to survive a deploy or a new checklist version.
import type { messagingApi } from '@line/bot-sdk';
import { checklistListBubble } from '../../flex-templates/checklist-list.js';
import { reviewCarousel, type ReviewRow } from '../../flex-templates/checklist-review.js';
import type { Effect } from '../conversation/effects.js';
import type { Input } from '../conversation/input.js';
import { isPauseWord } from '../conversation/commands.js';
import { commandKey } from '../conversation/normalize.js';
import type { ConversationState, Flow } from '../conversation/state.js';
import type { CampaignView, GlobalCommand, PersonView } from '../conversation/types.js';
export type { CampaignView } from '../conversation/types.js';
import { th } from '../i18n/th.js';
import {
  clip,
  LIMITS,
  type Message,
  parsePostbackData,
  postbackData,
  quickPostback,
  textMessage,
} from '../line/messages.js';
import { thaiLongDate, thaiTime } from '../time/thai.js';
import {
  type AnswerMap,
  type AnswerValue,
  answerKey,
  type RepeatState,
  displayAnswer,
  encodeRepeatState,
  getAnswer,
  indexItems,
  repeatState,
} from './answers.js';
import type { AnswerableItem, Definition, LeafItem, RepeatItem } from './definition.js';
import { type EvalEnv, evaluate, parseExpression, truthy } from './expr.js';
import { documentRefusal } from './items/document.js';
import { kindOf, RATING_LEVELS } from './items/index.js';
import type { KindCtx } from './items/kind.js';
import { type ChoiceOption, parseYesNo } from './parse.js';
import { dedupeKey } from '../outbox/keys.js';
import type { IdSlot } from '../ids/row-id.js';
import { msg } from '../i18n/msg.js';
import { extend } from '../objects/extend.js';

export type ChecklistFlow = Extract<Flow, { flow: 'checklist' }>;
export type Position = ChecklistFlow['at'];

export interface ChecklistCtx {
  now: number;
  timeZone: string;
  /** Today's date in the office's time zone, YYYY-MM-DD. */
  today: string;
  person: PersonView;
  schoolId: string | null;
  open: CampaignView[];
  definitions: ReadonlyMap<string, Definition>;
  /** Answers of the response in the state, when there is one. */
  answers: AnswerMap;
  /**
   * The school's answers in its last submitted self-assessment of an earlier term, when the response in focus is
   * a term self-assessment (src/checklists/response-effects.queries.ts): each question offers its answer there as
   * the default ("ใช้คำตอบนี้"), which the principal confirms or changes.
   */
  previous?: AnswerMap;
  /** Answers of each started response of an open campaign, by response id, when a typed text at home asked. */
  startedAnswers?: ReadonlyMap<string, AnswerMap>;
  assignedSchools: { id: string; name: string }[];
  /** The id of a row this turn creates, derived from the turn's event (src/ids/row-id.ts). */
  newId: (slot: IdSlot) => string;
  /** The response's evidence files by id (a file not here is still on its way, or was refused). */
  evidence?: ReadonlyMap<string, EvidenceView>;
}

/** An evidence file as the chat shows it: a document's name as sent; a photo's signed thumbnail URL, if any. */
export interface EvidenceView {
  name: string | null;
  thumb: string | null;
}

export interface RunnerResult {
  state: ConversationState;
  replies: Message[];
  effects: Effect[];
}

// ── The asking sequence ──

const exprCache = new Map<string, ReturnType<typeof parseExpression>>();
function expr(src: string) {
  let e = exprCache.get(src);
  if (e === undefined) {
    e = parseExpression(src);
    if (exprCache.size > 5000) exprCache.clear();
    exprCache.set(src, e);
  }
  return e;
}

/**
 * The environment an expression sees at a repeat instance: siblings of that instance, else top-level items; every
 * instance of a repeated item for aggregates (`sum(${score})`), and the instance number for position(..).
 */
function envAt(def: Definition, answers: AnswerMap, repeat: number, today: string, self?: AnswerValue): EvalEnv {
  const idx = indexItems(def);
  const get = (key: string, depth = 0, r = repeat): AnswerValue => {
    const entry = idx.byKey.get(key);
    const at = entry?.repeat !== null && entry?.repeat !== undefined ? r : 0;
    if (entry?.item.type === 'calculate' && depth < 20) {
      return evaluate(expr(entry.item.expression), {
        get: (k) => get(k, depth + 1, at),
        getAll: (k) => getAll(k, depth + 1),
        today,
        ...(at > 0 ? { position: at } : {}),
      });
    }
    if (entry === undefined && idx.repeats.has(key))
      return instances(def, answers, idx.repeats.get(key) as RepeatItem, today).count;
    return getAnswer(answers, key, at) ?? null;
  };
  const getAll = (key: string, depth = 0): AnswerValue[] | undefined => {
    const rep = idx.repeats.get(key) ?? idx.byKey.get(key)?.repeat ?? null;
    if (rep === null) return undefined;
    const n = instances(def, answers, rep, today).count;
    const all: AnswerValue[] = [];
    for (let i = 1; i <= n; i++) all.push(idx.repeats.has(key) ? true : get(key, depth, i));
    return all;
  };
  return {
    get: (k) => get(k),
    getAll: (k) => getAll(k),
    today,
    ...(repeat > 0 ? { position: repeat } : {}),
    ...(self === undefined ? {} : { self }),
  };
}

function relevant(def: Definition, answers: AnswerMap, src: string | undefined, repeat: number, today: string) {
  return src === undefined || truthy(evaluate(expr(src), envAt(def, answers, repeat, today)));
}

/**
 * How many instances a repeat has: its computed count (XLSForm repeat_count, evaluated outside the repeat, cut to
 * 0…maxCount), else as many as the person added.
 */
function instances(def: Definition, answers: AnswerMap, rep: RepeatItem, today: string): RepeatState {
  if (rep.count === undefined) return repeatState(answers, rep);
  const v = evaluate(expr(rep.count), envAt(def, answers, 0, today));
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : 0;
  return { count: Number.isFinite(n) ? Math.max(0, Math.min(rep.maxCount, Math.floor(n))) : 0, done: true };
}

/** Every position that would be asked, in order, given the answers so far. */
function sequence(def: Definition, answers: AnswerMap, today: string): Position[] {
  const out: Position[] = [];
  for (const it of def.items) {
    if (it.type === 'repeat') {
      if (!relevant(def, answers, it.relevant, 0, today)) continue;
      const rs = instances(def, answers, it, today);
      for (let r = 1; r <= rs.count; r++) {
        for (const child of it.items) {
          if (child.type === 'note' || child.type === 'calculate') continue;
          if (relevant(def, answers, child.relevant, r, today)) out.push({ kind: 'item', key: child.key, repeat: r });
        }
      }
      if (!rs.done && rs.count < it.maxCount) out.push({ kind: 'more', key: it.key, repeat: 0 });
      continue;
    }
    if (it.type === 'note' || it.type === 'calculate') continue;
    if (relevant(def, answers, it.relevant, 0, today)) out.push({ kind: 'item', key: it.key, repeat: 0 });
  }
  return out;
}

const samePos = (a: Position, b: Position) => a.kind === b.kind && a.key === b.key && a.repeat === b.repeat;
const isAnswered = (answers: AnswerMap, p: Position) =>
  p.kind === 'item' && getAnswer(answers, p.key, p.repeat) !== undefined;

/** The next position to ask after `from` (or from the start): the first unanswered one, else the review. */
function nextPosition(seq: Position[], answers: AnswerMap, from?: Position): Position {
  const start = from === undefined ? 0 : seq.findIndex((p) => samePos(p, from)) + 1;
  for (let i = Math.max(start, 0); i < seq.length; i++) {
    const p = seq[i] as Position;
    if (p.kind === 'more' || !isAnswered(answers, p)) return p;
  }
  for (const p of seq) if (p.kind === 'item' && !isAnswered(answers, p)) return p;
  return { kind: 'review', key: '', repeat: 0 };
}

const questions = (seq: Position[]) => seq.filter((p) => p.kind === 'item');

/** The keys an expression reads (`${key}`), through calculations, to see whether its value can still change. */
function readsKeys(def: Definition, src: string, depth = 0): string[] {
  const out: string[] = [];
  for (const m of src.matchAll(/\$\{([^}]+)\}/g)) {
    const k = m[1] ?? '';
    const entry = indexItems(def).byKey.get(k);
    if (entry?.item.type === 'calculate' && depth < 10) out.push(...readsKeys(def, entry.item.expression, depth + 1));
    else out.push(k);
  }
  return out;
}

/**
 * "ข้อ i/n" that does not jump: n counts the questions asked so far and the rest as relevance stands now, plus
 * the later questions not relevant now whose relevance still waits on an unanswered question (so n only ever
 * shrinks as answers come in); `about` says when such a question makes n an upper bound.
 */
function progressOf(p: PromptCtx, at: Position): { number: number; total: number; about: boolean } {
  const qs = questions(p.seq);
  const asked = new Set(qs.map((q) => q.key));
  let open = 0;
  for (const it of p.def.items) {
    if (it.type === 'repeat' || it.type === 'note' || it.type === 'calculate' || asked.has(it.key)) continue;
    if (it.relevant === undefined) continue;
    const waits = readsKeys(p.def, it.relevant).some(
      (k) => getAnswer(p.answers, k, 0) === undefined && !indexItems(p.def).repeats.has(k),
    );
    if (waits) open++;
  }
  return { number: qs.findIndex((q) => samePos(q, at)) + 1, total: qs.length + open, about: open > 0 };
}

// ── Prompts ──

interface PromptCtx {
  def: Definition;
  answers: AnswerMap;
  seq: Position[];
  state: ConversationState;
  flow: ChecklistFlow;
  ctx: ChecklistCtx;
}

function leaf(def: Definition, key: string): { item: LeafItem; repeat: RepeatItem | null } {
  const entry = indexItems(def).byKey.get(key);
  if (entry === undefined) throw new Error(`unknown item ${key}`);
  return entry;
}

/** Notes immediately before an item (within its repeat, or at top level), if relevant: they head its question. */
function notesBefore(def: Definition, key: string, answers: AnswerMap, repeat: number, today: string): string[] {
  const { repeat: rep } = leaf(def, key);
  const list: LeafItem[] = rep === null ? def.items.filter((i): i is LeafItem => i.type !== 'repeat') : rep.items;
  const at = list.findIndex((i) => i.key === key);
  const notes: string[] = [];
  for (let i = at - 1; i >= 0; i--) {
    const it = list[i];
    if (it?.type !== 'note') break;
    if (relevant(def, answers, it.relevant, repeat, today))
      notes.unshift(...[it.label.th, ...(it.hint === undefined ? [] : [it.hint.th])]);
  }
  return notes;
}

const filterCache = new Map<string, ReturnType<typeof parseExpression>>();
/** A choice_filter, parsed with bare names as the choice's columns (`${province} = province`). */
function filterExpr(src: string) {
  let e = filterCache.get(src);
  if (e === undefined) {
    e = parseExpression(src, { fields: true });
    if (filterCache.size > 1000) filterCache.clear();
    filterCache.set(src, e);
  }
  return e;
}

/**
 * The choices to offer at the current position: the office's data (schools), or the item's list, filtered by its
 * choice_filter against the answers so far (`all`: unfiltered, for reading back any stored value).
 */
function choicesOf(p: PromptCtx, item: LeafItem, all = false): ChoiceOption[] {
  if (item.type !== 'select_one' && item.type !== 'select_many') return [];
  if (item.choicesFrom === 'assigned_schools')
    return p.ctx.assignedSchools.map((s) => ({ value: s.id, label: s.name }));
  let list = item.choices ?? [];
  if (item.choiceFilter !== undefined && !all) {
    const filter = filterExpr(item.choiceFilter);
    const env = envAt(p.def, p.answers, p.flow.at.repeat, p.ctx.today);
    list = list.filter((c) =>
      truthy(evaluate(filter, { ...env, field: (n) => (n === 'name' ? c.value : (c.attributes?.[n] ?? null)) })),
    );
  }
  const out = list.map((c) => ({ value: c.value, label: c.label.th }));
  // A number scale (values 1…n) is listed by its values, so "5" typed or read means the choice whose value is 5
  // (the most, in every built-in) whatever order the definition lists them in.
  const values = out.map((c) => Number(c.value)).sort((a, b) => a - b);
  const scale = out.length > 1 && out.every((c) => /^\d+$/.test(c.value)) && values.every((v, i) => v === i + 1);
  return scale ? out.sort((a, b) => Number(a.value) - Number(b.value)) : out;
}

/** What an item's kind module needs to ask and read it at the current position. */
function kindCtx(p: PromptCtx, item: AnswerableItem): KindCtx {
  return {
    today: p.ctx.today,
    seq: p.state.seq,
    choices: choicesOf(p, item),
    current: getAnswer(p.answers, item.key, p.flow.at.repeat),
    draft: p.flow.draft,
  };
}

/** `${key}` in a label, hint or message: the answer as it reads back, as XLSForm shows answers in labels. */
function fill(p: PromptCtx, text: string, repeat: number): string {
  if (!text.includes('${')) return text;
  const env = envAt(p.def, p.answers, repeat, p.ctx.today);
  return text.replace(/\$\{([^}]*)\}/g, (_m, k: string) => {
    const v = env.get(k);
    const entry = indexItems(p.def).byKey.get(k);
    return v === null ? '…' : entry === undefined ? String(v) : displayAnswer(entry.item, v);
  });
}

/**
 * The answer a question starts from: the school's answer to it in its last submitted self-assessment of an
 * earlier term (ctx.previous), when it is still a valid answer here, else the item's XLSForm `default`. Files are
 * never carried over.
 */
function defaultOf(
  p: PromptCtx,
  item: AnswerableItem,
  repeat: number,
): { value: AnswerValue; previous: boolean } | undefined {
  const prev =
    p.ctx.previous === undefined || item.type === 'photo' || item.type === 'document'
      ? undefined
      : getAnswer(p.ctx.previous, item.key, repeat);
  if (prev !== undefined && prev !== null && stillValid(p, item, prev)) return { value: prev, previous: true };
  const from = kindOf(item).fromDefault;
  const value = item.default === undefined || from === undefined ? undefined : from(item, item.default);
  return value === undefined ? undefined : { value, previous: false };
}

/** A carried-over answer fits the item as it is now (a choice may have gone, a limit changed). */
function stillValid(p: PromptCtx, item: AnswerableItem, v: AnswerValue): boolean {
  if (item.type === 'select_one' || item.type === 'select_many') {
    const values = new Set(choicesOf(p, item, true).map((c) => c.value));
    return Array.isArray(v)
      ? v.every((x) => typeof x === 'string' && values.has(x))
      : typeof v === 'string' && values.has(v);
  }
  return checkConstraint(p.def, item, v, p.answers, p.flow.at.repeat, p.ctx.today) === null;
}

const requiredMessage = (item: AnswerableItem, otherwise: string = msg.checklist.required) =>
  item.requiredMessage?.th ?? otherwise;

const nav = (p: PromptCtx, item: AnswerableItem | null): messagingApi.QuickReplyItem[] => {
  const items: messagingApi.QuickReplyItem[] = [];
  if (item !== null && !item.required)
    items.push(quickPostback(msg.checklist.skip, postbackData('skip', {}, p.state.seq), msg.checklist.skip));
  if (questions(p.seq).findIndex((q) => samePos(q, p.flow.at)) > 0 || p.flow.at.kind === 'more') {
    items.push(quickPostback(msg.checklist.back, postbackData('back', {}, p.state.seq), msg.checklist.back));
  }
  return items;
};

function ask(p: PromptCtx): Message[] {
  const { def, flow, ctx, state } = p;
  const at = flow.at;
  if (at.kind === 'review') return review(p);
  if (at.kind === 'more') {
    const rep = indexItems(def).repeats.get(at.key);
    if (rep === undefined) return review(p);
    const n = repeatState(p.answers, rep).count;
    const label = rep.addLabel?.th ?? rep.label.th;
    return [
      textMessage(
        msg.checklist.addMore(label, n),
        withPause(p, [
          quickPostback(msg.checklist.addYes, postbackData('more', { v: 'yes' }, state.seq), msg.checklist.addYes),
          quickPostback(msg.checklist.addNo, postbackData('more', { v: 'no' }, state.seq), msg.checklist.addNo),
          ...nav(p, null),
        ]),
      ),
    ];
  }
  const { item, repeat: rep } = leaf(def, at.key);
  if (item.type === 'note' || item.type === 'calculate') return review(p);
  const progress = progressOf(p, at);
  const kc = kindCtx(p, item);
  const prompt = kindOf(item).prompt(item, kc);
  const dflt = kc.current === undefined ? defaultOf(p, item, at.repeat) : undefined;
  const lines = [
    ...notesBefore(def, item.key, p.answers, at.repeat, ctx.today),
    `${msg.checklist.progress(progress.number, progress.total, progress.about)}${rep === null ? '' : ` · ${msg.checklist.repeatInstance(rep.label.th, at.repeat)}`}`,
    item.label.th,
    ...(item.hint === undefined ? [] : [item.hint.th]),
    ...(item.required ? [] : [msg.checklist.optional]),
    ...prompt.lines,
    // Back at an answered question (an edit, ย้อนกลับ): what it holds now, to keep or replace.
    ...(kc.current === undefined || item.type === 'select_many'
      ? []
      : [
          msg.checklist.currentAnswer(
            kc.current === null ? msg.checklist.skippedAnswer : displayAnswer(item, kc.current, labelsOf(p, item)),
          ),
        ]),
    ...(dflt === undefined
      ? []
      : [
          (dflt.previous ? msg.checklist.previousIs : msg.checklist.defaultIs)(
            displayAnswer(item, dflt.value, labelsOf(p, item)),
          ),
        ]),
  ].map((l) => fill(p, l, at.repeat));
  const quick = [
    ...(dflt === undefined
      ? []
      : [quickPostback(msg.checklist.useDefault, postbackData('dflt', {}, state.seq), msg.checklist.useDefault)]),
    ...prompt.quick,
    ...nav(p, item),
  ];
  return [textMessage(lines.join('\n'), withPause(p, quick))];
}

/** Every question's chips end with "พักไว้ก่อน", kept within LINE's limit whatever else they hold. */
function withPause(p: PromptCtx, quick: messagingApi.QuickReplyItem[]): messagingApi.QuickReplyItem[] {
  const pause = quickPostback(msg.checklist.pauseChip, postbackData('pause', {}, p.state.seq), msg.checklist.pauseChip);
  return [...quick.slice(0, LIMITS.quickReplyItems - 1), pause];
}

/** How an answer's values read: a choice's label; a document's name as sent (evidence ids), when known. */
const labelsOf = (p: PromptCtx, item: LeafItem): Map<string, string> | undefined => {
  if (item.type !== 'photo' && item.type !== 'document')
    return new Map(choicesOf(p, item, true).map((c) => [c.value, c.label]));
  const files = p.ctx.evidence;
  if (files === undefined) return undefined;
  return new Map([...files].flatMap(([id, f]): [string, string][] => (f.name === null ? [] : [[id, f.name]])));
};

/** A photo answer's thumbnails (signed URLs), in the order sent; photos still on their way have none yet. */
function thumbsOf(p: PromptCtx, item: LeafItem, value: AnswerValue | undefined): string[] {
  if (item.type !== 'photo' || !Array.isArray(value)) return [];
  return value.flatMap((id) => {
    const t = p.ctx.evidence?.get(String(id))?.thumb;
    return t === undefined || t === null ? [] : [t];
  });
}

function reviewRows(p: PromptCtx): ReviewRow[] {
  const qs = questions(p.seq);
  const asked = qs.map((q, i): ReviewRow => {
    const { item, repeat } = leaf(p.def, q.key);
    const value = getAnswer(p.answers, q.key, q.repeat);
    return {
      number: i + 1,
      label: repeat === null ? item.label.th : `${item.label.th} (${repeat.label.th} ${q.repeat})`,
      answer: displayAnswer(item, value, labelsOf(p, item)),
      missing: item.type !== 'note' && item.type !== 'calculate' && item.required && !isAnswered(p.answers, q),
      skipped: value === null,
      thumbs: thumbsOf(p, item, value),
      editData: postbackData('edit', { n: i + 1 }, p.state.seq),
    };
  });
  // The levels the answers make (a standard's, an indicator's), as they will be stored on submit.
  const env = envAt(p.def, p.answers, 0, p.ctx.today);
  const computed = p.def.items.flatMap((it): ReviewRow[] => {
    if (it.type !== 'calculate' || it.achieve === undefined) return [];
    const v = env.get(it.key);
    if (v === null || v === undefined) return [];
    const level = RATING_LEVELS.find((l) => l.value === v);
    const answer = level === undefined ? String(v) : `${level.value} ${level.th}`;
    return [{ number: 0, label: it.label.th, answer, missing: false, editData: null }];
  });
  return [...asked, ...computed];
}

function review(p: PromptCtx): Message[] {
  const title = p.def.title.th;
  const carousel = reviewCarousel({
    title,
    rows: reviewRows(p),
    submitLabel: p.flow.editing ? msg.checklist.saveEditsButton : msg.checklist.submitButton,
    submitData: postbackData('submit', {}, p.state.seq),
  });
  return [
    textMessage(p.flow.editing ? msg.checklist.reviewIntroEditing(title) : msg.checklist.reviewIntro(title)),
    { type: 'flex', altText: clip(msg.checklist.reviewIntro(title), LIMITS.altText), contents: carousel },
  ];
}

// ── Turning input into answers ──

function checkConstraint(
  def: Definition,
  item: AnswerableItem,
  value: AnswerValue,
  answers: AnswerMap,
  repeat: number,
  today: string,
): string | null {
  if (item.constraint === undefined || value === null) return null;
  const ok = truthy(evaluate(expr(item.constraint), envAt(def, answers, repeat, today, value)));
  return ok ? null : (item.constraintMessage?.th ?? msg.checklist.constraintFailed);
}

// ── The runner ──

function moveTo(
  p: PromptCtx,
  at: Position,
  extra: Partial<ChecklistFlow> = {},
): { state: ConversationState; prompt: Message[] } {
  const flow: ChecklistFlow = extend(p.flow, { at, ...extra });
  if (!('draft' in extra)) delete flow.draft;
  const state: ConversationState = extend(p.state, { seq: p.state.seq + 1, flow });
  return { state, prompt: ask(extend(p, { state, flow })) };
}

/** After saving an answer: onward to the next question, or back to the review when editing from there. */
function advance(p: PromptCtx, answers: AnswerMap, effects: Effect[], pre: Message[] = []): RunnerResult {
  const seq = sequence(p.def, answers, p.ctx.today);
  const next = p.flow.returnToReview
    ? { kind: 'review' as const, key: '', repeat: 0 }
    : nextPosition(seq, answers, p.flow.at);
  const moved = moveTo(extend(p, { answers, seq }), next);
  return { state: moved.state, replies: [...pre, ...moved.prompt].slice(0, LIMITS.messagesPerReply), effects };
}

function again(p: PromptCtx, ...pre: Message[]): RunnerResult {
  return { state: p.state, replies: [...pre, ...ask(p)].slice(0, LIMITS.messagesPerReply), effects: [] };
}

function save(p: PromptCtx, key: string, repeat: number, value: AnswerValue): { answers: AnswerMap; effect: Effect } {
  return {
    answers: extend(p.answers, { [answerKey(key, repeat)]: value }),
    effect: { type: 'saveAnswer', responseId: p.flow.responseId, personId: p.ctx.person.id, key, repeat, value },
  };
}

function accept(p: PromptCtx, item: AnswerableItem, value: AnswerValue): RunnerResult {
  const at = p.flow.at;
  const problem = checkConstraint(p.def, item, value, p.answers, at.repeat, p.ctx.today);
  if (problem !== null) return again(p, textMessage(fill(p, problem, at.repeat)));
  const s = save(p, item.key, at.repeat, value);
  return advance(p, s.answers, [s.effect]);
}

function pause(state: ConversationState): ConversationState {
  return extend(state, { seq: state.seq + 1, flow: { flow: 'home' } });
}

type Running = ConversationState & { flow: ChecklistFlow };

/**
 * The running checklist's prompt context, or (when the campaign or its definition is gone, or the response is no
 * longer this person's) the way home. A position that stopped existing moves to the next one.
 */
function prompted(state: Running, ctx: ChecklistCtx, menu: () => Message[]): PromptCtx | RunnerResult {
  const flow = state.flow;
  const def = ctx.definitions.get(flow.checklistId);
  const campaign = ctx.open.find((c) => c.campaignId === flow.campaignId);
  // The response must still be this person's for the campaign: after a move to another school, a school-scope
  // response of the former school stays named in the state but is no longer theirs to answer.
  if (def === undefined || campaign === undefined || campaign.responseId !== flow.responseId) {
    return {
      state: { ...state, seq: state.seq + 1, flow: { flow: 'home' } },
      replies: [textMessage(msg.checklist.campaignGone), ...menu()],
      effects: [],
    };
  }
  const answers = ctx.answers;
  const p: PromptCtx = { def, answers, seq: sequence(def, answers, ctx.today), state, flow, ctx };
  // A position that stopped existing (an earlier answer changed relevance) moves to the next one.
  if (flow.at.kind !== 'review' && !p.seq.some((q) => samePos(q, flow.at))) {
    const moved = moveTo(p, nextPosition(p.seq, answers));
    p.state = moved.state;
    p.flow = moved.state.flow.flow === 'checklist' ? moved.state.flow : flow;
  }
  return p;
}

const isPrompt = (p: PromptCtx | RunnerResult): p is PromptCtx => 'def' in p;

/** The current question again, after `before` (the engine's stale-button message). */
export function resumeChecklist(
  state: Running,
  ctx: ChecklistCtx,
  menu: () => Message[],
  before: Message[],
): RunnerResult {
  const p = prompted(state, ctx, menu);
  return isPrompt(p) ? again(p, ...before) : p;
}

/**
 * Handles one input inside a running checklist. Global words other than navigation are the caller's; stale
 * buttons are the engine's (transition.ts), but for a question that moved since its buttons were sent.
 */
export function runChecklist(
  state: Running,
  input: Exclude<Input, { kind: 'follow' | 'unfollow' }>,
  cmd: GlobalCommand | null,
  ctx: ChecklistCtx,
  menu: () => Message[],
): RunnerResult {
  const p = prompted(state, ctx, menu);
  if (!isPrompt(p)) return p;
  const { def, answers } = p;
  const flow = state.flow;
  const campaign = ctx.open.find((c) => c.campaignId === flow.campaignId);
  if (campaign === undefined) return again(p);
  const pb = input.kind === 'postback' ? parsePostbackData(input.data) : null;
  // The question moved (an earlier answer changed relevance) since the buttons were sent: they are stale too.
  if (pb !== null && pb.seq !== undefined && pb.seq !== p.state.seq) return again(p, textMessage(th.staleButton));
  // Editing a submitted response stops at the due date, even for a review opened before it.
  if (flow.editing && ctx.now > campaign.dueAt && cmd !== 'menu' && cmd !== 'cancel') {
    return { state: pause(p.state), replies: [textMessage(msg.checklist.editClosed), ...menu()], effects: [] };
  }

  // The "พักไว้ก่อน" chip, and a pausing word typed at a text question: that could be the answer, so ask.
  if (pb?.action === 'pause') return command(p, 'menu', menu);
  if (input.kind === 'text' && p.flow.at.kind === 'item' && isPauseWord(input.text)) {
    const { item } = leaf(def, p.flow.at.key);
    if (item.type === 'text') {
      const word = input.text.trim();
      return {
        state: p.state,
        replies: [
          textMessage(msg.checklist.keepOrPause(word), [
            quickPostback(
              msg.checklist.keepAsAnswer,
              postbackData('keep', { v: word }, p.state.seq),
              msg.checklist.keepAsAnswer,
            ),
            quickPostback(msg.checklist.pauseChip, postbackData('pause', {}, p.state.seq), msg.checklist.pauseChip),
          ]),
        ],
        effects: [],
      };
    }
  }
  if (cmd !== null) return command(p, cmd, menu);

  if (input.kind === 'postback') {
    if (pb === null) return again(p);
    return postback(p, pb.action, pb.fields, input.params);
  }
  if (input.kind === 'text') {
    const edit = /^(?:แก้(?:ไข)?(?:\s*ข้อ(?:ที่)?)?|edit)\s*(\d{1,3})$/i.exec(input.text);
    if (edit !== null) return editQuestion(p, Number(edit[1]));
    if (p.flow.at.kind === 'review') {
      const key = commandKey(input.text);
      if (['ส่ง', 'ส่งคำตอบ', 'submit', 'send', 'บันทึก', 'บันทึกการแก้ไข'].includes(key)) return submit(p);
      return again(p, textMessage(msg.checklist.notUnderstoodHere));
    }
    if (p.flow.at.kind === 'more') {
      // The buttons' own words work typed too (LINE on PC shows no buttons, but the chat shows their words).
      const key = commandKey(input.text);
      if (key === commandKey(msg.checklist.addYes)) return more(p, true);
      if (key === commandKey(msg.checklist.addNo) || key === 'ไม่เพิ่ม') return more(p, false);
      const yn = parseYesNo(input.text);
      return yn.ok ? more(p, yn.value === 'yes') : again(p, textMessage(yn.message));
    }
    const { item } = leaf(def, p.flow.at.key);
    if (item.type === 'note' || item.type === 'calculate') return again(p);
    if (item.type === 'photo' || item.type === 'document') {
      if (['เสร็จ', 'เสร็จแล้ว', 'done'].includes(commandKey(input.text))) return filesDone(p, item);
      return again(p, textMessage(item.type === 'photo' ? msg.checklist.photoOnly : msg.checklist.documentOnly));
    }
    if (item.type === 'select_many' && ['เสร็จ', 'เสร็จแล้ว', 'done'].includes(commandKey(input.text))) {
      return draftDone(p, item);
    }
    if (commandKey(input.text) === commandKey(msg.checklist.useDefault)) return useDefault(p, item);
    const parsed = kindOf(item).parse(item, input.text, kindCtx(p, item));
    return parsed.ok ? accept(p, item, parsed.value) : again(p, textMessage(parsed.message));
  }
  if (input.kind === 'media') {
    const at = p.flow.at;
    const item = at.kind === 'item' ? leaf(def, at.key).item : null;
    if (item?.type !== 'photo' && item?.type !== 'document') return again(p, textMessage(msg.checklist.notPhotoItem));
    const photo = item.type === 'photo';
    if (photo && input.media !== 'image') return again(p, textMessage(msg.checklist.photoOnly));
    if (!photo && input.media !== 'file') return again(p, textMessage(msg.checklist.documentOnly));
    const refused = input.media === 'file' ? documentRefusal(input.fileName, input.fileSize) : null;
    if (refused !== null) return again(p, textMessage(refused));
    const have = getAnswer(answers, item.key, at.repeat);
    const list = Array.isArray(have) ? have : [];
    if (list.length >= item.maxFiles)
      return again(
        p,
        textMessage(photo ? msg.checklist.photoMax(item.maxFiles) : msg.checklist.documentMax(item.maxFiles)),
      );
    const evidenceId = ctx.newId('evidence');
    const newAnswers = { ...answers, [answerKey(item.key, at.repeat)]: [...list, evidenceId] };
    // The new file reads back by its name from this turn on (its row is written with this turn's answer).
    const name = input.media === 'file' ? input.fileName : null;
    const q: PromptCtx = {
      ...p,
      answers: newAnswers,
      ctx: { ...ctx, evidence: new Map([...(ctx.evidence ?? []), [evidenceId, { name, thumb: null }]]) },
    };
    const effect: Effect = {
      type: 'addEvidence',
      evidenceId,
      officeId: ctx.person.officeId,
      responseId: flow.responseId,
      personId: ctx.person.id,
      key: item.key,
      repeat: at.repeat,
      lineMessageId: input.messageId,
      ...(input.media === 'file' ? { fileName: input.fileName } : {}),
    };
    const n = list.length + 1;
    const received = textMessage(
      photo ? msg.checklist.photoReceived(n, item.maxFiles) : msg.checklist.documentReceived(n, item.maxFiles),
    );
    if (n >= item.maxFiles) return advance(q, newAnswers, [effect], [received]);
    return { state: p.state, replies: ask(q), effects: [effect] };
  }
  // Stickers and locations: a kind word and the same question.
  return again(p, textMessage(input.kind === 'sticker' ? msg.checklist.stickerHere : msg.checklist.locationHere));
}

/** The runner's own button actions: always sent with the prompt's step token. */
export const CHECKLIST_STEP_ACTIONS = [
  'ans',
  'dflt',
  'date',
  'toggle',
  'done',
  'more',
  'submit',
  'edit',
  'keep',
  'pause',
] as const;

function command(p: PromptCtx, cmd: GlobalCommand, menu: () => Message[]): RunnerResult {
  switch (cmd) {
    case 'menu':
    case 'cancel':
      return {
        state: pause(p.state),
        replies: [textMessage(msg.checklist.paused(p.def.title.th)), ...menu()],
        effects: [],
      };
    case 'help':
      return again(p, textMessage(msg.checklist.help));
    case 'status': {
      const qs = questions(p.seq);
      return again(
        p,
        textMessage(
          msg.checklist.progressStatus(qs.filter((q) => isAnswered(p.answers, q)).length, qs.length, p.def.title.th),
        ),
      );
    }
    case 'back':
      return back(p);
    case 'skip':
      return skip(p);
  }
}

function back(p: PromptCtx): RunnerResult {
  const at = p.flow.at;
  const idx = at.kind === 'review' ? p.seq.length : p.seq.findIndex((q) => samePos(q, at));
  for (let i = idx - 1; i >= 0; i--) {
    const q = p.seq[i] as Position;
    if (q.kind === 'item') {
      const moved = moveTo(p, q, { returnToReview: false });
      return { state: moved.state, replies: moved.prompt, effects: [] };
    }
  }
  return again(p, textMessage(msg.checklist.atFirst));
}

function skip(p: PromptCtx): RunnerResult {
  const at = p.flow.at;
  if (at.kind === 'more') return more(p, false);
  if (at.kind === 'review') return again(p);
  const { item } = leaf(p.def, at.key);
  if (item.type === 'note' || item.type === 'calculate') return again(p, textMessage(msg.checklist.required));
  if (item.required) return again(p, textMessage(fill(p, requiredMessage(item), at.repeat)));
  const s = save(p, item.key, at.repeat, null);
  return advance(p, s.answers, [s.effect]);
}

function more(p: PromptCtx, yes: boolean): RunnerResult {
  const rep = indexItems(p.def).repeats.get(p.flow.at.key);
  if (rep === undefined) return again(p);
  const rs = repeatState(p.answers, rep);
  const next = yes && rs.count < rep.maxCount ? { count: rs.count + 1, done: false } : { count: rs.count, done: true };
  const s = save(p, rep.key, 0, encodeRepeatState(next));
  const pre =
    yes && rs.count >= rep.maxCount ? [textMessage(msg.checklist.maxReached(rep.label.th, rep.maxCount))] : [];
  // The new instance's first question comes next; "no" moves past the group.
  const seq = sequence(p.def, s.answers, p.ctx.today);
  const target = yes
    ? seq.find((q) => q.kind === 'item' && q.repeat === next.count && leaf(p.def, q.key).repeat === rep)
    : undefined;
  if (target !== undefined) {
    const moved = moveTo({ ...p, answers: s.answers, seq }, target);
    return { state: moved.state, replies: [...pre, ...moved.prompt], effects: [s.effect] };
  }
  return advance(p, s.answers, [s.effect], pre);
}

function filesDone(p: PromptCtx, item: Extract<LeafItem, { type: 'photo' | 'document' }>): RunnerResult {
  const have = getAnswer(p.answers, item.key, p.flow.at.repeat);
  if (Array.isArray(have) && have.length > 0) return advance(p, p.answers, []);
  const needed = item.type === 'photo' ? msg.checklist.photoNeeded : msg.checklist.documentNeeded;
  if (item.required) return again(p, textMessage(fill(p, requiredMessage(item, needed), p.flow.at.repeat)));
  return skip(p);
}

function draftDone(p: PromptCtx, item: Extract<LeafItem, { type: 'select_many' }>): RunnerResult {
  // No taps since the prompt: "done" confirms what the prompt showed as already chosen.
  const current = getAnswer(p.answers, item.key, p.flow.at.repeat);
  const picked = p.flow.draft ?? (Array.isArray(current) ? current : []);
  if (picked.length === 0)
    return item.required ? again(p, textMessage(fill(p, requiredMessage(item), p.flow.at.repeat))) : skip(p);
  return accept(p, item, picked);
}

function postback(p: PromptCtx, action: string, fields: URLSearchParams, params: Record<string, string>): RunnerResult {
  const at = p.flow.at;
  switch (action) {
    case 'skip':
      return skip(p);
    case 'back':
      return back(p);
    case 'more':
      return at.kind === 'more' ? more(p, fields.get('v') === 'yes') : again(p);
    case 'submit':
      return at.kind === 'review' ? submit(p) : again(p);
    case 'edit':
      return editQuestion(p, Number(fields.get('n')));
  }
  if (at.kind !== 'item') return again(p);
  const { item } = leaf(p.def, at.key);
  if (item.type === 'note' || item.type === 'calculate') return again(p);
  const v = fields.get('v') ?? '';
  switch (action) {
    case 'ans': {
      const tap = kindOf(item).tap;
      if (tap === undefined) return again(p);
      const parsed = tap(item, v, kindCtx(p, item));
      return parsed.ok ? accept(p, item, parsed.value) : again(p, textMessage(parsed.message));
    }
    case 'dflt':
      return useDefault(p, item);
    case 'keep': {
      // "บันทึกเป็นคำตอบ" after a pausing word typed at a text question: the word is the answer.
      if (item.type !== 'text') return again(p);
      const parsed = kindOf(item).parse(item, v, kindCtx(p, item));
      return parsed.ok ? accept(p, item, parsed.value) : again(p, textMessage(parsed.message));
    }
    case 'date': {
      if (item.type !== 'date') return again(p);
      const d = params.date;
      return d !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(d) ? accept(p, item, d) : again(p);
    }
    case 'toggle': {
      if (item.type !== 'select_many') return again(p);
      const choice = choicesOf(p, item)[Number(v) - 1];
      if (choice === undefined) return again(p);
      const current = getAnswer(p.answers, item.key, at.repeat);
      const picked = p.flow.draft ?? (Array.isArray(current) ? current : []);
      const draft = picked.includes(choice.value)
        ? picked.filter((x) => x !== choice.value)
        : [...picked, choice.value];
      const order = choicesOf(p, item).map((c) => c.value);
      draft.sort((a, b) => order.indexOf(a) - order.indexOf(b));
      const flow: ChecklistFlow = { ...p.flow, draft };
      // Same question, same buttons' step: a toggle keeps the seq so the other buttons stay valid. One short line
      // with the updated chips, not the whole question again.
      const state: ConversationState = { ...p.state, flow };
      const kc = kindCtx({ ...p, state, flow }, item);
      const chips = [...kindOf(item).prompt(item, kc).quick, ...nav({ ...p, state, flow }, item)];
      const labels = choicesOf(p, item)
        .filter((c) => draft.includes(c.value))
        .map((c) => c.label);
      return {
        state,
        replies: [textMessage(msg.checklist.toggled(labels), withPause({ ...p, state, flow }, chips))],
        effects: [],
      };
    }
    case 'done':
      if (item.type === 'photo' || item.type === 'document') return filesDone(p, item);
      if (item.type === 'select_many') return draftDone(p, item);
      return again(p);
  }
  return again(p);
}

/** The question's default (last term's answer or the item's `default`), taken as the answer (its button or words). */
function useDefault(p: PromptCtx, item: AnswerableItem): RunnerResult {
  const d = defaultOf(p, item, p.flow.at.repeat);
  return d === undefined ? again(p) : accept(p, item, d.value);
}

function editQuestion(p: PromptCtx, n: number): RunnerResult {
  const qs = questions(p.seq);
  const target = qs[n - 1];
  if (target === undefined) return again(p, textMessage(msg.checklist.noSuchQuestion(n, qs.length)));
  // From the review (or a submitted response) an edit returns to the review; mid-way it carries on from there.
  const moved = moveTo(p, target, { returnToReview: p.flow.at.kind === 'review' || p.flow.editing });
  return { state: moved.state, replies: moved.prompt, effects: [] };
}

function submit(p: PromptCtx): RunnerResult {
  const { def, answers, ctx, flow } = p;
  const qs = questions(p.seq);
  const missing = qs.filter((q) => {
    const { item } = leaf(def, q.key);
    return item.type !== 'note' && item.type !== 'calculate' && item.required && !isAnswered(answers, q);
  });
  const first = missing[0];
  if (first !== undefined) {
    const moved = moveTo(p, first, { returnToReview: false });
    return {
      state: moved.state,
      replies: [textMessage(msg.checklist.missingRequired(missing.length)), ...moved.prompt],
      effects: [],
    };
  }
  // Calculations per position (top level once, repeats per instance), and answers no longer asked.
  const calculated: { key: string; repeat: number; value: AnswerValue }[] = [];
  for (const it of def.items) {
    if (it.type === 'calculate')
      calculated.push({ key: it.key, repeat: 0, value: envAt(def, answers, 0, ctx.today).get(it.key) });
    if (it.type === 'repeat') {
      const rs = instances(def, answers, it, ctx.today);
      for (const child of it.items) {
        if (child.type !== 'calculate') continue;
        for (let r = 1; r <= rs.count; r++)
          calculated.push({ key: child.key, repeat: r, value: envAt(def, answers, r, ctx.today).get(child.key) });
      }
    }
  }
  const asked = new Set(p.seq.map((q) => answerKey(q.key, q.repeat)));
  const idx = indexItems(def);
  const removed = Object.keys(answers)
    .filter((k) => !asked.has(k))
    .map((k) => {
      const [key = '', r = '0'] = k.split('#');
      return { key, repeat: Number(r) };
    })
    .filter((a) => idx.byKey.get(a.key)?.item.type !== 'calculate' && !idx.repeats.has(a.key));
  const effects: Effect[] = [
    {
      type: 'submitResponse',
      responseId: flow.responseId,
      personId: ctx.person.id,
      calculated,
      removed,
      resubmit: flow.editing,
    },
  ];
  if (!flow.editing && ctx.schoolId !== null && ctx.person.role !== 'supervisor') {
    effects.push({
      type: 'notifySupervisors',
      officeId: ctx.person.officeId,
      schoolId: ctx.schoolId,
      dedupeKey: dedupeKey('submitted', flow.responseId),
      text: msg.checklist.supervisorNotice(ctx.person.name, ctx.person.schoolName ?? '', def.title.th),
    });
  }
  const when = `${thaiLongDate(ctx.now, ctx.timeZone)} ${thaiTime(ctx.now, ctx.timeZone)} น.`;
  // The next checklist still to answer, offered at once (soonest due first).
  const nextOpen = ctx.open
    .filter((c) => c.campaignId !== flow.campaignId && c.status !== 'submitted')
    .sort((a, b) => a.dueAt - b.dueAt)[0];
  const done = flow.editing ? msg.checklist.resubmitted(def.title.th) : msg.checklist.submitted(def.title.th, when);
  return {
    state: { ...p.state, seq: p.state.seq + 1, flow: { flow: 'home' } },
    replies: [
      nextOpen === undefined
        ? textMessage(done)
        : textMessage(
            `${done}\n\n${msg.checklist.nextChecklist(nextOpen.title, thaiLongDate(nextOpen.dueAt, ctx.timeZone))}`,
            [
              quickPostback(
                msg.checklist.startNext,
                postbackData('open', { c: nextOpen.campaignId }),
                msg.checklist.startNext,
              ),
            ],
          ),
    ],
    effects,
  };
}

// ── Starting, resuming, listing ──

/** Opens a campaign's checklist for this person: resumes their response, or creates it. */
export function openCampaign(
  state: ConversationState,
  campaignId: string,
  ctx: ChecklistCtx,
  menu: () => Message[],
): RunnerResult {
  const c = ctx.open.find((x) => x.campaignId === campaignId);
  const def = c === undefined ? undefined : ctx.definitions.get(c.checklistId);
  if (c === undefined || def === undefined)
    return { state, replies: [textMessage(msg.checklist.campaignGone), ...menu()], effects: [] };
  const editing = c.status === 'submitted';
  if (editing && ctx.now > c.dueAt)
    return { state, replies: [textMessage(msg.checklist.editClosed), ...menu()], effects: [] };

  const effects: Effect[] = [];
  let responseId = c.responseId;
  if (responseId === null) {
    responseId = ctx.newId('response');
    if (responseId === '') throw new Error('runner needs a fresh id for a response');
    const subject = c.scope === 'school' ? ctx.schoolId : ctx.person.id;
    if (subject === null) return { state, replies: [textMessage(msg.checklist.campaignGone), ...menu()], effects: [] };
    effects.push({
      type: 'createResponse',
      responseId,
      officeId: ctx.person.officeId,
      campaignId: c.campaignId,
      checklistId: c.checklistId,
      subjectKey: subject,
      schoolId: ctx.schoolId,
      personId: ctx.person.id,
    });
  }
  // The answers in ctx belong to the response in the state; a different response starts from what it has.
  const answers = ctx.answers;
  const seq = sequence(def, answers, ctx.today);
  const at = editing ? { kind: 'review' as const, key: '', repeat: 0 } : nextPosition(seq, answers);
  const flow: ChecklistFlow = {
    flow: 'checklist',
    responseId,
    checklistId: c.checklistId,
    campaignId: c.campaignId,
    at,
    returnToReview: editing,
    editing,
  };
  const next: ConversationState = extend(state, { seq: state.seq + 1, flow });
  return { state: next, replies: ask({ def, answers, seq, state: next, flow, ctx }), effects };
}

/**
 * Starts (or resumes) a checklist whose response the caller owns (a visit record): the first unanswered question,
 * or the review when editing. `flow.at` is replaced.
 */
export function startChecklist(
  state: ConversationState,
  flow: ChecklistFlow,
  def: Definition,
  answers: AnswerMap,
  ctx: ChecklistCtx,
): { state: ConversationState; replies: Message[] } {
  const seq = sequence(def, answers, ctx.today);
  const at = flow.editing ? { kind: 'review' as const, key: '', repeat: 0 } : nextPosition(seq, answers);
  const f: ChecklistFlow = extend(flow, { at });
  const next: ConversationState = extend(state, { seq: state.seq + 1, flow: f });
  return { state: next, replies: ask({ def, answers, seq, state: next, flow: f, ctx }) };
}

export function checklistList(ctx: ChecklistCtx): Message[] {
  if (ctx.open.length === 0) return [textMessage(msg.checklist.noChecklists)];
  const bubble = checklistListBubble({
    title: msg.checklist.listTitle,
    rows: ctx.open.map((c) => ({
      title: c.title,
      status: c.status,
      due: thaiLongDate(c.dueAt, ctx.timeZone),
      overdue: c.dueAt < ctx.now && c.status !== 'submitted',
      editable: c.status !== 'submitted' || c.dueAt >= ctx.now,
      // No step token: opening a checklist is explicit and safe from any old list.
      data: postbackData('open', { c: c.campaignId }),
    })),
  });
  return [{ type: 'flex', altText: `${msg.checklist.listTitle} (${ctx.open.length})`, contents: bubble }];
}
