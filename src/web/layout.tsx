/** @jsxImportSource hono/jsx */
// The frame every admin page shares: one small inline stylesheet (no build, no script: everything is a link or a
// form and works without JavaScript), a skip link, the office's navigation and the sign-out button.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { can, type Capability, type Scope } from '../admin/scope.js';
import { mayOpenOfficeSar } from '../officesar/access.js';
import { t } from './web.th.js';

const CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,sans-serif;background:#f4f6f8;color:#111;font-size:15px;line-height:1.5}
a{color:#0b57a4}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
header.top{background:#06613a;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header.top a{color:#fff}
header.top form{margin-left:auto}
nav.office ul{list-style:none;margin:0;padding:0;display:flex;gap:12px;flex-wrap:wrap}
nav.office a[aria-current=page]{font-weight:700}
main{padding:16px;max-width:1200px}
h1{font-size:22px;margin:8px 0 16px}
h2{font-size:18px;margin:24px 0 8px}
table{border-collapse:collapse;background:#fff;width:100%}
caption{text-align:left;font-weight:700;padding:4px 0}
th,td{border:1px solid #d5dbe1;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#e9eef3}
td.n{text-align:right;font-variant-numeric:tabular-nums}
dl.figures{display:grid;grid-template-columns:max-content auto;gap:4px 16px;background:#fff;padding:12px;border:1px solid #d5dbe1}
dl.figures dt{font-weight:600}dl.figures dd{margin:0}
.bar{display:inline-block;width:80px;height:8px;background:#dde3ea;vertical-align:middle;margin-left:6px}
.bar span{display:block;height:8px;background:#06C755}
form.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:flex-end;margin-bottom:12px}
form.filters label{display:flex;flex-direction:column;font-size:13px}
input,select,button{font:inherit;padding:4px 8px}
button{cursor:pointer}
.error{color:#a40000;background:#fde8e8;padding:8px;border:1px solid #e0a0a0}
.code{font-size:32px;font-family:ui-monospace,monospace;letter-spacing:2px;background:#fff;padding:8px 16px;border:2px dashed #06613a;display:inline-block}
.muted{color:#555;font-weight:400;font-size:13px}
.pager{display:flex;gap:16px;margin-top:12px}
fieldset{border:1px solid #d5dbe1;background:#fff;padding:8px 12px;margin:0 0 12px}
legend{font-weight:600}
label.choice{display:block;padding:4px 0}
.field-error{display:block;padding:4px 8px;margin-top:4px}
[aria-invalid=true]{outline:2px solid #a40000}
:focus-visible{outline:3px solid #0b57a4;outline-offset:2px}
form.stack{display:flex;flex-direction:column;gap:14px;max-width:640px;background:#fff;padding:16px;border:1px solid #d5dbe1}
.field{display:flex;flex-direction:column;gap:4px}
.field>label{font-weight:600}
.field input:not([type=checkbox]),.field select,.field textarea{width:100%;max-width:100%}
p.field-error{color:#a40000;font-weight:600;padding:0;margin:0}
label.check{display:inline-flex;gap:6px;align-items:baseline;font-weight:400;margin-right:16px}
span.date{display:flex;gap:8px;flex-wrap:wrap}span.date input{flex:1 1 10em}
.notice{background:#e6f6ec;border:1px solid #9fd3b1;padding:8px}
.danger{color:#a40000}button.danger{color:#fff;background:#a40000;border:1px solid #7a0000}
ol.chat{list-style:decimal;padding-left:24px;max-width:640px}ol.chat li{margin:0 0 12px}
.bubble{background:#fff;border:1px solid #d5dbe1;border-radius:12px;padding:8px 12px;display:inline-block;max-width:100%}
.quick{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}.qr{border:1px solid #06C755;color:#06613a;border-radius:16px;padding:2px 10px;background:#fff}
.actions{display:flex;gap:12px;flex-wrap:wrap;align-items:center;margin:8px 0}
.sheet{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.card{background:#fff;border:1px dashed #555;padding:8px 12px;break-inside:avoid}
.card h2{margin:0;font-size:18px}
.card-body{display:flex;gap:12px;align-items:center}
.card .qrcode{width:34mm;flex:none}.card .qrcode svg{width:100%;height:auto;display:block}
.card .code{font-size:24px;padding:4px 8px;margin:4px 0}
.card p{margin:2px 0}.basic-id{font-weight:700}
form.settings label{font-weight:600}
tr.section th{background:#dfe9e3}
.photos{display:flex;flex-wrap:wrap;gap:6px}.photos img{display:block;max-width:120px;height:auto;border:1px solid #d5dbe1}
form.settings input[type=text],form.settings textarea{width:100%;max-width:560px}
@media print{@page{size:A4;margin:10mm}body{background:#fff;font-size:12px}header.top,nav.office,.skip,.noprint,main>h1{display:none}main{padding:0;max-width:none}.card{border-color:#000}}
@media (max-width:600px){.sheet{grid-template-columns:1fr}main{padding:8px}table{display:block;overflow-x:auto}header.top{padding:8px}}
`;

export type Section =
  | 'dashboard'
  | 'people'
  | 'campaigns'
  | 'checklists'
  | 'calendar'
  | 'assignments'
  | 'plan'
  | 'schools'
  | 'eqa'
  | 'reports'
  | 'office-sar'
  | 'agencies'
  | 'committee'
  | 'exports'
  | 'imports'
  | 'pdpa'
  | 'audit'
  | 'invite-sheets'
  | 'settings';

/** What a page knows of its session beyond the scope: whether its person is in one of the office's groups. */
export interface MenuFacts {
  officeGroup: boolean;
}

/**
 * The office's menu: each entry's path under the office, its label, and what a session needs to see it (a
 * capability, or the page's own rule where one exists).
 */
const SECTIONS: {
  key: Section;
  path: string;
  label: string;
  needs: Capability | ((scope: Scope, facts: MenuFacts) => boolean);
}[] = [
  { key: 'dashboard', path: '', label: t.dashboard, needs: 'schools.read' },
  { key: 'people', path: '/people', label: t.people, needs: 'office.read' },
  { key: 'campaigns', path: '/campaigns', label: t.campaigns, needs: 'schools.read' },
  { key: 'checklists', path: '/checklists', label: 'แบบประเมิน / Checklists', needs: 'office.read' },
  { key: 'calendar', path: '/calendar', label: 'ปฏิทิน / Calendar', needs: 'office.read' },
  { key: 'assignments', path: '/assignments', label: 'มอบหมาย ศน. / Assignments', needs: 'office.read' },
  { key: 'plan', path: '/plan', label: 'แผนนิเทศ / Visit plan', needs: 'office.read' },
  { key: 'schools', path: '/schools', label: 'โรงเรียน / Schools', needs: 'schools.read' },
  { key: 'eqa', path: '/eqa', label: 'สมศ. / External QA', needs: 'office.read' },
  { key: 'reports', path: '/reports', label: 'รายงาน / Reports', needs: 'schools.read' },
  {
    key: 'office-sar',
    path: '/office-sar',
    label: 'SAR สำนักงาน / Office SAR',
    needs: (scope, facts) => mayOpenOfficeSar(scope, facts.officeGroup),
  },
  { key: 'agencies', path: '/agencies', label: 'งานร่วมกับหน่วยงานอื่น / Agencies', needs: 'office.read' },
  { key: 'committee', path: '/committee', label: 'ก.ต.ป.น. / Committee', needs: 'committee.read' },
  { key: 'exports', path: '/exports', label: t.exports, needs: 'exports' },
  { key: 'imports', path: '/imports', label: t.imports, needs: 'office.write' },
  { key: 'invite-sheets', path: '/invite-sheets', label: t.inviteSheets, needs: 'office.write' },
  { key: 'settings', path: '/settings', label: t.settings, needs: 'office.write' },
  { key: 'pdpa', path: '/pdpa', label: t.pdpa, needs: 'office.read' },
  { key: 'audit', path: '/audit', label: t.audit, needs: 'office.read' },
];

export type NavEntry = (typeof SECTIONS)[number];

/** The menu a scope sees: only what it may open (the pages' guards refuse the rest). */
export function sectionsFor(scope: Scope, facts: MenuFacts): NavEntry[] {
  return SECTIONS.filter((s) => (typeof s.needs === 'function' ? s.needs(scope, facts) : can(scope, s.needs)));
}

export function Layout(props: {
  title: string;
  signedIn: boolean;
  office?: { code: string; name_th: string };
  active?: Section;
  /** The menu entries this session may open (sectionsFor). */
  sections: NavEntry[];
  /** A same-origin script that enhances the page (progressive: the page works without it). */
  script?: string;
  children?: Child;
}): Child {
  const { office } = props;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="th">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="same-origin" />
          <title>
            {props.title} · {t.appName}
          </title>
          <style>{raw(CSS)}</style>
          {props.script === undefined ? null : <script src={props.script} defer />}
        </head>
        <body>
          <a class="skip" href="#main">
            {t.skipToContent}
          </a>
          <header class="top">
            <strong>
              <a href="/admin/offices">{t.appName}</a>
            </strong>
            {office === undefined ? null : <span>{office.name_th}</span>}
            {props.signedIn ? (
              <form method="post" action="/admin/logout">
                <button type="submit">{t.signOut}</button>
              </form>
            ) : null}
          </header>
          {office === undefined ? null : (
            <nav class="office" aria-label="เมนูสำนักงาน / Office menu" style="padding:8px 16px;background:#fff">
              <ul>
                {props.sections.map(({ key, path, label }) => (
                  <li>
                    <a
                      href={`/admin/offices/${encodeURIComponent(office.code)}${path}`}
                      aria-current={props.active === key ? 'page' : undefined}
                    >
                      {label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <main id="main">
            <h1>{props.title}</h1>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}
