/** The one error type of Lathe: a stable code for programs, a message for a person. */
export class LatheError extends Error {
  readonly code: string;
  readonly file?: string;

  constructor(code: string, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(options.file ? `${options.file}: ${message}` : message, { cause: options.cause });
    this.name = 'LatheError';
    this.code = code;
    this.file = options.file;
  }
}

export function isLatheError(value: unknown): value is LatheError {
  return value instanceof Error && (value as LatheError).name === 'LatheError' && typeof (value as LatheError).code === 'string';
}

/** A message fit for a person from anything thrown. */
export function errorMessage(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}
