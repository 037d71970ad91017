// `admin-token create --office CODE --label TEXT`: the same as POST /offices/:office/tokens; the token goes to
// stdout once and only its hash is kept.
import { findOffice } from '../admin/admin.queries.js';
import { newOfficeToken, tokenHash } from '../admin/auth.js';
import { insertToken } from '../admin/tokens.queries.js';
import { audit } from '../audit/audit.queries.js';
import type { Command } from './command.js';

export const adminToken: Command = {
  opensDatabase: true,
  async run({ sub, values, database: { db }, io }) {
    const label = values.label?.trim() ?? '';
    if (sub !== 'create' || values.office === undefined || label === '' || label.length > 200) return undefined;
    const office = await findOffice(db, values.office);
    if (office === undefined) {
      io.err(`no office ${values.office}`);
      return 1;
    }
    const token = newOfficeToken();
    const row = await insertToken(db, office.id, label, await tokenHash(token));
    await audit(db, {
      actor: 'cli',
      officeId: office.id,
      action: 'admin_token.create',
      targetType: 'admin_token',
      targetId: row.id,
      detail: { label: row.label, via: 'cli' },
    });
    io.err(`office ${office.code} token ${row.id} (${row.label}); shown once, keep it safe:`);
    io.out(token);
    return 0;
  },
};
