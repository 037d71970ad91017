// Onboarding in chat, for a LINE user no person is linked to: the privacy notice at the first contact, then an
// invite code links them to a person of the channel's office. Wrong codes are counted; MAX_CODE_TRIES in a row
// lock the conversation for CODE_LOCK_MS. Pure.
import { welcomeBubble } from '../../flex-templates/welcome.js';
import type { Step, UserInput } from '../conversation/flow.js';
import { globalCommand } from '../conversation/commands.js';
import type { ConversationState, Flow } from '../conversation/state.js';
import type { Ctx, InviteLookup } from '../conversation/types.js';
import { parseYesNo } from '../checklists/parse.js';
import { roleLabel, th } from '../i18n/th.js';
import { clip, LIMITS, type Message, quickText, textMessage } from '../line/messages.js';
import { homeMenu } from '../menu/menu.js';
import { thaiTime } from '../time/thai.js';
import { canonicalInviteCode } from './invite-code.js';

export const MAX_CODE_TRIES = 5;
export const CODE_LOCK_MS = 30 * 60 * 1000;

type OnboardingFlow = Extract<Flow, { flow: 'onboarding' }>;

export function onboarding(state: ConversationState, input: UserInput, ctx: Ctx): Step {
  const flow: OnboardingFlow = state.flow.flow === 'onboarding' ? state.flow : { flow: 'onboarding', tries: 0 };
  // The notice comes first at the first contact, whatever that contact is; a re-follow shows it again.
  const showNotice = state.noticeShownAt === undefined || input.kind === 'follow';
  const base: ConversationState = { ...state, flow, noticeShownAt: state.noticeShownAt ?? ctx.now };
  const say = (s: ConversationState, ...msgs: Message[]): Step => ({
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
  // A valid code waits for "ใช่" (whose account it is, shown first); "ไม่ใช่" forgets it, leaving the code unused.
  if (code === null && flow.confirm !== undefined) {
    const yn = parseYesNo(input.text);
    const waiting: OnboardingFlow = { flow: 'onboarding', tries: keptTries(flow) };
    if (yn.ok && yn.value === 'no') return say({ ...base, flow: waiting }, textMessage(th.inviteNotMine), ask);
    const invite = ctx.invite;
    if (!yn.ok || invite === null || !invite.found || invite.inviteId !== flow.confirm)
      return invite !== null && invite.found ? say(base, confirmMessage(invite)) : say({ ...base, flow: waiting }, ask);
    return linkOrRefuse({ ...base, flow: waiting }, invite, ctx, showNotice, say, true);
  }
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
  const waiting: OnboardingFlow = { flow: 'onboarding', tries: keptTries(flow) };
  return linkOrRefuse({ ...base, flow: waiting }, invite, ctx, showNotice, say, false);
}

type Found = Extract<InviteLookup, { found: true }>;

/** Wrong codes in a row so far: a lock that has run out starts the count again, as a wrong code does. */
const keptTries = (flow: OnboardingFlow) => (flow.lockedUntil !== undefined ? 0 : flow.tries);

/** "บัญชีของ ครูสมหญิง … ใช่ไหม?" with ใช่ / ไม่ใช่. */
function confirmMessage(invite: Found): Message {
  const p = invite.person;
  return textMessage(
    th.inviteWhose({ name: p.name, role: roleLabel[p.role], school: p.schoolName, office: p.officeName }),
    [quickText(th.quick.yes), quickText(th.quick.no)],
  );
}

/**
 * A found invite: refused when revoked, used, expired or of another office; else, before "ใช่", the question whose
 * account it is (the state remembers the invite); after it, the link and the welcome.
 */
function linkOrRefuse(
  base: ConversationState & { flow: OnboardingFlow },
  invite: Found,
  ctx: Ctx,
  showNotice: boolean,
  say: (s: ConversationState, ...msgs: Message[]) => Step,
  confirmed: boolean,
): Step {
  if (invite.revokedAt !== null) return say(base, textMessage(th.inviteRevoked));
  if (invite.usedAt !== null) return say(base, textMessage(th.inviteUsed));
  if (invite.expiresAt <= ctx.now) return say(base, textMessage(th.inviteExpired));
  if (ctx.channelOfficeId !== null && ctx.channelOfficeId !== invite.officeId) {
    return say(base, textMessage(th.inviteWrongOffice));
  }
  if (!confirmed) return say({ ...base, flow: { ...base.flow, confirm: invite.inviteId } }, confirmMessage(invite));

  const p = invite.person;
  return {
    state: { ...base, seq: base.seq + 1, flow: { flow: 'home' } },
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
      homeMenu(ctx.checklists.open, p.role),
    ],
    effects: [{ type: 'linkPerson', inviteId: invite.inviteId, personId: invite.personId }],
  };
}
