// Evidence photos and documents on the web (issue 13, item 4): there are no public URLs. Every request for a file is checked
// against the session's scope in the statement that finds it (a supervisor: their assigned schools' responses
// only; another office's or a missing file is the same 404), read from the blob store (R2 on Workers, disk on
// Node), and audited. A photo is sent with its stored type, a document as a download, never sniffed,
// never cached in a shared cache, and only up to the size the evidence fetch accepts.
import type { Hono } from 'hono';
import { officeOf } from '../../admin/office.js';
import { EVIDENCE_MAX_BYTES, EVIDENCE_TYPES } from '../../checklists/evidence.js';
import { DOCUMENT_TYPES } from '../../checklists/items/document.js';
import { contentDisposition } from '../../exports/build.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { evidenceInScope } from '../reading.queries.js';
import { guard, scopeOfPage } from './render.js';
import { auditRead, idParam } from './responses.js';

const DOCUMENT_CONTENT_TYPES = new Set(Object.values(DOCUMENT_TYPES).map((t) => t.contentType));

export function evidencePages(app: Hono<AppEnv>): void {
  guard(app, '/evidence', 'schools.read');

  app.get('/offices/:office/evidence/:id', async (c) => {
    const o = await officeOf(c);
    const id = idParam(c, 'id');
    const { db, blobs } = c.var.deps;
    const file = await evidenceInScope(db, o.id, scopeOfPage(c), id);
    if (file === undefined) throw new AppError('not_found', 'Unknown evidence');
    if (file.size_bytes > EVIDENCE_MAX_BYTES) throw new AppError('payload_too_large', 'Evidence too large');
    const blob = await blobs.get(file.storage_key);
    if (blob === null) throw new AppError('not_found', 'Evidence missing from the store');
    if (blob.data.length > EVIDENCE_MAX_BYTES) throw new AppError('payload_too_large', 'Evidence too large');
    await auditRead(c, o, 'evidence.view', 'evidence', id);
    // A photo is shown; a document (PDF, Word, Excel, already checked against its first bytes when fetched) is a
    // download under the name it was sent with; anything else is a download of unknown bytes.
    const photo = EVIDENCE_TYPES.has(file.content_type);
    const document = DOCUMENT_CONTENT_TYPES.has(file.content_type);
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(file.file_name ?? '')?.[1]?.toLowerCase();
    return c.body(new Uint8Array(blob.data), 200, {
      'Content-Type': photo || document ? file.content_type : 'application/octet-stream',
      'Content-Length': String(blob.data.length),
      'Content-Disposition': photo
        ? `inline; filename="evidence-${id}"`
        : contentDisposition({
            filename: `evidence-${id}${ext === undefined ? '' : `.${ext}`}`,
            filenameUtf8: file.file_name ?? `evidence-${id}`,
          }),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Referrer-Policy': 'same-origin',
    });
  });
}
