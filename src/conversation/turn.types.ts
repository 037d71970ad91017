// What running a turn returns, and the shape of the function that runs one. Apart from turn.ts because src/deps.ts
// names RunTurn (Node puts its batcher there): importing turn.ts from deps would close a cycle through the flows.
import type { Db } from '../db/client.js';
import type { Channel } from '../line/channels.js';
import type { Message } from '../line/messages.js';
import type { Input } from './input.js';
import type { ConversationState } from './state.js';
import type { TurnKey } from './types.js';

export interface TurnOutcome {
  status: 'applied' | 'duplicate';
  /** The state this turn wrote (null when nothing was written): src/conversation/batch.ts guesses the next by it. */
  state: ConversationState | null;
  replies: Message[];
  /** True when stored state could not be read and the conversation restarted (logged by the caller). */
  stateReset: boolean;
  /** Evidence rows this turn created, to fetch from LINE after the commit. */
  evidenceIds: string[];
}

/** How the webhook runs a turn: runTurn itself, or Node's batcher in front of it (src/conversation/batch.ts). */
export type RunTurn = (
  db: Db,
  channel: Channel,
  key: TurnKey,
  input: Input,
  now: number,
  opts: { publicBaseUrl: string; secretsKey?: string | undefined },
) => Promise<TurnOutcome>;
