// Supervision visits in chat, pure like transition(): planning (นัดนิเทศ → school → when → purpose → confirm),
// the supervisor's list (ตารางนิเทศ) with reschedule and cancel, starting the record with the visit form (the
// checklist runner does the rest; see record.ts), and the principal's acknowledgement, comment and follow-ups.
// Everything a visit needs was loaded by loadTurn's visit block, already limited to the person's scope: an id a
// postback names that is not in that block is not theirs, and the SQL of every effect checks it again.
import type { Effect } from '../conversation/effects.js';
import type { Input } from '../conversation/input.js';
import { commandKey, isWord } from '../conversation/normalize.js';
import type { ConversationState } from '../conversation/state.js';
import type { ChecklistFlow, RunnerResult } from '../checklists/runner.js';
import { startChecklist } from '../checklists/runner.js';
import { visitRecordCampaign } from '../checklists/system-campaign.js';
import { type AnswerMap, answerKey, RATING_LEVELS } from '../checklists/answers.js';
import { achieved, type Definition, outcomesOf, targetOf } from '../checklists/definition.js';
import { type Message, parsePostbackData, postbackData, quickPostback, textMessage } from '../line/messages.js';
import { localDate, thaiCalendarDate, thaiLongDate } from '../time/thai.js';
import { visitListCarousel } from '../../flex-templates/visit-cards.js';
import type { VisitView } from './visits.queries.js';
import { parsePickerValue, parseWhen } from './when.js';
import { localInstant } from '../time/zone.js';
import { dedupeKey } from '../outbox/keys.js';
import { selfAssessmentTitle, visitReminders, when } from './reminders.js';
import { VISIT_ACTIONS, visitCommand } from './words.js';
import { msg } from '../i18n/msg.js';
import {
  confirmPrompt,
  home,
  PURPOSE_MAX,
  purposePrompt,
  rankSchools,
  result,
  schoolName,
  schoolPrompt,
  toVisit,
  type VisitCtx,
  type VisitFlow,
  whenExamples,
  whenPrompt,
} from './prompts.js';

type UserInput = Exclude<Input, { kind: 'follow' | 'unfollow' }>;
const MAX_AHEAD_MS = 366 * 86_400_000;
const COMMENT_MAX = 1000;

function confirm(state: ConversationState, flow: VisitFlow, c: VisitCtx): RunnerResult {
  const startsAt = flow.startsAt;
  const schoolId = flow.schoolId;
  if (startsAt === undefined || schoolId === undefined) return schoolPrompt(state, c);
  const school = schoolName(c, schoolId);
  if (flow.visitId !== undefined) {
    const v = ownVisit(c, flow.visitId);
    if (v === undefined || v.status !== 'planned') return result(home(state), [textMessage(msg.visits.visitGone)]);
    const effect: Effect = {
      type: 'moveVisit',
      visitId: v.id,
      supervisorId: c.person.id,
      startsAt: new Date(startsAt).toISOString(),
      revision: v.revision,
      principalMessages: [
        textMessage(msg.visits.principalMoved({ school, when: when(startsAt, c.timeZone), supervisor: c.person.name })),
      ],
      reminders: visitReminders({ id: v.id, school, purpose: v.purpose, startsAt }, c.timeZone),
    };
    return result(home(state), [textMessage(msg.visits.moved(school, when(startsAt, c.timeZone)))], [effect]);
  }
  const visitId = c.newId('visit');
  const campaignId = c.newId('campaign');
  const purpose = flow.purpose ?? '';
  const effect: Effect = {
    type: 'planVisit',
    visitId,
    supervisorId: c.person.id,
    schoolId,
    startsAt: new Date(startsAt).toISOString(),
    purpose,
    followUpOf: flow.followUpOf ?? null,
    campaignId,
    campaignTitle: selfAssessmentTitle(school, startsAt, c.timeZone, c.visits.terms),
    reminders: visitReminders({ id: visitId, school, purpose, startsAt }, c.timeZone),
  };
  return result(home(state), [textMessage(msg.visits.planned(school, when(startsAt, c.timeZone)))], [effect]);
}

const ownVisit = (c: VisitCtx, id: string | null | undefined) =>
  id === null || id === undefined
    ? undefined
    : c.visits.visits.find((v) => v.id === id && v.supervisorId === c.person.id && v.status !== 'cancelled');

// ── Entry points ──

