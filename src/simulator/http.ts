// What a handler answers, and the errors it throws. Handlers build a SimResponse instead of writing
// to the socket so the server can still swap the answer for a fault after a write was applied.

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An API error answered as `{"message": …}` (plus `data` for policy errors), like Tailscale's. */
export class ApiError extends Error {
  readonly status: number;
  readonly data: unknown[] | undefined;
  constructor(status: number, message: string, data?: unknown[]) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.data = data;
  }
}

export const MESSAGES = {
  tokenInvalid: 'API token invalid',
  notEnoughPermissions: 'calling actor does not have enough permissions to perform this function',
  tailnetMismatch: 'user tailnet does not match',
  preconditionFailed: 'precondition failed, invalid old hash',
  tooManyRequests: 'too many requests',
  notFound: 'not found',
} as const;

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

/** A pre-serialized JSON body (cached user lists, policy JSON). */
export function rawJson(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body };
}

export function text(
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): SimResponse {
  return { status, headers: { 'Content-Type': contentType, ...headers }, body };
}

/** 200 with no body, as Tailscale answers role changes and deletes. */
export function empty(status = 200): SimResponse {
  return { status, headers: {}, body: '' };
}

export function errorResponse(error: ApiError): SimResponse {
  const body: { message: string; data?: unknown[] } = { message: error.message };
  if (error.data) body.data = error.data;
  return json(error.status, body);
}

export function redirect(location: string): SimResponse {
  return {
    status: 302,
    headers: { Location: location, 'Content-Type': 'text/plain; charset=utf-8' },
    body: `Redirecting to ${location}\n`,
  };
}
