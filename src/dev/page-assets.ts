// The simulator page's stylesheet and script, inlined into the page: small enough to need no build or bundler.
// The script only sends what a tap or a typed line means (as JSON to /dev/api/…) and swaps in server-rendered
// HTML; all of the LINE rendering is on the server (render.tsx).

/** Sarabun served by the app itself (routes.tsx, from @fontsource/sarabun): the page looks the same on every machine. */
const FONTS = [400, 700]
  .flatMap((weight) =>
    [
      ['thai', 'U+0E01-0E5B,U+200C-200D,U+25CC'],
      [
        'latin',
        'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD',
      ],
    ].map(
      ([script, range]) =>
        `@font-face{font-family:"Sarabun";font-style:normal;font-weight:${weight};font-display:swap;src:url(/dev/fonts/sarabun-${script}-${weight}-normal.woff2) format("woff2");unicode-range:${range}}`,
    ),
  )
  .join('\n');

export const PAGE_CSS = `
${FONTS}
*{box-sizing:border-box}
body{margin:0;font-family:"Sarabun",sans-serif;background:#eef1f5;color:#111;font-size:14px}
.top{background:#06C755;color:#fff;padding:10px 16px;font-size:15px}
main{display:flex;gap:16px;padding:16px;align-items:flex-start}
h2{font-size:14px;margin:0 0 8px}
.personas{width:230px;display:flex;flex-direction:column;gap:6px}
.persona{display:flex;flex-direction:column;padding:8px 10px;border-radius:8px;background:#fff;color:#111;text-decoration:none;border:1px solid #dde}
.persona.active{border-color:#06C755;box-shadow:0 0 0 2px #06C75555}
.persona-role{font-size:12px;color:#666}
.phone{width:430px;background:#7494C0;border-radius:18px;overflow:hidden;display:flex;flex-direction:column;height:calc(100vh - 80px);min-height:560px}
.pick{color:#fff;padding:24px}
.chat-head{background:#243447;color:#fff;padding:10px 14px;display:flex;flex-direction:column}
.chat-head small{color:#c9d3df}
.chat{flex:1;overflow-y:auto;padding:12px 10px;display:flex;flex-direction:column;gap:8px}
.empty{color:#eef;text-align:center}
.row{display:flex;align-items:flex-end;gap:6px;max-width:100%}
.row.user{flex-direction:row-reverse}
.avatar{width:32px;height:32px;border-radius:50%;background:#06C755;color:#fff;display:flex;align-items:center;justify-content:center;flex:0 0 auto;align-self:flex-start}
.msg{max-width:78%;min-width:0}
.msg.wide{max-width:calc(100% - 80px)}
.bubble-text .text{background:#fff;border-radius:16px;padding:8px 12px;white-space:pre-wrap;word-break:break-word;line-height:1.45}
.row.user .bubble-text .text{background:#8DE055}
.meta{font-size:10px;color:#e8eef6;flex:0 0 auto;display:flex;flex-direction:column;align-items:flex-end}
.push-tag{background:#ffcc00;color:#333;border-radius:4px;padding:0 4px;margin-bottom:2px}
.photo{max-width:180px;border-radius:12px;display:block}
.fx-carousel{display:flex;gap:8px;overflow-x:auto;padding-bottom:4px}
.fx-bubble{background:#fff;border-radius:14px;overflow:hidden;flex:0 0 auto;max-width:100%}
.fx-button{border:0;border-radius:6px;font:inherit;font-size:15px;cursor:pointer;padding:0 8px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.fx-link{background:transparent}
#quick .quick{display:flex;gap:6px;overflow-x:auto;padding:8px 10px;background:#ffffffcc}
.chip{border:1px solid #06C755;background:#fff;color:#06C755;border-radius:16px;padding:6px 12px;font:inherit;font-size:13px;cursor:pointer;white-space:nowrap;display:inline-flex;align-items:center;gap:4px}
.picker{display:inline-flex;align-items:center;gap:4px;white-space:nowrap}
.picker input{font:inherit;font-size:13px;padding:4px;border:1px solid #ccc;border-radius:8px}
.composer{display:flex;gap:6px;padding:8px;background:#fff}
.composer input[name=text]{flex:1;font:inherit;padding:8px 12px;border:1px solid #ccc;border-radius:18px}
.composer button,.photo-button{border:0;background:#06C755;color:#fff;border-radius:18px;padding:0 14px;font:inherit;cursor:pointer;display:flex;align-items:center}
.photo-button{background:#eee;color:#333}
.richmenu{background:#fff;border-top:1px solid #dde}
.richmenu-bar{display:flex;width:100%;align-items:center;justify-content:center;gap:6px;border:0;background:#fff;font:inherit;font-size:13px;padding:6px;cursor:pointer;color:#333}
.richmenu:not(.open) .richmenu-image{display:none}
.richmenu:not(.open) .richmenu-bar svg{transform:rotate(180deg)}
.richmenu-image{position:relative;width:100%;aspect-ratio:2500/1686;background-size:100% 100%;background-repeat:no-repeat}
.richmenu-area{position:absolute;border:0;background:transparent;cursor:pointer;padding:0}
.richmenu-area:hover,.richmenu-area:focus-visible{background:#ffffff33;outline:2px solid #06C755;outline-offset:-2px}
.panel{width:300px;display:flex;flex-direction:column;gap:12px}
.panel section{background:#fff;border-radius:10px;padding:12px;border:1px solid #dde;margin-bottom:12px}
.clock{font-size:15px;font-weight:700;margin:0 0 8px}
.clock-buttons{display:flex;flex-direction:column;gap:6px;margin-bottom:8px}
.panel button{font:inherit;padding:6px 10px;border-radius:8px;border:1px solid #06C755;background:#fff;color:#067a36;cursor:pointer}
.clock-form{display:flex;gap:6px}
.clock-form input{flex:1;min-width:0;font:inherit}
.hint{font-size:12px;color:#666}
.quota-track{height:8px;background:#eee;border-radius:4px;overflow:hidden}
.quota-fill{height:8px;background:#06C755}
#status{font-size:12px;color:#333;min-height:1em;margin:6px 0 0}
body.busy .chat,body.busy #quick{opacity:.7}
@media (max-width:760px){
  main{flex-direction:column;padding:0;gap:0;align-items:stretch}
  .top{padding:6px 12px;font-size:13px}
  .personas{width:100%;flex-direction:row;overflow-x:auto;gap:6px;padding:6px 8px;order:0}
  .personas h2{display:none}
  .persona{flex:0 0 auto;padding:4px 10px}
  .persona-role{display:none}
  .phone{width:100%;border-radius:0;order:1;height:calc(100vh - 86px);height:calc(100dvh - 86px);min-height:420px}
  .panel{width:100%;order:2;padding:8px}
  .msg{max-width:82%}
  .msg.wide{max-width:calc(100% - 44px)}
}
`;