/** Starts planning; with a school (a follow-up), goes straight to the time. */
function startPlanning(
  state: ConversationState,
  c: VisitCtx,
  preset?: { schoolId: string; followUpOf: string; followUpOn?: string | undefined },
): RunnerResult {
  if (c.person.role !== 'supervisor') return result(state, [textMessage(msg.visits.onlySupervisors)]);
  if (c.visits.schools.length === 0) return result(state, [textMessage(msg.visits.noSchools)]);
  if (preset !== undefined && c.visits.schools.some((s) => s.id === preset.schoolId)) {
    return whenPrompt(
      state,
      {
        flow: 'visit',
        step: 'when',
        schoolId: preset.schoolId,
        followUpOf: preset.followUpOf,
        ...(preset.followUpOn === undefined ? {} : { followUpOn: preset.followUpOn }),
      },
      c,
    );
  }
  return schoolPrompt(state, c);
}

function visitList(state: ConversationState, c: VisitCtx): RunnerResult {
  if (c.person.role !== 'supervisor') return result(state, [textMessage(msg.visits.onlySupervisors)]);
  const open = c.visits.visits
    .filter((v) => v.supervisorId === c.person.id && v.status === 'planned')
    .sort((a, b) => a.startsAt - b.startsAt);
  // The supervisor's recorded visits (the last 180 days are loaded), newest first, after the planned ones.
  const done = c.visits.visits
    .filter((v) => v.supervisorId === c.person.id && v.status === 'done')
    .sort((a, b) => b.startsAt - a.startsAt);
  const actions = c.visits.actions.map((a, i) =>
    msg.visits.schoolActionLine(
      i + 1,
      schoolName(c, a.schoolId),
      a.what,
      a.dueOn === null ? null : thaiCalendarDate(a.dueOn),
    ),
  );
  const planBtn = quickPostback(msg.visits.planNew, postbackData('vplan'), msg.visits.planNew);
  const actionText = actions.length === 0 ? [] : [msg.visits.schoolActions(actions)];
  if (open.length === 0 && done.length === 0)
    return result(state, [textMessage([msg.visits.noVisits, ...actionText].join('\n\n'), [planBtn])]);
  // Unrecorded past visits first (they are waiting), then the coming ones, then those already recorded.
  const past = open.filter((v) => v.startsAt <= c.now);
  const ahead = open.filter((v) => v.startsAt > c.now);
  const shown = [...past, ...ahead, ...done].slice(0, 10);
  const carousel = visitListCarousel(
    shown.map((v) => ({
      school: v.schoolName,
      when: when(v.startsAt, c.timeZone),
      purpose: v.purpose,
      status:
        v.status === 'done'
          ? msg.visits.pastStatus(
              v.decision === null
                ? null
                : v.decision === 'achieved'
                  ? msg.visits.decisionAchieved
                  : msg.visits.decisionNotYet,
            )
          : v.startsAt <= c.now
            ? 'รอบันทึกผล'
            : 'นัดไว้',
      buttons:
        v.status === 'done'
          ? []
          : [
              ...(v.startsAt <= c.now ? [{ label: msg.visits.record, data: postbackData('vrec', { v: v.id }) }] : []),
              { label: msg.visits.move, data: postbackData('vmove', { v: v.id }) },
              { label: msg.visits.cancel, data: postbackData('vcancel', { v: v.id }) },
            ],
    })),
  );
  const head = done.length === 0 ? msg.visits.myVisits(open.length) : msg.visits.myVisitsPast(open.length, done.length);
  return result(state, [
    { type: 'flex', altText: head, contents: carousel },
    textMessage([head, ...actionText].join('\n\n'), [planBtn]),
  ]);
}

