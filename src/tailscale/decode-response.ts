// Turning an HTTP answer into either its JSON or a typed error. The body of a failure is read for
// Tailscale's `{"message", "data"}`, then OAuth's `{"error", "error_description"}`, and otherwise kept
// as raw text (a proxy's HTML page says more than nothing), squeezed and truncated.
import { STATUS_CODES } from 'node:http';
import { escapeControls } from '../escape.js';
import { redact } from '../secrets.js';
import { PreconditionFailedError, TailscaleApiError, UnexpectedResponseError } from './errors.js';
import type { ApiErrorInit, CallSite } from './errors.js';
import { hintFor } from './hints.js';
import type { HintContext } from './hints.js';
import { policyErrorData, ShapeError } from './parse-api-objects.js';
import type { ApiResponse } from './http.js';
import type { PolicyErrorData } from '../domain/policy.js';

const MAX_MESSAGE = 300;

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * Redacts first: cutting first could keep the head of a secret that straddles the cut. Controls are
 * shown as escapes, so a server's ESC sequences or bidi overrides never reach a terminal or a log
 * through a message quoted from it.
 */
function truncate(text: string): string {
  const squeezed = redact(text).replace(/\s+/g, ' ').trim();
  return escapeControls(squeezed.length > MAX_MESSAGE ? `${squeezed.slice(0, MAX_MESSAGE)}…` : squeezed);
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface BodySummary {
  message?: string;
  data?: PolicyErrorData[];
}

export function summariseBody(text: string): BodySummary {
  if (text.trim() === '') return {};
  const json = tryJson(text);
  if (!isRecord(json)) return { message: truncate(text) };
  const out: BodySummary = {};
  if (typeof json.message === 'string' && json.message !== '') out.message = truncate(json.message);
  else if (typeof json.error === 'string') {
    const description = typeof json.error_description === 'string' ? `: ${json.error_description}` : '';
    out.message = truncate(json.error + description);
  } else if (Object.keys(json).length > 0) out.message = truncate(text);
  const data = policyErrorData(json.data);
  if (data && data.length > 0) out.data = data;
  return out;
}

/** What the client knows about a call, for hints; the attempt count comes from the answer. */
export type CallHints = Omit<HintContext, 'attempts'>;

export function errorInit(response: ApiResponse, ctx: CallHints): ApiErrorInit {
  const body = summariseBody(response.text);
  const apiMessage = body.message ?? STATUS_CODES[response.status];
  const hint = hintFor(
    response.status,
    apiMessage ?? '',
    { ...ctx, attempts: response.attempts },
    response.headers.location,
  );
  const init: ApiErrorInit = { status: response.status };
  if (apiMessage !== undefined) init.apiMessage = apiMessage;
  if (hint !== undefined) init.hint = hint;
  if (body.data) init.data = body.data;
  return init;
}

export function errorForAnswer(response: ApiResponse, call: CallSite, ctx: CallHints): TailscaleApiError {
  const init = errorInit(response, ctx);
  return response.status === 412 ? new PreconditionFailedError(call, init) : new TailscaleApiError(call, init);
}

/**
 * The answer's JSON, or an error that says the server is not speaking the API's language. The body of
 * an answer that carries a secret (a token, a new app's client secret, invite links) is never quoted:
 * in a shape we cannot read, the secret in it was never registered, so redaction could not catch it.
 */
export function readJson(response: ApiResponse, call: CallSite, host: string, holdsSecret = false): unknown {
  const json = tryJson(response.text);
  if (json === undefined) {
    const shown =
      response.text.trim() === ''
        ? 'an empty body'
        : holdsSecret
          ? `${Buffer.byteLength(response.text)} bytes of something else (not shown, as this answer carries a secret)`
          : `"${truncate(response.text)}"`;
    throw new UnexpectedResponseError(call, response.status, `expected JSON, got ${shown}`, host);
  }
  return json;
}

/**
 * The answer's JSON, checked by `parse` (which throws ShapeError naming the field that is wrong, and
 * quoting the start of a wrong text value: not for an answer that carries a secret, as that value may
 * be the secret, in a place where it was never registered).
 */
export function decode<T>(
  response: ApiResponse,
  call: CallSite,
  host: string,
  parse: (json: unknown) => T,
  holdsSecret = false,
): T {
  const json = readJson(response, call, host, holdsSecret);
  try {
    return parse(json);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    const problem = holdsSecret ? error.message.replace(/"[^"]*"/g, '(text not shown)') : error.message;
    throw new UnexpectedResponseError(call, response.status, problem, host);
  }
}
