// The peer for nithet's webhook bench: the same 5-question checklist as bench/peer.ts publishes for nithet, built
// the way a Bottender 1.5 LINE bot is built (LineBot, its LINE connector checking the signature, the in-memory
// session store, replies batched by LineContext). Bottender's own `bottender start` finds bots through
// bottender.config.js; this file does what its Server.run does (connector.preprocess, then the request handler)
// on a plain node:http server so the bench can give it a port, the fake LINE's origin and the channel secret.
//
// Env: PORT (0 = any), LINE_ORIGIN (the fake LINE API), LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN,
// PEER_SYNC=1 to answer 200 only after the handler ran, the reply was sent and the session written (Bottender's
// `sync` option; its default answers 200 first). Prints `listening <port>` on stdout when ready.
'use strict';

const http = require('node:http');
const { LineBot, MemorySessionStore } = require('bottender');

const QUESTIONS = [
  'ข้อ 1/5 การวางแผนพัฒนาคุณภาพการศึกษา อยู่ในระดับใด',
  'ข้อ 2/5 การดำเนินงานตามแผน อยู่ในระดับใด',
  'ข้อ 3/5 การติดตามและประเมินผล อยู่ในระดับใด',
  'ข้อ 4/5 การมีส่วนร่วมของผู้ปกครองและชุมชน อยู่ในระดับใด',
  'ข้อ 5/5 การรายงานผลการดำเนินงาน อยู่ในระดับใด',
];
const LEVELS = ['กำลังพัฒนา', 'ปานกลาง', 'ดี', 'ดีเลิศ', 'ยอดเยี่ยม'];
const quickReply = {
  items: LEVELS.map((label, i) => ({
    type: 'action',
    action: { type: 'message', label: `${i + 1} ${label}`, text: String(i + 1) },
  })).reverse(),
};

/** "๔", "4" or "ดีเลิศ" → 4; undefined when it is not one of the 5 levels. */
function parseLevel(text) {
  const t = text.trim().replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50));
  const n = Number.parseInt(t, 10);
  if (n >= 1 && n <= 5) return n;
  const i = LEVELS.indexOf(t);
  return i < 0 ? undefined : i + 1;
}

async function checklist(context) {
  if (!context.event.isText) return;
  const { step, answers } = context.state;
  const level = parseLevel(context.event.text);
  if (level === undefined) {
    await context.replyText(`กรุณาเลือกระดับ 1-5\n${QUESTIONS[step]}`, { quickReply });
    return;
  }
  const next = [...answers, level];
  if (step + 1 < QUESTIONS.length) {
    await context.setState({ step: step + 1, answers: next });
    await context.replyText(QUESTIONS[step + 1], { quickReply });
    return;
  }
  // Done: the answers would be saved somewhere here; the next message starts the checklist again.
  await context.setState({ step: 0, answers: [] });
  await context.replyText(`บันทึกคำตอบแล้ว: ${next.join(', ')}`);
}

const bot = new LineBot({
  accessToken: process.env.LINE_CHANNEL_ACCESS_TOKEN,
  channelSecret: process.env.LINE_CHANNEL_SECRET,
  origin: process.env.LINE_ORIGIN,
  sessionStore: new MemorySessionStore(),
  sync: process.env.PEER_SYNC === '1',
});
// A new session is at question 1, as if the checklist had been opened (nithet's people open it with a postback
// before the bench's measured window; the peer needs no such step).
bot.setInitialState({ step: 0, answers: [] });
bot.onEvent(checklist);
bot.onError((context, { error }) => {
  console.error(error);
});
const handle = bot.createRequestHandler();

function send(res, response) {
  if (response === undefined || response === null) {
    res.statusCode = 200;
    res.end('');
    return;
  }
  res.statusCode = response.status || 200;
  if (response.body && typeof response.body === 'object') {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(response.body));
  } else res.end(response.body || '');
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    (async () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://peer');
      const requestContext = {
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        rawBody,
        body: rawBody === '' ? {} : JSON.parse(rawBody),
        params: {},
      };
      if (req.method === 'GET' && url.pathname === '/health') return send(res, { status: 200, body: 'ok' });
      const pre = await bot.connector.preprocess(requestContext);
      if (!pre.shouldNext) return send(res, pre.response);
      send(res, await handle(requestContext.body, requestContext));
    })().catch((err) => {
      console.error(err);
      res.statusCode = 500;
      res.end('Internal Server Error');
    });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