/** The first question of the visit form for a visit, after the previous findings and open follow-ups. */
function startRecord(state: ConversationState, c: VisitCtx, visitId: string | null): RunnerResult {
  if (c.person.role !== 'supervisor') return result(state, [textMessage(msg.visits.onlySupervisors)]);
  const v =
    visitId === null
      ? c.visits.visits
          .filter((x) => x.supervisorId === c.person.id && x.status === 'planned' && x.startsAt <= c.now)
          .sort((a, b) => a.startsAt - b.startsAt)[0]
      : ownVisit(c, visitId);
  if (v === undefined)
    return visitId === null ? visitList(state, c) : result(state, [textMessage(msg.visits.visitGone)]);
  if (v.startsAt > c.now)
    return result(state, [textMessage(msg.visits.tooEarlyToRecord(when(v.startsAt, c.timeZone)))]);
  const checklistId = v.responseChecklistId ?? c.visits.formChecklistId;
  const def = checklistId === null ? undefined : c.checklists.definitions.get(checklistId);
  if (checklistId === null || def === undefined) return result(state, [textMessage(msg.visits.visitGone)]);

  const effects: Effect[] = [];
  let responseId = v.responseId;
  let answers: AnswerMap = c.checklists.answers;
  if (responseId === null) {
    responseId = c.newId('response');
    const keys = new Set(def.items.map((i) => i.key));
    const prefill = [
      ...(keys.has('school') ? [{ key: 'school', repeat: 0, value: v.schoolId }] : []),
      ...(keys.has('visit_date') ? [{ key: 'visit_date', repeat: 0, value: localDate(v.startsAt, c.timeZone) }] : []),
    ];
    answers = Object.fromEntries(prefill.map((p) => [answerKey(p.key, p.repeat), p.value]));
    effects.push({
      type: 'startVisitRecord',
      visitId: v.id,
      supervisorId: c.person.id,
      responseId,
      checklistId,
      prefill,
    });
  }
  const flow: ChecklistFlow = {
    flow: 'checklist',
    responseId,
    checklistId,
    campaignId: visitRecordCampaign(v.id),
    at: { kind: 'item', key: '', repeat: 0 },
    returnToReview: v.responseStatus === 'submitted',
    editing: v.responseStatus === 'submitted',
  };
  const started = startChecklist(state, flow, def, answers, {
    ...c.checklists,
    assignedSchools: c.checklists.assignedSchools.some((s) => s.id === v.schoolId)
      ? c.checklists.assignedSchools
      : [...c.checklists.assignedSchools, { id: v.schoolId, name: v.schoolName }],
  });
  return result(started.state, [...previousFindings(c, v, def), ...started.replies], effects);
}

/** What the supervisor sees before recording: the last visit's findings and the school's open follow-ups. */
function previousFindings(c: VisitCtx, v: VisitView, def: Definition): Message[] {
  const p = c.visits.previous;
  const lines: string[] = [`${v.schoolName} · ${when(v.startsAt, c.timeZone)}`];
  if (p === null) lines.push(msg.visits.noPrevious);
  else {
    const level = RATING_LEVELS.find((l) => l.value === p.level);
    lines.push(
      msg.visits.previous({
        when: thaiLongDate(p.startsAt, c.timeZone),
        level: level === undefined ? null : `${level.value} ${level.th}`,
        decision:
          p.decision === null
            ? null
            : p.decision === 'achieved'
              ? msg.visits.decisionAchieved
              : msg.visits.decisionNotYet,
        improve: p.improve,
      }),
    );
  }
  // The school's own ratings of the same indicators, so the supervisor rates beside them.
  const self = c.visits.self ?? null;
  const indicators = outcomesOf(def).filter((o) => o.achieve === 'indicator');
  if (indicators.length > 0) {
    const rated = self === null ? [] : indicators.filter((o) => self.ratings[o.key] !== undefined);
    if (self === null || rated.length === 0) lines.push(msg.visits.noSelfRatings);
    else
      lines.push(
        msg.visits.selfRatings(
          thaiLongDate(self.submittedAt, c.timeZone),
          rated.map((o) => {
            const n = self.ratings[o.key] ?? 0;
            const level = RATING_LEVELS.find((l) => l.value === n);
            return msg.visits.selfRatingLine(
              o.label.th.split(':')[0] ?? o.label.th,
              `${n} ${level?.th ?? ''}`.trim(),
              achieved(n, targetOf(o, self.ratings)),
            );
          }),
        ),
      );
  }
  const acts = c.visits.actions.filter((a) => a.schoolId === v.schoolId);
  if (acts.length > 0) {
    lines.push(
      msg.visits.openActions(
        acts.map((a, i) =>
          msg.visits.actionLine(i + 1, a.what, a.owner, a.dueOn === null ? null : thaiCalendarDate(a.dueOn)),
        ),
      ),
    );
  }
  return [textMessage(lines.join('\n\n'))];
}

