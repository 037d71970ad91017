// Runs one user event as one conversation turn: load (1 round trip), transition (pure), write (1 round trip).
// A lost optimistic race retries; after OPTIMISTIC_TRIES it takes the row lock, so 20 concurrent events for
// one user all land, each exactly once, none lost.
import { isRetryableDbError, type Db } from '../db/client.js';
import type { Channel } from '../line/channels.js';
import type { Definition } from '../checklists/definition.js';
import { cachedDefinitionIds, getDefinition, rememberDefinition } from '../checklists/definitions-cache.js';
import type { EvidenceView } from '../checklists/runner.js';
import { thumbSigner } from '../checklists/thumbs.js';
import { localDate } from '../time/thai.js';
import {
  loadTurn,
  lockConversation,
  type Loaded,
  rememberLoadNeeds,
  type TurnKey,
  writeTurn,
} from './conversation.queries.js';
import type { Effect } from './effects.js';
import { transition } from './transition.js';
import type { Ctx } from './types.js';
import type { RunTurn, TurnOutcome } from './turn.types.js';
import { readActionFor } from './read-actions.js';
import { flows } from '../flows/index.js';

const OPTIMISTIC_TRIES = 2;
const LOCKED_TRIES = 3;

export type { RunTurn, TurnOutcome } from './turn.types.js';

/** An exception thrown by the pure part of a turn (a bug, or data it cannot handle): retrying cannot help. */
export class PureTurnError extends Error {
  override name = 'PureTurnError';
  constructor(readonly original: unknown) {
    super('the pure part of the turn threw', { cause: original });
  }
}

function pure<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw new PureTurnError(err);
  }
}

/** The context transition() gets from what the turn's load statement found. */
export function turnContext(
  loaded: Loaded,
  channel: Channel,
  key: TurnKey,
  now: number,
  /** What the flows made before the turn (src/conversation/registry.ts prepare()). */
  prepared: Partial<Ctx> = {},
  /** The focused response's evidence files with their signed thumbnail URLs (evidenceViews). */
  evidence: ReadonlyMap<string, EvidenceView> = new Map(),
): Ctx {
  for (const d of loaded.definitions) rememberDefinition(d.id, d.definition);
  const definitions = new Map<string, Definition>();
  const visitForms = [
    loaded.visits?.formChecklistId ?? null,
    ...(loaded.visits?.visits.map((v) => v.responseChecklistId) ?? []),
  ];
  for (const id of [...loaded.open.map((c) => c.checklistId), ...visitForms]) {
    if (id === null) continue;
    const def = getDefinition(id);
    if (def !== undefined) definitions.set(id, def);
  }
  return {
    now,
    eventId: `${key.channelId}:${key.webhookEventId}`,
    timeZone: channel.timeZone,
    person: loaded.person,
    invite: loaded.invite,
    channelOfficeId: channel.officeId,
    privacyNotice: channel.privacyNotice,
    checklists: {
      today: localDate(now, channel.timeZone),
      schoolId: loaded.schoolId,
      open: loaded.open,
      definitions,
      answers: loaded.answers,
      previous: loaded.previous,
      startedAnswers: loaded.startedAnswers,
      assignedSchools: loaded.assignedSchools,
      evidence,
    },
    visits: loaded.visits,
    feedbackOwn: loaded.feedbackOwn,
    ...prepared,
  };
}

/** At most this many thumbnails are signed per turn: more than a review card shows. */
const MAX_THUMBS = 60;

/**
 * The loaded evidence files as the runner shows them: a document by its name, a photo with a signed URL of its
 * preview when one is kept and a signer exists (src/checklists/thumbs.ts). Signing is async, so it is done here,
 * before the pure transition.
 */
export async function evidenceViews(
  files: Loaded['evidence'],
  sign: ((id: string) => Promise<string>) | null,
): Promise<ReadonlyMap<string, EvidenceView>> {
  const out = new Map<string, EvidenceView>();
  let signed = 0;
  for (const f of files) {
    const thumb = f.thumb && sign !== null && signed++ < MAX_THUMBS ? await sign(f.id) : null;
    out.set(f.id, { name: f.name, thumb });
  }
  return out;
}

export const runTurn: RunTurn = async (db, channel, key, input, now, opts) => {
  const sign = thumbSigner(opts.secretsKey, opts.publicBaseUrl, now);
  const nowIso = new Date(now).toISOString();
  // Each flow's work before the turn (hashes, tokens) and the load blocks it wants for this input.
  const prepared = await flows.prepare(input, opts);
  const load = (conn: Db) =>
    loadTurn(
      conn,
      key,
      { ...prepared.load, cachedDefinitions: cachedDefinitionIds(), now: nowIso },
      flows.loadFragments,
    );

  const attempt = async (conn: Db, loaded: Loaded): Promise<TurnOutcome> => {
    if (loaded.processed) return { status: 'duplicate', state: null, replies: [], stateReset: false, evidenceIds: [] };
    const parsed = pure(() => flows.parseState(loaded.rawState));
    // A read ("ดูรายชื่อ", a copy of my data): one extra query, answered by reply, state untouched, audited.
    const reader = readActionFor(input, loaded, channel.timeZone, now, parsed.state.flow.flow);
    if (reader !== null && loaded.person !== null) {
      const replies = await reader.read(conn);
      const audit: Effect = {
        type: 'audit',
        officeId: loaded.person.officeId,
        personId: loaded.person.id,
        action: reader.action,
        targetType: reader.targetType,
        targetId: reader.targetId,
      };
      const status = await writeTurn(conn, key, loaded.version, parsed.state, [audit], nowIso, flows.effectSql);
      const applied = status === 'applied';
      return {
        status,
        state: applied ? parsed.state : null,
        replies: applied ? replies : [],
        stateReset: !parsed.ok,
        evidenceIds: [],
      };
    }
    const evidence = await evidenceViews(loaded.evidence, sign);
    const result = pure(() =>
      transition(flows, parsed.state, input, turnContext(loaded, channel, key, now, prepared.ctx, evidence)),
    );
    const status = await writeTurn(conn, key, loaded.version, result.state, result.effects, nowIso, flows.effectSql);
    const applied = status === 'applied';
    // The next turn's load statement leaves out the fragments this state does not need (a guess; see loadTurn).
    if (applied) rememberLoadNeeds(flows.loadFragments, key, result.state, loaded.person?.role ?? null);
    return {
      status,
      state: applied ? result.state : null,
      replies: applied ? result.replies : [],
      stateReset: !parsed.ok,
      evidenceIds: applied ? result.effects.flatMap((e) => (e.type === 'addEvidence' ? [e.evidenceId] : [])) : [],
    };
  };

  for (let i = 0; i < OPTIMISTIC_TRIES; i++) {
    try {
      return await attempt(db, await load(db));
    } catch (err) {
      if (!isRetryableDbError(err)) throw err;
    }
  }
  for (let i = 1; ; i++) {
    try {
      return await db.transaction(async (tx) => {
        await lockConversation(tx, key);
        return attempt(tx, await load(tx));
      });
    } catch (err) {
      // Under the lock only a single-use race (an invite taken by someone else) can conflict; reload once more.
      if (!isRetryableDbError(err) || i >= LOCKED_TRIES) throw err;
    }
  }
};
