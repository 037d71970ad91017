/** @jsxImportSource hono/jsx */
// The list of offices: the deployment's session picks one; anyone else belongs to one office and goes straight to it.
import type { Hono } from 'hono';
import { listOfficesPage } from '../../admin/org.queries.js';
import { can, scopeOf } from '../../admin/scope.js';
import type { AppEnv } from '../../deps.js';
import { t } from '../web.th.js';
import { page } from './render.js';

export function officesPage(app: Hono<AppEnv>): void {
  app.get('/offices', async (c) => {
    // Every office fits one page: a deployment serves at most the ~245 offices of the country.
    const admin = c.var.admin;
    const only = admin === undefined || admin.kind === 'deployment' ? undefined : admin.officeId;
    const offices = await listOfficesPage(c.var.deps.db, null, 1000, only);
    const own = offices[0];
    if (only !== undefined && own !== undefined) {
      // A committee member's one page is the committee's.
      const home = admin !== undefined && !can(scopeOf(admin), 'schools.read') ? '/committee' : '';
      return c.redirect(`/admin/offices/${encodeURIComponent(own.code)}${home}`, 303);
    }
    return page(
      c,
      { title: t.offices },
      offices.length === 0 ? (
        <p>{t.noOffices}</p>
      ) : (
        <ul>
          {offices.map((o) => (
            <li>
              <a href={`/admin/offices/${encodeURIComponent(o.code)}`}>{o.nameTh}</a>{' '}
              <span class="muted">({o.code})</span>
            </li>
          ))}
        </ul>
      ),
    );
  });
}
