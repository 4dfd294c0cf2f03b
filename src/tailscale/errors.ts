// Typed failures of the Tailscale API client. Every message names the call in words, the HTTP method
// and path, what the server said, and (when we can tell) what the user should do; every message is
// passed through redact() so a secret echoed by a server or a proxy never reaches a log.
import { redact } from '../secrets.js';
import type { PolicyErrorData } from '../domain/policy.js';

/** Which call failed: `operation` in words ("list users"), the method, and the path without query. */
export interface CallSite {
  operation: string;
  method: string;
  path: string;
}

export function describeCall(call: CallSite): string {
  return `${call.operation} (${call.method} ${call.path})`;
}

/**
 * The client was asked for something it cannot or will not do, before any request: a base URL that
 * is not a URL, an empty credential, a path segment of `..`, making someone owner.
 */
export class ClientUsageError extends Error {
  constructor(message: string) {
    super(redact(message));
    this.name = 'ClientUsageError';
  }
}

/** Base of every error a failed call throws, so a caller can catch them all. */
export class TailscaleError extends Error {
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  constructor(call: CallSite, detail: string) {
    super(redact(`${describeCall(call)}: ${detail}`));
    this.name = 'TailscaleError';
    this.operation = call.operation;
    this.method = call.method;
    this.path = call.path;
  }
}

export interface ApiErrorInit {
  status: number;
  /** The body's `message`, or the raw text of a body that is not JSON (truncated). */
  apiMessage?: string;
  /** What to do about it, in a user's words. */
  hint?: string;
  data?: PolicyErrorData[];
}

/** The server answered, with a status that means failure. */
export class TailscaleApiError extends TailscaleError {
  readonly status: number;
  readonly apiMessage?: string;
  readonly hint?: string;
  readonly data?: PolicyErrorData[];
  constructor(call: CallSite, init: ApiErrorInit) {
    const said = init.apiMessage ? `${init.status} ${init.apiMessage}` : `${init.status} (empty answer)`;
    super(call, init.hint ? `${said} — ${init.hint}` : said);
    this.name = 'TailscaleApiError';
    this.status = init.status;
    if (init.apiMessage !== undefined) this.apiMessage = redact(init.apiMessage);
    if (init.hint !== undefined) this.hint = init.hint;
    if (init.data !== undefined) this.data = init.data;
  }
}

/**
 * 412: the policy changed since its ETag was read. Never retried by the client: the caller must read
 * the policy again, re-plan, and write with the new ETag. A policy write replayed after a network
 * error that had in fact been applied also ends here; the re-read then shows nothing left to do.
 */
export class PreconditionFailedError extends TailscaleApiError {
  constructor(call: CallSite, init: ApiErrorInit) {
    super(call, init);
    this.name = 'PreconditionFailedError';
  }
}

/** 400 to a policy write: the new policy does not parse or its tests fail. */
export class PolicyRejectedError extends TailscaleApiError {
  /** Where in the text sent, when the server said `line N, column M`. */
  readonly line?: number;
  readonly column?: number;
  constructor(call: CallSite, init: ApiErrorInit) {
    super(call, init);
    this.name = 'PolicyRejectedError';
    const at = /\bline (\d+),? column (\d+)/i.exec(init.apiMessage ?? '');
    if (at) {
      this.line = Number(at[1]);
      this.column = Number(at[2]);
    }
  }
}

/** A success status with a body that is not what the Tailscale API sends (wrong base URL, a proxy page). */
export class UnexpectedResponseError extends TailscaleApiError {
  constructor(call: CallSite, status: number, problem: string, host: string) {
    super(call, {
      status,
      apiMessage: problem,
      hint:
        `the server at ${host} sent an answer this version does not understand; check the base URL (or update ` +
        `tailnet-access)`,
    });
    this.name = 'UnexpectedResponseError';
  }
}

/** No answer at all: connection refused or reset, DNS, TLS, or a timeout. */
export class TailscaleNetworkError extends TailscaleError {
  readonly host: string;
  /** E.g. `ECONNRESET`, `UND_ERR_SOCKET`, `TIMEOUT`. */
  readonly code: string;
  readonly attempts: number;
  constructor(call: CallSite, init: { host: string; code: string; reason: string; attempts: number; cause?: unknown }) {
    const tries = init.attempts > 1 ? ` (${init.attempts} attempts)` : '';
    super(call, `no answer from ${init.host}: ${init.reason}${tries} — check the network, any proxy, and the base URL`);
    this.name = 'TailscaleNetworkError';
    this.host = init.host;
    this.code = init.code;
    this.attempts = init.attempts;
    if (init.cause !== undefined) this.cause = init.cause;
  }
}
