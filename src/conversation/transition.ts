// The conversation engine: transition(state, input, ctx) → { state, replies, effects }. Pure: no I/O, no clock
// (ctx.now), no randomness. The caller loads ctx, runs this, and writes state and effects in one statement.
import { roleLabel, th } from '../i18n/th.js';
import type { Message } from '../line/messages.js';
import { clip, LIMITS, parsePostbackData, quickText, textMessage } from '../line/messages.js';
import { type ChecklistCtx, checklistList, openCampaign, runChecklist } from '../checklists/runner.js';
import { canonicalInviteCode } from '../onboarding/invite-code.js';
import { thaiTime } from '../time/thai.js';
import { runSettings, settingsMenu } from '../settings/settings.js';
import { welcomeBubble } from '../../flex-templates/welcome.js';
import type { LoadedVisits } from '../visits/visits.queries.js';
import { runVisitFlow, visitEntry, type VisitCtx } from '../visits/chat.js';
import { runVisitChecklist, visitIdOf } from '../visits/record.js';
import { isEraseRequest, runErase, startErase } from '../pdpa/chat.js';
import { type SigninTicket, signinTarget, webSignin } from '../web/signin-chat.js';
import type { Effect } from './effects.js';
import type { Input } from './input.js';
import { commandKey, findWord, isWord } from './normalize.js';
import type { ConversationState, Flow } from './state.js';
import { menuQuickReplies } from './role-menu.js';
import type { Role } from '../db/schema.js';
import type { GlobalCommand, InviteLookup, PersonView } from './types.js';
import { type IdSlot, rowId } from '../ids/row-id.js';

export const MAX_CODE_TRIES = 5;
export const CODE_LOCK_MS = 30 * 60 * 1000;

export interface Ctx {
  now: number;
  /**
   * The turn's event, unique per channel (`<channelId>:<webhookEventId>`): the seed of the ids of the rows it
   * creates (src/ids/row-id.ts), so a retried or redelivered turn derives the same ids.
   */
  eventId: string;
  timeZone: string;
  person: PersonView | null;
  invite: InviteLookup | null;
  /** The channel's office: only its invite codes link here (null: no such check, for pure tests). */
  channelOfficeId: string | null;
  privacyNotice: string;
  checklists: Omit<ChecklistCtx, 'now' | 'timeZone' | 'person' | 'newId'>;
  /** Supervision visits in the person's scope, when this turn loaded them (see loadTurn's visit block). */
  visits?: LoadedVisits | null;
  /** A web sign-in link made for this turn, when it asked for one (`เข้าเว็บ`). */
  signin?: SigninTicket | null;
}

export type { Effect } from './effects.js';
export type { GlobalCommand, InviteLookup, PersonView } from './types.js';

export interface Result {
  state: ConversationState;
  replies: Message[];
  effects: Effect[];
}

/** Everything but unfollow, which transition() handles before choosing a flow. */
type UserInput = Exclude<Input, { kind: 'unfollow' }>;

const globalWords: Record<string, GlobalCommand> = {
  เมนู: 'menu',
  หน้าหลัก: 'menu',
  menu: 'menu',
  home: 'menu',
  สถานะ: 'status',
  status: 'status',
  ช่วยเหลือ: 'help',
  วิธีใช้: 'help',
  help: 'help',
  '?': 'help',
  ยกเลิก: 'cancel',
  cancel: 'cancel',
  ย้อนกลับ: 'back',
  กลับ: 'back',
  back: 'back',
  ข้าม: 'skip',
  skip: 'skip',
};

export function globalCommand(text: string): GlobalCommand | null {
  return findWord(commandKey(text), (form) => globalWords[form]);
}

function withFlow(state: ConversationState, flow: Flow): ConversationState {
  return { ...state, seq: state.seq + 1, flow };
}

/** The menu: what is still to do, and the role's actions and the common ones as quick replies. */
const menuWith = (open: ChecklistCtx['open'] | undefined, role: Role | undefined) => {
  const pending = open?.filter((c) => c.status !== 'submitted').length ?? 0;
  return textMessage(
    pending > 0 ? `${th.menuPending(pending)}\n${th.menuTitle}` : th.menuTitle,
    menuQuickReplies(role),
  );
};

const settingsWords = new Set(['ตั้งค่า', 'การตั้งค่า', 'settings', 'setting']);
const checklistWords = new Set(['เช็กลิสต์', 'เช็คลิสต์', 'แบบประเมิน', 'แบบสำรวจ', 'checklist', 'checklists', 'งานของฉัน']);