function ack(state: ConversationState, c: VisitCtx, visitId: string | null, comment: string | null): RunnerResult {
  if (c.person.role !== 'principal') return result(state, [textMessage(msg.visits.notYourVisit)]);
  const candidates = c.visits.visits.filter((v) => v.status === 'done');
  const v =
    visitId === null
      ? candidates.filter((x) => !x.acknowledged).sort((a, b) => b.startsAt - a.startsAt)[0]
      : candidates.find((x) => x.id === visitId);
  if (v === undefined)
    return result(state, [textMessage(visitId === null ? msg.visits.noVisitToAck : msg.visits.notYourVisit)]);
  if (v.acknowledged && comment === null) return result(state, [textMessage(msg.visits.alreadyAcknowledged)]);
  const effect: Effect = {
    type: 'ackVisit',
    visitId: v.id,
    personId: c.person.id,
    comment,
    dedupeKey: comment === null ? dedupeKey('visit', v.id, 'ack') : dedupeKey('visit', v.id, 'comment', c.now),
    supervisorMessages: [
      textMessage(
        comment === null
          ? msg.visits.supervisorAck(v.schoolName, c.person.name)
          : msg.visits.supervisorComment(v.schoolName, c.person.name, comment),
      ),
    ],
  };
  const next = state.flow.flow === 'visit' ? home(state) : state;
  return result(
    next,
    [textMessage(comment === null ? msg.visits.acknowledged(v.schoolName) : msg.visits.commented)],
    [effect],
  );
}

/**
 * Visit postbacks and typed visit commands, from any flow but a running checklist's typed answers. Returns null
 * when the input is not about visits.
 */
export function visitEntry(state: ConversationState, input: UserInput, c: VisitCtx | null): RunnerResult | null {
  const pb = input.kind === 'postback' ? parsePostbackData(input.data) : null;
  if (pb !== null && VISIT_ACTIONS.has(pb.action) && pb.seq === undefined) {
    if (c === null) return null;
    const v = pb.fields.get('v');
    switch (pb.action) {
      case 'vplan':
        return startPlanning(state, c);
      case 'vlist':
        return visitList(state, c);
      case 'vrec':
        return startRecord(state, c, v ?? '');
      case 'vmove': {
        if (c.person.role !== 'supervisor') return result(state, [textMessage(msg.visits.onlySupervisors)]);
        const visit = ownVisit(c, v);
        if (visit?.status !== 'planned') return result(state, [textMessage(msg.visits.visitGone)]);
        return whenPrompt(
          state,
          { flow: 'visit', step: 'when', visitId: visit.id, schoolId: visit.schoolId, purpose: visit.purpose },
          c,
        );
      }
      case 'vcancel': {
        if (c.person.role !== 'supervisor') return result(state, [textMessage(msg.visits.onlySupervisors)]);
        const visit = ownVisit(c, v);
        if (visit?.status !== 'planned') return result(state, [textMessage(msg.visits.visitGone)]);
        const next = toVisit(state, { flow: 'visit', step: 'cancel', visitId: visit.id, schoolId: visit.schoolId });
        return result(next, [
          textMessage(msg.visits.confirmCancel(visit.schoolName, when(visit.startsAt, c.timeZone)), [
            quickPostback(msg.visits.cancelYes, postbackData('vcx', {}, next.seq), msg.visits.cancelYes),
            quickPostback(msg.visits.keep, postbackData('menu'), msg.visits.keep),
          ]),
        ]);
      }
      case 'vfollow': {
        const visit = ownVisit(c, v);
        if (visit === undefined) return result(state, [textMessage(msg.visits.visitGone)]);
        const on = pb?.fields.get('d');
        const followUpOn = on !== undefined && on !== null && /^\d{4}-\d{2}-\d{2}$/.test(on) ? on : undefined;
        return startPlanning(state, c, { schoolId: visit.schoolId, followUpOf: visit.id, followUpOn });
      }
      case 'vack':
        return ack(state, c, v ?? '', null);
      case 'vcom': {
        if (c.person.role !== 'principal') return result(state, [textMessage(msg.visits.notYourVisit)]);
        const visit = c.visits.visits.find((x) => x.id === v && x.status === 'done');
        if (visit === undefined) return result(state, [textMessage(msg.visits.notYourVisit)]);
        return result(toVisit(state, { flow: 'visit', step: 'comment', visitId: visit.id }), [
          textMessage(msg.visits.askComment),
        ]);
      }
      case 'vdone': {
        const id = pb.fields.get('x');
        const action = c.person.role === 'principal' ? c.visits.actions.find((a) => a.id === id) : undefined;
        if (action === undefined) return result(state, [textMessage(msg.visits.actionGone)]);
        return result(
          state,
          [textMessage(msg.visits.actionClosed)],
          [{ type: 'closeVisitAction', actionId: action.id, personId: c.person.id }],
        );
      }
    }
    return null;
  }
  if (input.kind === 'text' && c !== null) {
    switch (visitCommand(input.text)) {
      case 'plan':
        return startPlanning(state, c);
      case 'list':
        return visitList(state, c);
      case 'record':
        return startRecord(state, c, null);
      case 'ack':
        return c.person.role === 'principal' ? ack(state, c, null, null) : null;
      case null:
        return null;
    }
  }
  return null;
}

