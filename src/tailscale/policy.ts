// The policy file: read it with its ETag, validate a candidate, write it guarded by If-Match
// (reference/tailscale-api.md, "Policy file"). The text is never parsed here; it travels as HuJSON
// so comments survive.
import { errorInit, isSuccess, summariseBody } from './decode-response.js';
import type { ApiCaller, CallSpec } from './caller.js';
import { PolicyRejectedError, UnexpectedResponseError } from './errors.js';
import type { ApiResponse } from './http.js';
import { parsePolicyDetails } from './parse-api-objects.js';
import type { PolicyDetails } from './types.js';
import type { PolicyDocument, ValidateResult } from '../domain/policy.js';

const HUJSON = 'application/hujson';

/** An ETag for If-Match: as read (quotes and all), or quoted when given bare (`ts-default`). */
export function quoteEtag(etag: string): string {
  return /^(W\/)?".*"$/.test(etag) ? etag : `"${etag}"`;
}

function readSpec(api: ApiCaller): CallSpec {
  return {
    operation: 'read the policy file',
    method: 'GET',
    path: `${api.tailnetPath}/acl`,
    accept: HUJSON,
    idempotent: true,
    scopes: ['policy_file:read'],
  };
}

function documentOf(api: ApiCaller, spec: CallSpec, response: ApiResponse): PolicyDocument {
  const problem = /text\/html/i.test(response.headers['content-type'] ?? '')
    ? 'got an HTML page instead of the policy file'
    : response.headers.etag === undefined
      ? 'the answer has no ETag header, without which no write can be guarded'
      : undefined;
  if (problem) throw new UnexpectedResponseError(api.site(spec), response.status, problem, api.transport.host);
  return { text: response.text, etag: response.headers.etag ?? '' };
}

export async function getPolicy(api: ApiCaller): Promise<PolicyDocument> {
  const spec = readSpec(api);
  return documentOf(api, spec, await api.ok(spec));
}

/**
 * Replaces the whole policy file if it still has the ETag `ifMatch`. The transport may resend it
 * after a network error: if the first copy was applied, the copy meets a new ETag and fails with
 * PreconditionFailedError (412), exactly like a concurrent edit, and the caller's answer to both is
 * the same: read the policy again and plan again (the re-read then shows nothing left to do).
 * A 400 (the policy does not parse, or its tests fail) is a PolicyRejectedError.
 */
export async function setPolicy(api: ApiCaller, text: string, ifMatch: string): Promise<PolicyDocument> {
  const spec: CallSpec = {
    operation: 'write the policy file',
    method: 'POST',
    path: `${api.tailnetPath}/acl`,
    headers: { 'content-type': HUJSON, 'if-match': quoteEtag(ifMatch) },
    accept: HUJSON,
    body: text,
    idempotent: true,
    scopes: ['policy_file'],
    byStatus: { 400: 'Tailscale refused the new policy file; nothing was written' },
  };
  const response = await api.send(spec);
  if (response.status === 400) throw new PolicyRejectedError(api.site(spec), errorInit(response, api.hints(spec)));
  if (!isSuccess(response.status)) throw api.failure(spec, response);
  // The write succeeded. Should the answer lack the new text or ETag, read them rather than fail
  // after the fact.
  if (response.headers.etag === undefined || response.text.trim() === '') return getPolicy(api);
  return documentOf(api, spec, response);
}

/**
 * A JSON object that says nothing: `{}`, or empty fields as a Go struct without `omitempty` would send
 * them (`{"message": "", "data": null}`), or only fields this version does not know.
 */
function saysNothing(text: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return false;
  }
  if (json === null) return true;
  if (typeof json !== 'object' || Array.isArray(json)) return false;
  const { message, data, error } = json as Record<string, unknown>;
  const empty = (value: unknown): boolean =>
    value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
  return empty(message) && empty(data) && empty(error);
}

/**
 * Failure is a 200 with a non-empty message or data; an empty body or `{}` means the policy is valid
 * (and so does an answer that says nothing, whatever its exact shape: the write itself is checked by
 * the server again, while a false failure would block every apply).
 */
function validationOf(text: string, answeredOk: boolean): ValidateResult {
  if (answeredOk && saysNothing(text)) return { ok: true };
  const body = summariseBody(text);
  const result: ValidateResult = { ok: body.message === undefined && body.data === undefined };
  if (body.message !== undefined) result.message = body.message;
  if (body.data !== undefined) result.data = body.data;
  // Warnings alone (e.g. a SCIM group that is not syncing) do not make a policy invalid; the write
  // would be accepted, so they must not block one.
  const warningsOnly =
    answeredOk &&
    body.data !== undefined &&
    body.data.every((entry) => !entry.errors?.length && (entry.warnings?.length ?? 0) > 0);
  if (warningsOnly) result.ok = true;
  return result;
}

export async function validatePolicy(api: ApiCaller, text: string): Promise<ValidateResult> {
  const spec: CallSpec = {
    operation: 'validate the policy file',
    method: 'POST',
    path: `${api.tailnetPath}/acl/validate`,
    headers: { 'content-type': HUJSON },
    body: text,
    idempotent: true,
    scopes: ['policy_file:read'],
  };
  const response = await api.send(spec);
  // The spec answers 200 to an invalid policy, but lists 400 too: either way it is a verdict.
  if (response.status === 400) {
    const refused = validationOf(response.text, false);
    return { ...refused, ok: false, message: refused.message ?? 'the policy was refused (400) without a message' };
  }
  if (!isSuccess(response.status)) throw api.failure(spec, response);
  return validationOf(response.text, true);
}

/** `?details=true` must go without an Accept header; the answer carries the server's warnings. */
export async function getPolicyDetails(api: ApiCaller): Promise<PolicyDetails> {
  return api.json(
    {
      operation: 'read the policy file with its warnings',
      method: 'GET',
      path: `${api.tailnetPath}/acl`,
      query: { details: 'true' },
      accept: null,
      idempotent: true,
      scopes: ['policy_file:read'],
    },
    parsePolicyDetails,
  );
}