export function transition(state: ConversationState, input: Input, ctx: Ctx): Result {
  if (input.kind === 'unfollow') {
    // Nothing can be sent to a user who blocked the bot; remember it so no push is wasted on them.
    const effects: Effect[] =
      ctx.person?.status === 'active' ? [{ type: 'setPersonStatus', personId: ctx.person.id, to: 'blocked' }] : [];
    return { state, replies: [], effects };
  }
  if (ctx.person === null) return onboarding(state, input, ctx);
  const target = signinTarget(input, state.flow.flow);
  if (target !== null) return webSignin(state, ctx.person, ctx.signin ?? null, ctx.now, target);
  const newId = (slot: IdSlot) => rowId(ctx.eventId, slot);
  const cks: ChecklistCtx = { ...ctx.checklists, now: ctx.now, timeZone: ctx.timeZone, person: ctx.person, newId };
  const visits: VisitCtx | null =
    ctx.visits === undefined || ctx.visits === null
      ? null
      : {
          now: ctx.now,
          timeZone: ctx.timeZone,
          person: ctx.person,
          visits: ctx.visits,
          checklists: cks,
          newId,
        };
  return linked(state, ctx.person, input, cks, visits);
}

// ── Onboarding: privacy notice, then an invite code links the LINE user to a person of an office ──

function onboarding(state: ConversationState, input: UserInput, ctx: Ctx): Result {
  const flow: Extract<Flow, { flow: 'onboarding' }> =
    state.flow.flow === 'onboarding' ? state.flow : { flow: 'onboarding', tries: 0 };
  // The notice comes first at the first contact, whatever that contact is; a re-follow shows it again.
  const showNotice = state.noticeShownAt === undefined || input.kind === 'follow';
  const base: ConversationState = { ...state, flow, noticeShownAt: state.noticeShownAt ?? ctx.now };
  const say = (s: ConversationState, ...msgs: Message[]): Result => ({
    state: s,
    replies: showNotice ? [textMessage(ctx.privacyNotice), ...msgs] : msgs,
    effects: [],
  });
  const ask = textMessage(th.askInviteCode, [quickText(th.quick.help)]);

  switch (input.kind) {
    case 'follow':
    case 'postback':
      return say(base, ask);
    case 'sticker':
      return say(base, textMessage(th.stickerWhereText), ask);
    case 'media':
      return say(base, textMessage(th.mediaWhereText), ask);
    case 'location':
      return say(base, textMessage(th.locationWhereText), ask);
    case 'text':
      break;
  }

  if (globalCommand(input.text) === 'help') return say(base, textMessage(th.onboardingHelp), ask);
  if (flow.lockedUntil !== undefined && flow.lockedUntil > ctx.now) {
    return say(base, textMessage(th.inviteLocked(thaiTime(flow.lockedUntil, ctx.timeZone))));
  }
  const code = canonicalInviteCode(input.text);
  // A first "hello" gets the notice and the question; explaining the code's shape comes after that.
  if (code === null) return showNotice ? say(base, ask) : say(base, textMessage(th.inviteNotCodeShaped), ask);

  const invite = ctx.invite;
  if (invite === null || !invite.found) {
    const tries = (flow.lockedUntil !== undefined ? 0 : flow.tries) + 1;
    if (tries >= MAX_CODE_TRIES) {
      const lockedUntil = ctx.now + CODE_LOCK_MS;
      return say(
        { ...base, flow: { flow: 'onboarding', tries, lockedUntil } },
        textMessage(th.inviteLocked(thaiTime(lockedUntil, ctx.timeZone))),
      );
    }
    return say(
      { ...base, flow: { flow: 'onboarding', tries } },
      textMessage(th.inviteNotFound(MAX_CODE_TRIES - tries), [quickText(th.quick.help)]),
    );
  }
  if (invite.revokedAt !== null) return say(base, textMessage(th.inviteRevoked));
  if (invite.usedAt !== null) return say(base, textMessage(th.inviteUsed));
  if (invite.expiresAt <= ctx.now) return say(base, textMessage(th.inviteExpired));
  if (ctx.channelOfficeId !== null && ctx.channelOfficeId !== invite.officeId) {
    return say(base, textMessage(th.inviteWrongOffice));
  }

  const p = invite.person;
  return {
    state: withFlow(base, { flow: 'home' }),
    replies: [
      ...(showNotice ? [textMessage(ctx.privacyNotice)] : []),
      {
        type: 'flex',
        altText: clip(th.welcome(p.name, p.role), LIMITS.altText),
        contents: welcomeBubble({
          name: p.name,
          roleLabel: roleLabel[p.role],
          schoolName: p.schoolName,
          officeName: p.officeName,
          roleText: th.welcomeByRole[p.role],
        }),
      },
      menuWith(ctx.checklists.open, p.role),
    ],
    effects: [{ type: 'linkPerson', inviteId: invite.inviteId, personId: invite.personId }],
  };
}

// ── A linked person ──

