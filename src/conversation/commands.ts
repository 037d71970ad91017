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
};

export function globalCommand(text: string): GlobalCommand | null {
  return findWord(commandKey(text), (form) => globalWords[form]);
}
