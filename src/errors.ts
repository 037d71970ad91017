// One error model for the whole app: a closed set of codes, each with its HTTP status, mapped in one place.
// Internal messages never reach a caller; `issues` names the row and field of bad admin input.

export const errorStatus = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_requests: 429,
  bad_request: 400,
  invalid_request: 400,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldIssue {
  /** The worksheet, when the file has several (an XLSForm: survey, choices, settings). */
  sheet?: string;
  /** The row the error is about: zero-based in a JSON bulk body; the spreadsheet row (header = 1) in a CSV import. */
  row?: number;
  /** The column's header as written in the sheet, and the cell's address (F12), for workbooks. */
  column?: string;
  cell?: string;
  /** Dotted path of the field inside the row (or the body). */
  field: string;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
  get status(): (typeof errorStatus)[ErrorCode] {
    return errorStatus[this.code];
  }
  toJSON(): { error: { code: ErrorCode; message: string; issues?: FieldIssue[] } } {
    return this.body();
  }
  /** The one error body; `requestId` ties it to the request's log lines (and its X-Request-Id header). */
  body(requestId?: string): {
    error: { code: ErrorCode; message: string; issues?: FieldIssue[]; requestId?: string };
  } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues.length > 0 ? { issues: this.issues } : {}),
        ...(requestId === undefined ? {} : { requestId }),
      },
    };
  }
}
