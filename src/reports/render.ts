// A report as a printable Thai page (A4, print stylesheet, charts as inline SVG, Sarabun embedded so nothing is
// fetched) and as an XLSX workbook. The page is also the PDF: Chromium prints it on Node (pdf.ts); on Workers the
// reader prints it from the browser.
import { render as renderSheets, type Cell, type Sheet } from '../exports/table.js';
import type { IndicatorCount, Report } from './build.js';
import { fontFacesCss, type ReportFont } from './fonts.js';
import { msg } from '../i18n/msg.js';

const esc = (s: string | number | null | undefined) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

const STYLE = `
@page{size:A4;margin:18mm 15mm}
*{box-sizing:border-box}
body{font-family:'Sarabun',sans-serif;font-size:15px;line-height:1.5;color:#111;margin:0 auto;max-width:190mm;padding:8mm 0}
h1{font-size:22px;margin:0 0 2px}h2{font-size:18px;margin:18px 0 6px;border-bottom:2px solid #1b5e20}
h3{font-size:16px;margin:12px 0 4px}.muted{color:#555}
table{border-collapse:collapse;width:100%;margin:6px 0;font-size:14px}
th,td{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}th{background:#e8f5e9}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.figs{display:flex;gap:10px;flex-wrap:wrap}.fig{border:1px solid #999;padding:6px 10px;min-width:38mm}
.fig b{display:block;font-size:20px}
section{break-inside:avoid-page}h2,h3{break-after:avoid-page}tr{break-inside:avoid}
@media print{body{padding:0;max-width:none}a{color:inherit;text-decoration:none}.noprint{display:none}}
`;