const confirmWords = new Set(['ยืนยัน', 'ตกลง', 'ใช่', 'ok', 'confirm', 'yes']);

/** One input inside the visit flow. Global words: menu and cancel leave, back goes a step back, help explains. */
export function runVisitFlow(
  state: ConversationState & { flow: VisitFlow },
  input: UserInput,
  cmd: 'menu' | 'status' | 'help' | 'cancel' | 'back' | 'skip' | null,
  c: VisitCtx,
  menu: () => Message[],
): RunnerResult {
  const flow = state.flow;
  const again = (...pre: Message[]) => reask(state, flow, c, pre);
  const pb = input.kind === 'postback' ? parsePostbackData(input.data) : null;
  if (cmd === 'menu' || cmd === 'cancel') return result(home(state), [textMessage(msg.visits.planStopped), ...menu()]);
  if (cmd === 'help') return again(textMessage(msg.visits.planHelp));
  if (cmd === 'back') {
    if (flow.step === 'when' && flow.visitId === undefined && flow.followUpOf === undefined)
      return schoolPrompt(state, c);
    if (flow.step === 'purpose') return whenPrompt(state, flow, c);
    if (flow.step === 'confirm')
      return flow.visitId === undefined ? purposePrompt(state, flow) : whenPrompt(state, flow, c);
    return again();
  }
  if (cmd !== null) return again();

  switch (flow.step) {
    case 'school': {
      if (pb?.action === 'vsch') return pickSchool(state, flow, c, pb.fields.get('sc') ?? '');
      if (input.kind !== 'text') return again();
      const ranked = rankSchools(c.visits.schools, c.now);
      const n = /^(?:ข้อ\s*)?(\d{1,3})$/.exec(input.text);
      if (n !== null) {
        const s = ranked[Number(n[1]) - 1];
        return s === undefined ? again(textMessage(msg.visits.schoolNotFound)) : pickSchool(state, flow, c, s.id);
      }
      const exact = ranked.find((s) => commandKey(s.name) === commandKey(input.text));
      if (exact !== undefined) return pickSchool(state, flow, c, exact.id);
      const key = commandKey(input.text).replace(/^(?:โรงเรียน|รร\.?)\s*/u, '');
      const hits = key.length < 2 ? [] : ranked.filter((s) => commandKey(s.name).includes(key));
      return hits.length === 1 && hits[0] !== undefined
        ? pickSchool(state, flow, c, hits[0].id)
        : again(textMessage(msg.visits.schoolNotFound));
    }
    case 'when': {
      let picked: { date: string; hour: number; minute: number } | null = null;
      const on = pb?.action === 'vwhen' ? pb.fields.get('d') : undefined;
      if (on !== undefined && on !== null && on === flow.followUpOn) picked = { date: on, hour: 9, minute: 0 };
      else if (pb?.action === 'vwhen')
        picked = parsePickerValue(input.kind === 'postback' ? input.params.datetime : undefined);
      else if (input.kind === 'text') {
        const w = parseWhen(input.text, localDate(c.now, c.timeZone));
        if (!w.ok) {
          const ex = whenExamples(c.now, c.timeZone);
          return again(textMessage(w.reason === 'time' ? msg.visits.needTime(ex) : msg.visits.notDateTime(ex)));
        }
        picked = w;
      }
      if (picked === null) return again();
      const startsAt = localInstant(picked.date, picked.hour, picked.minute, c.timeZone);
      if (startsAt <= c.now) return again(textMessage(msg.visits.inPast));
      if (startsAt > c.now + MAX_AHEAD_MS) return again(textMessage(msg.visits.tooFar));
      const next: VisitFlow = { ...flow, startsAt };
      return flow.visitId !== undefined || flow.purpose !== undefined
        ? confirmPrompt(state, next, c)
        : purposePrompt(state, next);
    }
    case 'purpose': {
      let text: string | null = null;
      if (pb?.action === 'vre' && pb.fields.get('p') === 'f') text = msg.visits.purposeFollowUp;
      else if (input.kind === 'text') text = input.text.trim();
      if (text === null || text === '') return again();
      if (text.length > PURPOSE_MAX) return again(textMessage(msg.visits.purposeTooLong(PURPOSE_MAX)));
      return confirmPrompt(state, { ...flow, purpose: text }, c);
    }
    case 'confirm': {
      if (pb?.action === 'vok') return confirm(state, flow, c);
      if (pb?.action === 'vre') return whenPrompt(state, flow, c);
      if (input.kind === 'text') {
        const k = commandKey(input.text);
        if (isWord(confirmWords, k)) return confirm(state, flow, c);
        if (k === commandKey(msg.visits.changeTime)) return whenPrompt(state, flow, c);
      }
      return again();
    }
    case 'cancel': {
      const typed = input.kind === 'text' ? commandKey(input.text) : '';
      if (typed === commandKey(msg.visits.keep)) return result(home(state), menu());
      if (pb?.action === 'vcx' || isWord(confirmWords, typed) || typed === commandKey(msg.visits.cancelYes)) {
        const v = ownVisit(c, flow.visitId);
        if (v?.status !== 'planned') return result(home(state), [textMessage(msg.visits.visitGone)]);
        const effect: Effect = {
          type: 'cancelVisit',
          visitId: v.id,
          supervisorId: c.person.id,
          principalMessages: [
            textMessage(
              msg.visits.principalCancelled({
                school: v.schoolName,
                when: when(v.startsAt, c.timeZone),
                supervisor: c.person.name,
              }),
            ),
          ],
        };
        return result(home(state), [textMessage(msg.visits.cancelled(v.schoolName)), ...menu()], [effect]);
      }
      return again();
    }
    case 'comment': {
      if (input.kind !== 'text' || input.text.trim() === '') return again();
      if (input.text.length > COMMENT_MAX) return again(textMessage(msg.visits.purposeTooLong(COMMENT_MAX)));
      return ack(state, c, flow.visitId ?? '', input.text.trim());
    }
  }
}

