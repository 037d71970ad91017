// The real terminal for `npm run cli`.
import type { CliIo } from './command.js';

export function processIo(): CliIo {
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    write: (data) => void process.stdout.write(data),
    env: process.env,
    now: () => Date.now(),
  };
}
