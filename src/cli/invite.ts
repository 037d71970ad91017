// `invite create --office CODE (--person UUID | --external-id ID)… [--days N]`: fresh invite codes.
import { findOffice } from '../admin/admin.queries.js';
import { issueInvites } from '../onboarding/invites.js';
import { peopleByExternalId } from './cli.queries.js';
import type { Command } from './command.js';

export const invite: Command = {
  opensDatabase: true,
  async run({ sub, values, database: { db }, io }) {
    if (sub !== 'create' || values.office === undefined) return undefined;
    const office = await findOffice(db, values.office);
    if (office === undefined) {
      io.err(`no office ${values.office}`);
      return 1;
    }
    const external = values['external-id'] ?? [];
    const fromExternal = external.length === 0 ? [] : await peopleByExternalId(db, office.id, external);
    const missing = external.filter((e) => !fromExternal.some((r) => r.external_id === e));
    if (missing.length > 0) {
      io.err(`unknown external ids: ${missing.join(', ')}`);
      return 1;
    }
    const ids = [...(values.person ?? []), ...fromExternal.map((r) => r.id)];
    const days = values.days === undefined ? undefined : Number(values.days);
    const invites = await issueInvites(db, office.id, ids, io.now(), days);
    if (invites.length < ids.length) io.err(`${ids.length - invites.length} people not found in ${office.code}`);
    for (const i of invites) io.out(`${i.code}  ${i.personId}  expires ${i.expiresAt}`);
    return invites.length === ids.length ? 0 : 1;
  },
};