export const PAGE_SCRIPT = `
(() => {
  const as = document.body.dataset.persona || '';
  const $ = (s) => document.querySelector(s);
  const status = (t) => { const el = $('#status'); if (el) el.textContent = t; };
  let inFlight = 0;
  const chat = $('#chat');
  /** The newest message sits above the quick replies: after any change under or beside the chat, scroll to it. */
  const toBottom = () => { if (chat) chat.scrollTop = chat.scrollHeight; };
  const swap = (sel, html) => {
    const el = $(sel);
    if (!el || el.dataset.html === html) return false;
    // Not while the person is typing in it (a date picker among the quick replies): the value would be lost.
    const active = document.activeElement;
    if (sel !== '#chat' && active && active.tagName === 'INPUT' && el.contains(active)) return false;
    el.innerHTML = html;
    el.dataset.html = html;
    return true;
  };
  const setText = (sel, text) => { const el = $(sel); if (el && el.textContent !== text) el.textContent = text; };
  async function refresh() {
    const r = await fetch('/dev/api/view?as=' + encodeURIComponent(as));
    if (!r.ok) return;
    const v = await r.json();
    if (as) {
      const changed = swap('#chat', v.chat) | swap('#quick', v.quick);
      if (changed) toBottom();
    }
    // The clock and the quota change in place: the buttons beside them are never re-rendered.
    setText('.clock', v.clockLabel);
    const clock = $('.clock');
    if (clock) clock.dataset.now = String(v.now);
    setText('.quota-used', v.pushes);
    const fill = $('.quota-fill');
    if (fill) fill.style.width = v.pushPercent + '%';
    const at = $('.clock-form input[name=at]');
    if (at && document.activeElement !== at && at.value < v.clockInput) at.value = v.clockInput;
    document.body.dataset.version = String(v.version);
  }
  async function call(path, body) {
    inFlight++;
    document.body.classList.add('busy');
    try {
      const r = await fetch(path, body instanceof FormData
        ? { method: 'POST', body }
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = await r.json().catch(() => ({}));
      if (!r.ok) status(json.error || ('HTTP ' + r.status));
      return json;
    } finally {
      if (--inFlight === 0) document.body.classList.remove('busy');
      await refresh();
    }
  }
  const send = (action) => call('/dev/api/act?as=' + encodeURIComponent(as), action);
  function act(a, el) {
    if (a.type === 'message') return send({ type: 'text', text: a.text });
    if (a.type === 'postback') return send({ type: 'postback', data: a.data, displayText: a.displayText ?? a.text });
    if (a.type === 'datetimepicker') {
      const input = el.parentElement && el.parentElement.querySelector('input');
      if (!input || !input.value) { if (input) input.focus(); return; }
      const key = a.mode === 'time' ? 'time' : a.mode === 'datetime' ? 'datetime' : 'date';
      return send({ type: 'postback', data: a.data, params: { [key]: input.value } });
    }
    if (a.type === 'uri') { window.open(a.uri, '_blank', 'noopener'); return; }
  }
  document.addEventListener('click', (e) => {
    const t = e.target instanceof Element ? e.target : null;
    const fold = t && t.closest('[data-richmenu-toggle]');
    if (fold) {
      const menu = fold.closest('.richmenu');
      const open = menu.classList.toggle('open');
      fold.setAttribute('aria-expanded', String(open));
      toBottom();
      return;
    }
    const el = t && t.closest('[data-action]');
    if (el && as) { e.preventDefault(); void act(JSON.parse(el.dataset.action), el); return; }
    const clock = t && t.closest('[data-clock]');
    if (clock) { e.preventDefault(); void moveClock(clock.dataset.clock); }
  });
  async function moveClock(to) {
    status('กำลังเลื่อนเวลาและรันรอบงาน…');
    const r = await call('/dev/api/clock', { to });
    if (r && r.now) status('ส่งข้อความ push ' + r.sent + ' รายการ · สรุปรายสัปดาห์ที่วางแผน ' + r.digestsPlanned);
  }
  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    e.preventDefault();
    if (form.id === 'composer') {
      const input = form.elements.namedItem('text');
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      void send({ type: 'text', text });
    } else if (form.classList.contains('clock-form')) {
      const input = form.elements.namedItem('at');
      if (input.value) void moveClock(input.value);
    }
  });
  document.addEventListener('change', (e) => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains('photo-input') || !input.files || !input.files[0]) return;
    const form = new FormData();
    form.append('file', input.files[0]);
    input.value = '';
    void call('/dev/api/upload?as=' + encodeURIComponent(as), form);
  });
  // Photos and the menu image load after the first paint, and a phone turns: keep the newest message in view.
  document.addEventListener('load', (e) => { if (e.target instanceof HTMLImageElement && chat && chat.contains(e.target)) toBottom(); }, true);
  window.addEventListener('resize', toBottom);
  toBottom();
  setInterval(() => { if (inFlight === 0) void refresh(); }, 1500);
})();
`;
