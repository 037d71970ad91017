// A checklist published and sent to the demo office's principals, opening now and due in `days`: the setup of the
// evidence tests, which then answer it through the webhook.
import { publishChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import type { FormDefinition } from '../../src/checklists/definition.js';
import type { DemoSeed } from '../../src/demo/seed.js';
import type { Harness } from './harness.js';

/** Returns the campaign's id. */
export async function principalCampaign(
  h: Harness,
  demo: DemoSeed,
  definition: FormDefinition,
  titleTh: string,
  days = 14,
): Promise<string> {
  const published = await publishChecklist(h.db.db, demo.office.id, definition);
  const campaign = await upsertCampaign(h.db.db, {
    officeId: demo.office.id,
    checklistId: published.id,
    titleTh,
    roles: ['principal'],
    schoolIds: [],
    clusterIds: [],
    opensAt: new Date(h.clock.now - 3_600_000).toISOString(),
    dueAt: new Date(h.clock.now + days * 86_400_000).toISOString(),
  });
  return campaign.id;
}
