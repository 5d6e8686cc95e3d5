/**
 * Typed errors that cross boundaries (messages, HTTP, configs). The `code` is stable and
 * machine-readable; the `message` is one human sentence that can be shown to the user as is.
 */
export const errorCodes = [
  'BAD_REQUEST',
  'UNKNOWN_MESSAGE',
  'INVALID_PARAMS',
  'FORBIDDEN_SENDER',
  'NOT_READY',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number] | (string & {});

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

export class CrowdsellError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CrowdsellError';
    this.code = code;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

/** Turns anything thrown into a payload without leaking internals (stack, key material). */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof CrowdsellError) return error.toPayload();
  return { code: 'INTERNAL', message: 'Something went wrong inside Crowdsell; please try again.' };
}