function linked(
  state: ConversationState,
  person: PersonView,
  input: UserInput,
  cks: ChecklistCtx,
  visits: VisitCtx | null,
): Result {
  const reply = (...replies: Message[]): Result => ({ state, replies, effects: [] });
  const menu = () => [menuWith(cks.open, person.role)];
  if (input.kind === 'follow') {
    const effects: Effect[] =
      person.status === 'blocked' ? [{ type: 'setPersonStatus', personId: person.id, to: 'active' }] : [];
    return { state, replies: [textMessage(th.welcomeBack(person.name)), menuWith(cks.open, person.role)], effects };
  }
  // PDPA erasure: a pending request takes the next input as its answer; the request itself works from anywhere.
  if (state.flow.flow === 'pdpa') return runErase({ ...state, flow: state.flow }, person.id, input, menu);
  if (isEraseRequest(input)) return startErase(state, cks.now);
  // Opening a checklist or the list works from anywhere, including from inside another checklist.
  const pb = input.kind === 'postback' ? parsePostbackData(input.data) : null;
  if (pb !== null && (pb.seq === undefined || pb.seq === state.seq)) {
    if (pb.action === 'open') return openCampaign(state, pb.fields.get('c') ?? '', cks, menu);
    if (pb.action === 'list') return reply(...checklistList(cks));
  }
  if (input.kind === 'text' && isWord(checklistWords, input.text)) return reply(...checklistList(cks));
  // Visit buttons (from pushes and lists, no step token) work from anywhere; typed visit words outside a checklist.
  if (input.kind === 'postback' || state.flow.flow !== 'checklist') {
    const v = visitEntry(state, input, visits);
    if (v !== null) return v;
  }

  const cmd = input.kind === 'text' ? globalCommand(input.text) : pb !== null ? globalCommand(pb.action) : null;
  const wantsSettings =
    (input.kind === 'text' && isWord(settingsWords, input.text)) || (pb?.action === 'settings' && pb.seq === undefined);
  if (wantsSettings && state.flow.flow !== 'checklist') return settingsMenu(state, person);
  if (state.flow.flow === 'settings' && cmd === null) {
    return runSettings({ ...state, flow: state.flow }, person, input, (s, ...before) => ({
      state: s,
      replies: [...before, menuWith(cks.open, person.role)],
      effects: [],
    }));
  }
  if (state.flow.flow === 'settings') state = { ...state, flow: { flow: 'home' } };
  if (state.flow.flow === 'visit') {
    if (visits !== null) return runVisitFlow({ ...state, flow: state.flow }, input, cmd, visits, menu);
    state = { ...state, flow: { flow: 'home' } };
  }
  if (state.flow.flow === 'checklist' && visitIdOf(state.flow) !== null) {
    if (visits !== null) return runVisitChecklist({ ...state, flow: state.flow }, input, cmd, visits, menu);
  }
  if (state.flow.flow === 'checklist') {
    return runChecklist({ ...state, flow: state.flow }, input, cmd, cks, menu);
  }
  switch (input.kind) {
    case 'sticker':
      return reply(textMessage(th.stickerWhereText), menuWith(cks.open, person.role));
    case 'media':
      return reply(textMessage(th.mediaWhereText), menuWith(cks.open, person.role));
    case 'location':
      return reply(textMessage(th.locationWhereText), menuWith(cks.open, person.role));
    case 'postback': {
      if (pb === null) return reply(menuWith(cks.open, person.role));
      if (pb.seq !== undefined && pb.seq !== state.seq)
        return reply(textMessage(th.staleButton), menuWith(cks.open, person.role));
      return cmd === null ? reply(menuWith(cks.open, person.role)) : command(state, person, cmd, cks);
    }
    case 'text':
      return cmd === null
        ? reply(textMessage(th.notUnderstood), menuWith(cks.open, person.role))
        : command(state, person, cmd, cks);
  }
}

function command(state: ConversationState, person: PersonView, cmd: GlobalCommand, cks: ChecklistCtx): Result {
  const reply = (...replies: Message[]): Result => ({ state, replies, effects: [] });
  const menuMessage = () => menuWith(cks.open, person.role);
  switch (cmd) {
    case 'menu':
      return reply(menuMessage());
    case 'status':
      return reply(
        textMessage(
          th.status({ name: person.name, role: person.role, school: person.schoolName, office: person.officeName }),
          menuQuickReplies(person.role),
        ),
      );
    case 'help':
      return reply(textMessage(th.help, menuQuickReplies(person.role)));
    case 'cancel':
      return reply(textMessage(th.nothingToCancel), menuMessage());
    case 'back':
      return reply(textMessage(th.nothingToGoBack), menuMessage());
    case 'skip':
      return reply(textMessage(th.nothingToSkip), menuMessage());
  }
}
