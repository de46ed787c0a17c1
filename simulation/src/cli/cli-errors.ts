/** Errors the CLI turns into one line on stderr and an exit code (never a stack trace). */

/** Bad flags or arguments: exit 2, like commander's own usage errors. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** The backend cannot be reached, or answered something the CLI cannot use: exit 1. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: unknown,
  ) {
    super(message);
  }
}
