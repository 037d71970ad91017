// The grammar of outbox keys, unique per person (outbox_items (person_id, key)), so a repeat queues nothing:
//   <topic>:<subject>[:<part>…]      e.g. submitted:<responseId> · visit:<visitId>:eve:3 · digest:2026-W48
// A topic names what the item is about; everything after its subject narrows it. Withdrawing waiting items of a
// subject (a visit moved) deletes by the prefix `<topic>:<subject>:`. Built here and, for SQL, by keySql
// (src/outbox/enqueue.queries.ts); nowhere else.

export type KeyTopic = 'submitted' | 'visit' | 'notice' | 'announce' | 'digest' | 'sarfb';
export type KeyPart = string | number;

export const KEY_SEPARATOR = ':';

/** `topic:subject:part…` */
export function dedupeKey(topic: KeyTopic, subject: KeyPart, ...parts: KeyPart[]): string {
  return [topic, subject, ...parts].map(String).join(KEY_SEPARATOR);
}

/** `topic:subject:`: every key of one subject, for withdrawing them. */
export const keyPrefix = (topic: KeyTopic, subject: KeyPart): string => `${dedupeKey(topic, subject)}${KEY_SEPARATOR}`;
