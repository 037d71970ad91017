// The global words: understood in every flow (each flow decides what they mean there).
import { commandKey, findWord } from './normalize.js';
import type { GlobalCommand } from './types.js';

const globalWords: Record<string, GlobalCommand> = {
  เมนู: 'menu',
  หน้าหลัก: 'menu',
  menu: 'menu',
  home: 'menu',
  สถานะ: 'status',
  status: 'status',
  ช่วยเหลือ: 'help',
  วิธีใช้: 'help',
  help: 'help',
  '?': 'help',
  ยกเลิก: 'cancel',
  cancel: 'cancel',
  ย้อนกลับ: 'back',
  กลับ: 'back',
  back: 'back',
  ข้าม: 'skip',
  skip: 'skip',
  // Pausing: what people type to stop for now; like เมนู, a running checklist is paused with its answers kept.
  หยุด: 'menu',
  พักก่อน: 'menu',
  พักไว้ก่อน: 'menu',
  ไว้ก่อน: 'menu',
  เดี๋ยวมาทำต่อ: 'menu',
  stop: 'menu',
};

const pauseWords = new Set(['หยุด', 'พักก่อน', 'พักไว้ก่อน', 'ไว้ก่อน', 'เดี๋ยวมาทำต่อ', 'stop']);

/** The text is one of the pausing words (a text question asks back before taking it as the answer). */
export function isPauseWord(text: string): boolean {
  return findWord(commandKey(text), (form) => (pauseWords.has(form) ? true : undefined)) !== null;
}

export function globalCommand(text: string): GlobalCommand | null {
  return findWord(commandKey(text), (form) => globalWords[form]);
}