function pickSchool(state: ConversationState, flow: VisitFlow, c: VisitCtx, schoolId: string): RunnerResult {
  if (!c.visits.schools.some((s) => s.id === schoolId))
    return reask(state, flow, c, [textMessage(msg.visits.notYourSchool)]);
  return whenPrompt(state, { ...flow, schoolId }, c);
}

function reask(current: ConversationState, flow: VisitFlow, c: VisitCtx, pre: Message[]): RunnerResult {
  // The same prompt again keeps its step token, so the buttons already on screen stay valid: the prompt builders
  // bump the token, so they are given the state one step earlier.
  const state = { ...current, seq: Math.max(0, current.seq - 1) };
  switch (flow.step) {
    case 'school':
      return schoolPrompt(state, c, pre);
    case 'when':
      return whenPrompt(state, flow, c, pre);
    case 'purpose':
      return purposePrompt(state, flow, pre);
    case 'confirm':
      return confirmPrompt(state, flow, c, pre);
    case 'cancel': {
      const next = toVisit(state, flow);
      const v = ownVisit(c, flow.visitId);
      return result(next, [
        ...pre,
        textMessage(
          msg.visits.confirmCancel(schoolName(c, flow.schoolId), v === undefined ? '' : when(v.startsAt, c.timeZone)),
          [
            quickPostback(msg.visits.cancelYes, postbackData('vcx', {}, next.seq), msg.visits.cancelYes),
            quickPostback(msg.visits.keep, postbackData('menu'), msg.visits.keep),
          ],
        ),
      ]);
    }
    case 'comment':
      return result(current, [...pre, textMessage(msg.visits.askComment)]);
  }
}

/** The current step's question again, after `before` (the engine's stale-button message). */
export function resumeVisitFlow(state: ConversationState & { flow: VisitFlow }, c: VisitCtx, before: Message[]) {
  return reask(state, state.flow, c, before);
}
