// LINE's size limits for Flex messages that the OpenAPI schema does not encode (reference pages):
// a bubble ≤ 30 KB of JSON, a carousel ≤ 12 bubbles and ≤ 50 KB, altText ≤ 1,500 characters.
import type { messagingApi } from '@line/bot-sdk';

const KB = 1000; // LINE does not define KB; the smaller reading is the safe one.

export function flexProblems(message: messagingApi.FlexMessage): string[] {
  const problems: string[] = [];
  const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;
  if (message.altText.length > 1500) problems.push(`altText is ${message.altText.length} characters (max 1500)`);
  const c = message.contents;
  if (c.type === 'bubble' && bytes(c) > 30 * KB) problems.push(`bubble is ${bytes(c)} bytes (max ${30 * KB})`);
  if (c.type === 'carousel') {
    if (c.contents.length > 12) problems.push(`carousel has ${c.contents.length} bubbles (max 12)`);
    if (bytes(c) > 50 * KB) problems.push(`carousel is ${bytes(c)} bytes (max ${50 * KB})`);
    c.contents.forEach((b, i) => {
      if (bytes(b) > 30 * KB) problems.push(`bubble ${i} is ${bytes(b)} bytes (max ${30 * KB})`);
    });
  }
  return problems;
}