/** Stacked horizontal bars: achieved (green) and not achieved (orange) per row. */
function barsSvg(rows: { label: string; achieved: number; notAchieved: number }[], title: string): string {
  if (rows.length === 0) return '';
  const w = 640;
  const labelW = 250;
  const barH = 18;
  const gap = 8;
  const max = Math.max(1, ...rows.map((r) => r.achieved + r.notAchieved));
  const scale = (w - labelW - 50) / max;
  const h = rows.length * (barH + gap) + 30;
  const bars = rows
    .map((r, i) => {
      const y = i * (barH + gap) + 4;
      const a = r.achieved * scale;
      const n = r.notAchieved * scale;
      const label = r.label.length > 42 ? `${r.label.slice(0, 41)}…` : r.label;
      return (
        `<text x="0" y="${y + 14}" font-size="12">${esc(label)}</text>` +
        `<rect x="${labelW}" y="${y}" width="${a.toFixed(1)}" height="${barH}" fill="#2e7d32"/>` +
        `<rect x="${(labelW + a).toFixed(1)}" y="${y}" width="${n.toFixed(1)}" height="${barH}" fill="#ef6c00"/>` +
        `<text x="${(labelW + a + n + 4).toFixed(1)}" y="${y + 14}" font-size="12">${r.achieved}/${r.achieved + r.notAchieved}</text>`
      );
    })
    .join('');
  const ly = h - 10;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="100%" viewBox="0 0 ${w} ${h}" font-family="Sarabun, sans-serif">` +
    `<title>${esc(title)}</title>${bars}` +
    `<rect x="${labelW}" y="${ly - 10}" width="12" height="12" fill="#2e7d32"/><text x="${labelW + 16}" y="${ly}" font-size="12">ผ่านเป้าหมาย</text>` +
    `<rect x="${labelW + 110}" y="${ly - 10}" width="12" height="12" fill="#ef6c00"/><text x="${labelW + 126}" y="${ly}" font-size="12">ต่ำกว่าเป้าหมาย</text>` +
    `</svg>`
  );
}

const gapText = (g: number | null) => (g === null ? '–' : `${g > 0 ? '+' : ''}${g}`);

function indicatorTable(rows: IndicatorCount[]): string {
  return `<table><thead><tr><th scope="col">ตัวชี้วัด</th><th scope="col">ผ่าน (นิเทศ)</th><th scope="col">ไม่ผ่าน (นิเทศ)</th><th scope="col">ผ่าน (ประเมินตนเอง)</th><th scope="col">ไม่ผ่าน (ประเมินตนเอง)</th><th scope="col">ผลต่างเฉลี่ย</th></tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr><th scope="row">${esc(r.label)}</th><td class="n">${r.achieved}</td><td class="n">${r.notAchieved}</td><td class="n">${r.selfAchieved}</td><td class="n">${r.selfNotAchieved}</td><td class="n">${gapText(r.meanGap)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

/** The printable page. */
/** The page, with Sarabun embedded from `fonts` (Deps.reportFonts). */
export function reportHtml(r: Report, fonts: readonly ReportFont[]): string {
  const c = r.coverage;
  const parts: string[] = [];
  parts.push(
    `<header><h1>${esc(r.title)}</h1><p>${esc(r.scopeName)}${r.kind === 'office' ? '' : ` · ${esc(r.office)}`} · ${esc(r.period.label)}</p>` +
      (r.cut === null ? '' : `<p data-part="cut">เฉพาะโรงเรียน: ${esc(r.cut)}</p>`) +
      `<p class="muted">ช่วงวันที่ ${esc(r.period.from)} ถึง ${esc(r.period.to)}${r.period.assumed ? ` (${msg.reports.assumed})` : ''} · จัดทำเมื่อ ${esc(r.generatedAt)}</p></header>`,
  );
  parts.push(
    `<section data-part="coverage"><h2>1. การนิเทศที่ดำเนินการ (ความครอบคลุม)</h2><div class="figs">` +
      `<div class="fig">โรงเรียนทั้งหมด<b>${c.schools}</b></div><div class="fig">ได้รับการนิเทศ<b>${c.visited}</b></div>` +
      `<div class="fig">ร้อยละ<b>${c.percent ?? '–'}</b></div><div class="fig">ครั้งที่นิเทศ<b>${c.visits}</b></div>` +
      `<div class="fig">ผ่านเกณฑ์ / ยังไม่ผ่าน<b>${r.decisions.achieved} / ${r.decisions.notYet}</b></div>` +
      `<div class="fig">ข้อตกลง ค้าง / เสร็จ / เกินกำหนด<b>${r.actions.open} / ${r.actions.done} / ${r.actions.overdue}</b></div></div>` +
      (r.byCluster.length > 1
        ? `<table><thead><tr><th scope="col">เครือข่าย</th><th scope="col">โรงเรียน</th><th scope="col">ได้รับการนิเทศ</th></tr></thead><tbody>${r.byCluster
            .map(
              (b) =>
                `<tr><th scope="row">${esc(b.name)}</th><td class="n">${b.schools}</td><td class="n">${b.visited}</td></tr>`,
            )
            .join('')}</tbody></table>`
        : '') +
      `</section>`,
  );
  parts.push(
    `<section data-part="indicators"><h2>2. ผลการประเมินรายตัวชี้วัด (ผ่าน / ไม่ผ่านเป้าหมาย)</h2>` +
      (r.indicators.length === 0
        ? '<p>ยังไม่มีผลการนิเทศที่บันทึกในช่วงนี้</p>'
        : barsSvg(r.indicators, 'ผลการนิเทศรายตัวชี้วัด') + indicatorTable(r.indicators)) +
      `</section>`,
  );
  parts.push(
    `<section data-part="sar"><h2>3. รายงานการประเมินตนเอง (SAR)</h2><p>ส่งแล้ว ${r.sarSubmitted} โรงเรียน</p>` +
      (r.sarStandards.length === 0 ? '' : barsSvg(r.sarStandards, 'ผลการประเมินตนเองรายมาตรฐาน')) +
      `</section>`,
  );
  const themeKinds = ['strength', 'improve', 'recommendation'] as const;
  parts.push(
    `<section data-part="themes"><h2>4. จุดเด่น จุดที่ควรพัฒนา และข้อเสนอแนะ</h2>` +
      themeKinds
        .map((k) => {
          const ts = r.themes.filter((t) => t.kind === k);
          if (ts.length === 0) return '';
          return (
            `<h3>${esc(msg.reports.feedback[k])}</h3>` +
            ts
              .map(
                (t) =>
                  `<p><b>${esc(t.under ?? msg.reports.overall)}</b> <span class="muted">(${t.texts} ข้อความ)</span></p>` +
                  (t.phrases.length === 0
                    ? '<p class="muted">ไม่มีประเด็นที่ซ้ำกัน</p>'
                    : `<table data-theme="${k}"><thead><tr><th scope="col">ประเด็น</th><th scope="col">จำนวนโรงเรียน</th><th scope="col">โรงเรียน</th></tr></thead><tbody>${t.phrases
                        .map(
                          (p) =>
                            `<tr><td>${esc(p.phrase)}</td><td class="n">${p.schools.length}</td><td>${esc(p.schools.join(', '))}</td></tr>`,
                        )
                        .join('')}</tbody></table>`),
              )
              .join('')
          );
        })
        .join('') +
      `</section>`,
  );
  parts.push(
    `<section data-part="best"><h2>5. แนวปฏิบัติที่ดี (Best Practice)</h2>` +
      (r.bestPractices.length === 0
        ? '<p>ไม่มี</p>'
        : `<table><thead><tr><th scope="col">โรงเรียน</th><th scope="col">แนวปฏิบัติที่ดี</th><th scope="col">ผู้เสนอ</th></tr></thead><tbody>${r.bestPractices
            .map((b) => `<tr><th scope="row">${esc(b.school)}</th><td>${esc(b.text)}</td><td>${esc(b.by)}</td></tr>`)
            .join('')}</tbody></table>`) +
      `</section>`,
  );
  if (r.honours !== undefined) {
    const [rank, code, school, why] = msg.reports.honours.header;
    parts.push(
      `<section data-part="honours"><h2>6. ${esc(msg.reports.honours.heading)}</h2>` +
        (r.honours.length === 0
          ? '<p>ไม่มี</p>'
          : r.honours
              .map(
                (l) =>
                  `<h3>${esc(l.title)}</h3><p class="muted">${esc(msg.reports.honours.published(l.published))}</p>` +
                  (l.message === '' ? '' : `<p>${esc(l.message)}</p>`) +
                  `<table><thead><tr><th scope="col">${rank}</th><th scope="col">${code}</th><th scope="col">${school}</th><th scope="col">${why}</th></tr></thead><tbody>${l.schools
                    .map(
                      (h) =>
                        `<tr><td>${h.rank}</td><td>${esc(h.code)}</td><th scope="row">${esc(h.name)}</th><td>${esc(h.why)}</td></tr>`,
                    )
                    .join('')}</tbody></table>`,
              )
              .join('')) +
        `</section>`,
    );
  }
  if (r.school !== undefined) {
    const s = r.school;
    const fb = msg.reports.sarFeedback;
    parts.push(
      `<section data-part="sar-feedback"><h2>${esc(fb.heading)}</h2>` +
        (s.sarFeedback.length === 0
          ? '<p>ไม่มี</p>'
          : `<table><thead><tr>${fb.header.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${s.sarFeedback
              .map(
                (f) =>
                  `<tr><th scope="row">${esc(f.standard)}</th><td>${esc(f.body)}</td><td>${esc(f.by)}</td><td>${esc(f.when)}</td><td>${esc(f.answer)}</td></tr>`,
              )
              .join('')}</tbody></table>`) +
        '</section>',
    );
    parts.push(
      `<section data-part="school"><h2>6. รายละเอียดของโรงเรียน</h2><h3>การนิเทศ</h3>` +
        (s.visits.length === 0 ? '<p>ไม่มี</p>' : '') +
        s.visits
          .map(
            (v) =>
              `<p><b>${esc(v.when)}</b> · ${esc(v.supervisor)} · ${esc(v.decision === null ? v.status : msg.reports.decision[v.decision])}${v.overall === null ? '' : ` · ระดับโดยรวม ${esc(v.overall)}`}</p>` +
              (v.ratings.length === 0
                ? ''
                : `<table data-ratings><thead><tr><th scope="col">ตัวชี้วัด</th><th scope="col">ประเมินตนเอง</th><th scope="col">ผลการนิเทศ</th><th scope="col">ผลต่าง</th><th scope="col">ผลการตัดสิน</th></tr></thead><tbody>${v.ratings
                    .map(
                      (p) =>
                        `<tr><th scope="row">${esc(p.label)}</th><td class="n">${p.self ?? '–'}</td><td class="n">${p.supervisor ?? '–'}</td><td class="n">${gapText(p.gap)}</td><td>${p.achieved === null ? '–' : p.achieved ? 'ผ่านเป้าหมาย' : 'ต่ำกว่าเป้าหมาย'}</td></tr>`,
                    )
                    .join('')}</tbody></table>`) +
              [
                ['จุดเด่น', v.strengths],
                ['จุดที่ควรพัฒนา', v.improve],
                ['ข้อเสนอแนะ', v.suggestions],
                ['แนวปฏิบัติที่ดี', v.bestPractice],
              ]
                .filter(([, t]) => t !== null)
                .map(([h, t]) => `<p><b>${esc(h)}:</b> ${esc(t)}</p>`)
                .join(''),
          )
          .join('') +
        `<h3>ข้อตกลงและสถานะ</h3>` +
        (s.actions.length === 0
          ? '<p>ไม่มี</p>'
          : `<table><thead><tr><th scope="col">สิ่งที่ต้องดำเนินการ</th><th scope="col">ผู้รับผิดชอบ</th><th scope="col">กำหนดเสร็จ</th><th scope="col">สถานะ</th></tr></thead><tbody>${s.actions
              .map(
                (a) =>
                  `<tr><td>${esc(a.what)}</td><td>${esc(a.owner ?? '–')}</td><td>${esc(a.due ?? '–')}</td><td>${a.status === 'done' ? 'ดำเนินการแล้ว' : 'ค้าง'}</td></tr>`,
              )
              .join('')}</tbody></table>`) +
        `<h3>SAR รายมาตรฐาน</h3>` +
        (s.sar.length === 0
          ? '<p>ยังไม่ได้ส่ง SAR</p>'
          : `<table><thead><tr><th scope="col">มาตรฐาน</th><th scope="col">ระดับ</th><th scope="col">ค่าเป้าหมาย</th><th scope="col">ผลการตัดสิน</th></tr></thead><tbody>${s.sar
              .map(
                (x) =>
                  `<tr><th scope="row">${esc(x.label)}</th><td class="n">${x.level ?? '–'}</td><td class="n">${x.target ?? '–'}</td><td>${x.achieved === null ? '–' : x.achieved ? 'ผ่านเป้าหมาย' : 'ต่ำกว่าเป้าหมาย'}</td></tr>`,
              )
              .join('')}</tbody></table>`) +
        `<h3>การประเมินตนเองก่อนรับการนิเทศ</h3>` +
        (s.self.length === 0
          ? '<p>ยังไม่ได้ส่ง</p>'
          : `<table><tbody>${s.self.map((x) => `<tr><th scope="row">${esc(x.label)}</th><td class="n">${x.level ?? '–'}</td></tr>`).join('')}</tbody></table>`) +
        `</section>`,
    );
  }
  return `<!doctype html><html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(r.title)} · ${esc(r.scopeName)} · ${esc(r.period.label)}</title><style>${fontFacesCss(fonts)}${STYLE}</style></head><body>${parts.join('\n')}</body></html>`;
}

/** The workbook: a summary, the indicators, the grouped phrases, best practices, and (one school) its ratings. */
export async function reportXlsx(r: Report): Promise<{ body: Uint8Array; contentType: string }> {
  const sheets: Sheet[] = [
    {
      name: 'สรุป summary',
      header: ['รายการ / item', 'ค่า / value'],
      rows: [
        ['รายงาน / report', r.title],
        ['ขอบเขต / scope', r.scopeName],
        ...(r.cut === null ? [] : [['เฉพาะโรงเรียน / schools cut to', r.cut]]),
        ['ช่วงเวลา / period', `${r.period.label} (${r.period.from} – ${r.period.to})`],
        ['โรงเรียนทั้งหมด / schools', r.coverage.schools],
        ['ได้รับการนิเทศ / visited', r.coverage.visited],
        ['ร้อยละ / percent', r.coverage.percent],
        ['ครั้งที่นิเทศ / visits', r.coverage.visits],
        ['ผ่านเกณฑ์ / achieved', r.decisions.achieved],
        ['ยังไม่ผ่าน / not yet', r.decisions.notYet],
        ['ข้อตกลงค้าง / actions open', r.actions.open],
        ['ข้อตกลงเสร็จ / actions done', r.actions.done],
        ['ข้อตกลงเกินกำหนด / actions overdue', r.actions.overdue],
        ['ส่ง SAR / SARs', r.sarSubmitted],
      ],
    },
    {
      name: 'ตัวชี้วัด indicators',
      header: [
        'ตัวชี้วัด / indicator',
        'มาตรฐาน / standard',
        'ผ่าน (นิเทศ) / achieved',
        'ไม่ผ่าน (นิเทศ) / not_achieved',
        'ผ่าน (ตนเอง) / self_achieved',
        'ไม่ผ่าน (ตนเอง) / self_not_achieved',
        'ผลต่างเฉลี่ย / mean_gap',
      ],
      rows: [
        ...r.indicators.map((i): Cell[] => [
          i.label,
          i.under,
          i.achieved,
          i.notAchieved,
          i.selfAchieved,
          i.selfNotAchieved,
          i.meanGap,
        ]),
        ...r.sarStandards.map((s): Cell[] => [s.label, 'SAR', s.achieved, s.notAchieved, null, null, null]),
      ],
    },
    {
      name: 'ประเด็น themes',
      header: [
        'ประเภท / kind',
        'มาตรฐาน/ตัวชี้วัด / under',
        'ประเด็น / phrase',
        'จำนวนโรงเรียน / schools',
        'โรงเรียน / school_names',
      ],
      rows: r.themes.flatMap((t) =>
        t.phrases.map((p): Cell[] => [
          msg.reports.feedback[t.kind],
          t.under ?? msg.reports.overall,
          p.phrase,
          p.schools.length,
          p.schools.join(', '),
        ]),
      ),
    },
    {
      name: 'แนวปฏิบัติที่ดี best practices',
      header: ['โรงเรียน / school', 'แนวปฏิบัติที่ดี / best_practice', 'ผู้เสนอ / by'],
      rows: r.bestPractices.map((b): Cell[] => [b.school, b.text, b.by]),
    },
  ];
  if (r.honours !== undefined) {
    sheets.push({
      name: 'ยกย่องเชิดชูเกียรติ honours',
      header: ['ประกาศ / list', 'เผยแพร่ / published', 'อันดับ / rank', 'รหัส / code', 'โรงเรียน / school', 'เหตุผล / why'],
      rows: r.honours.flatMap((l) =>
        l.schools.map((h): Cell[] => [l.title, l.published, h.rank, h.code, h.name, h.why]),
      ),
    });
  }
  if (r.school !== undefined) {
    sheets.push({
      name: 'เทียบผลประเมิน ratings',
      header: ['วันที่นิเทศ / date', 'ตัวชี้วัด / indicator', 'ประเมินตนเอง / self', 'ผลการนิเทศ / supervisor', 'ผลต่าง / gap'],
      rows: r.school.visits.flatMap((v) =>
        v.ratings.map((p): Cell[] => [v.when, p.label, p.self, p.supervisor, p.gap]),
      ),
    });
    sheets.push({
      name: 'ข้อเสนอแนะ SAR feedback',
      header: [...msg.reports.sarFeedback.header],
      rows: r.school.sarFeedback.map((f): Cell[] => [f.standard, f.body, f.by, f.when, f.answer]),
    });
  }
  const out = await renderSheets(sheets, 'xlsx');
  return { body: out.body as Uint8Array, contentType: out.contentType };
}
