// The home menu and the global words outside any flow (menu, status, help, and cancel/back/skip with nothing to
// act on). Pure. Every flow that returns home appends homeMenu(), so the pending-checklists line is the same.
import { th } from '../i18n/th.js';
import { helpText, menuQuickReplies } from '../conversation/role-menu.js';
import type { Role } from '../db/schema.js';
import { type Message, textMessage } from '../line/messages.js';
import type { Step, UserInput } from '../conversation/flow.js';
import type { ConversationState } from '../conversation/state.js';
import type { GlobalCommand, LinkedCtx, PersonView } from '../conversation/types.js';
import type { CampaignView } from '../conversation/types.js';

/** The menu: what is still to do, and the role's actions and the common ones as quick replies. */
export function homeMenu(open: readonly Pick<CampaignView, 'status'>[] | undefined, role: Role | undefined): Message {
  const pending = open?.filter((c) => c.status !== 'submitted').length ?? 0;
  return textMessage(
    pending > 0 ? `${th.menuPending(pending)}\n${th.menuTitle}` : th.menuTitle,
    menuQuickReplies(role),
  );
}

/** The menu of a linked person's turn. */
export const menuOf = (ctx: LinkedCtx): Message => homeMenu(ctx.checklists.open, ctx.person.role);

/** Back at the menu after a follow: a welcome back, and the person is reachable again if they had blocked us. */
export function welcomeBack(state: ConversationState, ctx: LinkedCtx): Step {
  const person = ctx.person;
  return {
    state,
    replies: [textMessage(th.welcomeBack(person.name)), menuOf(ctx)],
    effects: person.status === 'blocked' ? [{ type: 'setPersonStatus', personId: person.id, to: 'active' }] : [],
  };
}

/** What no flow took: kind words for stickers and the like, the global words, else the menu. */
export function atHome(state: ConversationState, input: UserInput, ctx: LinkedCtx, cmd: GlobalCommand | null): Step {
  const reply = (...replies: Message[]): Step => ({ state, replies, effects: [] });
  const menu = menuOf(ctx);
  switch (input.kind) {
    case 'follow':
      return welcomeBack(state, ctx);
    case 'sticker':
      return reply(textMessage(th.stickerWhereText), menu);
    case 'media':
      return reply(textMessage(th.mediaWhereText), menu);
    case 'location':
      return reply(textMessage(th.locationWhereText), menu);
    case 'postback':
      return cmd === null ? reply(menu) : command(state, ctx.person, cmd, menu);
    case 'text':
      return cmd === null ? reply(textMessage(th.notUnderstood), menu) : command(state, ctx.person, cmd, menu);
  }
}

function command(state: ConversationState, person: PersonView, cmd: GlobalCommand, menu: Message): Step {
  const reply = (...replies: Message[]): Step => ({ state, replies, effects: [] });
  switch (cmd) {
    case 'menu':
      return reply(menu);
    case 'status':
      return reply(
        textMessage(
          th.status({ name: person.name, role: person.role, school: person.schoolName, office: person.officeName }),
          menuQuickReplies(person.role),
        ),
      );
    case 'help':
      return reply(textMessage(helpText(person.role), menuQuickReplies(person.role)));
    case 'cancel':
      return reply(textMessage(th.nothingToCancel), menu);
    case 'back':
      return reply(textMessage(th.nothingToGoBack), menu);
    case 'skip':
      return reply(textMessage(th.nothingToSkip), menu);
  }
}
