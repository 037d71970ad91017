// Structured logs without personal data (PDPA): callers pass ids of our own rows, event ids and counts —
// never LINE user ids, names, message text, secrets or connection strings. One JSON object per line.
import { extend } from './objects/extend.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(level: LogLevel, sink: (line: string) => void): Logger {
  const at = (l: LogLevel) => (msg: string, fields?: LogFields) => {
    if (order[l] < order[level]) return;
    sink(JSON.stringify({ level: l, msg, ...fields, t: new Date().toISOString() }));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The same logger with fields on every line (a request's id, a unit's id). */
export function withFields(log: Logger, fields: LogFields): Logger {
  // Made per request: one object whose methods live on its class, rather than four closures each time (Logger's
  // methods are called on their object; lint's unbound-method keeps it so).
  return new FieldsLogger(log, fields);
}

class FieldsLogger implements Logger {
  constructor(
    private readonly log: Logger,
    private readonly fields: LogFields,
  ) {}
  private with(more: LogFields | undefined): LogFields {
    return more === undefined ? this.fields : extend(this.fields, more);
  }
  debug(msg: string, more?: LogFields): void {
    this.log.debug(msg, this.with(more));
  }
  info(msg: string, more?: LogFields): void {
    this.log.info(msg, this.with(more));
  }
  warn(msg: string, more?: LogFields): void {
    this.log.warn(msg, this.with(more));
  }
  error(msg: string, more?: LogFields): void {
    this.log.error(msg, this.with(more));
  }
}

/** An error's class and SQLSTATE/status only: driver messages can quote parameters, i.e. personal data. */
export function errorFields(err: unknown): LogFields {
  if (!(err instanceof Error)) return { error: typeof err };
  const fields: LogFields = { error: err.name };
  let e: unknown = err;
  for (let i = 0; i < 4 && typeof e === 'object' && e !== null; i++) {
    if ('code' in e && typeof e.code === 'string') {
      fields.code = e.code;
      break;
    }
    if ('status' in e && typeof e.status === 'number') {
      fields.status = e.status;
      break;
    }
    e = 'cause' in e ? e.cause : undefined;
  }
  return fields;
}
