/** The one error type of Lathe: a stable code for programs, a message for a person. */

/** Every code a LatheError carries: programs (the CLI, tests, the UI) may rely on them. */
export const ERROR_CODES = [
  // input files and documents
  'not-audio', 'bad-header', 'no-audio', 'truncated', 'unsupported', 'unsupported-codec', 'compressed', 'decode-failed',
  'bad-json', 'bad-album', 'bad-archive', 'missing-source', 'missing-asset', 'no-file', 'not-found', 'bad-name',
  // values and edits
  'bad-value', 'bad-trim', 'bad-split', 'bad-mark', 'no-tracks', 'bad-isrc', 'bad-upc', 'bad-cdtext', 'bad-artwork', 'bad-window', 'bad-format', 'bad-variant',
  'no-such-project', 'no-such-track', 'no-such-clip', 'no-such-chain', 'no-such-slot',
  // rendering and delivery
  'not-cd-ready', 'not-cd-rate', 'bad-samples', 'render-short', 'render-failed', 'cancelled', 'out-not-empty',
  'bad-ddp', 'too-short', 'too-long', 'export-failed', 'import-failed', 'read-failed', 'no-space',
  // plugins
  'plugin-unavailable', 'plugin-error', 'plugin-nan', 'plugin-load', 'plugin-create', 'plugin-render', 'plugin-url',
  'plugin-unconfirmed', 'plugin-changed', 'plugin-eval', 'plugin-state', 'plugin-invalid', 'plugin-timeout', 'not-a-plugin', 'timeout',
  // the machine
  'no-chromium', 'build-failed', 'failed'
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class LatheError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  /** The message without the file it names. */
  readonly detail: string;

  constructor(code: ErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(options.file ? `${options.file}: ${message}` : message, { cause: options.cause });
    this.name = 'LatheError';
    this.code = code;
    this.file = options.file;
    this.detail = message;
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

/** How an error crosses between threads (Comlink and worker_threads alike): plain, cloneable data. */
export interface WireError {
  code: ErrorCode;
  detail: string;
  file?: string;
}

export function errorToWire(value: unknown, fallback: ErrorCode = 'failed'): WireError {
  if (isLatheError(value)) return { code: value.code, detail: value.detail ?? value.message, ...(value.file ? { file: value.file } : {}) };
  return { code: fallback, detail: errorMessage(value) };
}

export function errorFromWire(wire: WireError): LatheError {
  const code = (ERROR_CODES as readonly string[]).includes(wire.code) ? wire.code : 'failed';
  return new LatheError(code, wire.detail, wire.file ? { file: wire.file } : {});
}
