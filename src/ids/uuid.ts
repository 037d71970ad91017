// The one test of "is this a uuid": ids arrive in URLs, postbacks and stored state, and a string that is not a
// uuid must never reach a `::uuid` cast (Postgres would refuse the whole statement). SQL uses UUID_PATTERN with `~`.

/** Lower-case canonical form, anchored: the text Postgres prints for a uuid, and what `~` tests in SQL. */
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** The same, without anchors, to embed in a larger pattern (`^visit:<uuid>$`). */
export const UUID_BODY = UUID_PATTERN.slice(1, -1);

const UUID_RE = new RegExp(UUID_PATTERN, 'i');

/** A uuid in any case (Postgres accepts upper-case input). */
export const isUuid = (s: string): boolean => UUID_RE.test(s);

/** The value when it is a uuid, else undefined: for optional query parameters and postback fields. */
export const uuidOrUndefined = (s: string | null | undefined): string | undefined =>
  s !== null && s !== undefined && isUuid(s) ? s : undefined;
