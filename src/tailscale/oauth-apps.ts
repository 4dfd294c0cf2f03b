// OAuth apps (alpha): the apps whose authorization-code flow hands out single-use auth keys
// (reference/tailscale-api.md, "OAuth apps"). Creating one is not idempotent and its secret is shown
// only in the answer, so a create is never resent after a network error; callers find an app by name
// first instead.
import { decode, isSuccess } from './decode-response.js';
import type { ApiCaller, CallSpec } from './caller.js';
import { jsonBody, segment } from './caller.js';
import { parseOAuthApp, parseOAuthAppList } from './parse-api-objects.js';
import type { OAuthApp, OAuthAppInput } from './types.js';

/**
 * The body as the spec spells it (`redirectURIs`), with only the fields the API knows. An empty
 * `allowedNodeAttributes` is left out: the spec asks for the `devices:posture_attributes` scope when
 * the field is included at all, and leaving it out means the same (none, as a PUT replaces all).
 */
function bodyOf(input: OAuthAppInput): Record<string, unknown> {
  const body: Record<string, unknown> = { name: input.name, redirectURIs: input.redirectURIs, scopes: input.scopes };
  if (input.description !== undefined) body.description = input.description;
  if (input.allowedNodeAttributes !== undefined && input.allowedNodeAttributes.length > 0)
    body.allowedNodeAttributes = input.allowedNodeAttributes;
  return body;
}

function notFound(api: ApiCaller, appId?: string): Partial<Record<number, string>> {
  const where = api.tailnet === '-' ? 'this tailnet' : `tailnet "${api.tailnet}"`;
  return {
    404:
      appId === undefined
        ? `no OAuth apps in ${where}: the tailnet name is wrong, or OAuth apps (in alpha) are not enabled there`
        : `no OAuth app with ID "${appId}" in ${where}`,
  };
}

function writeSpec(spec: Omit<CallSpec, 'scopes'>, input: OAuthAppInput): CallSpec {
  const attributes = (input.allowedNodeAttributes?.length ?? 0) > 0;
  const full: CallSpec = { ...spec, ...jsonBody(bodyOf(input)), scopes: ['oauth_apps'] };
  return attributes
    ? { ...full, forbidden: 'sending allowedNodeAttributes also needs the "devices:posture_attributes" scope' }
    : full;
}

export async function listOAuthApps(api: ApiCaller): Promise<OAuthApp[]> {
  return api.json(
    {
      operation: 'list OAuth apps',
      method: 'GET',
      path: `${api.tailnetPath}/oauth-apps`,
      idempotent: true,
      scopes: ['oauth_apps:read'],
      byStatus: notFound(api),
    },
    parseOAuthAppList,
  );
}

export async function getOAuthApp(api: ApiCaller, id: string): Promise<OAuthApp> {
  return api.json(
    {
      operation: `read OAuth app ${id}`,
      method: 'GET',
      path: `${api.tailnetPath}/oauth-apps/${segment(id)}`,
      idempotent: true,
      scopes: ['oauth_apps:read'],
      byStatus: notFound(api, id),
    },
    (json) => parseOAuthApp(json),
  );
}

/** The answer carries `clientSecret`, this once; it is registered as a secret as it is read. */
export async function createOAuthApp(api: ApiCaller, input: OAuthAppInput): Promise<OAuthApp> {
  const spec = writeSpec(
    {
      operation: `create OAuth app "${input.name}"`,
      method: 'POST',
      path: `${api.tailnetPath}/oauth-apps`,
      idempotent: false,
    },
    input,
  );
  return api.json({ ...spec, byStatus: notFound(api), answerHoldsSecret: true }, (json) => parseOAuthApp(json));
}

/**
 * A full replacement (PUT): fields left out are cleared. The secret is kept and not returned. A
 * success without a body (the write is done; only its echo is missing) is answered by reading the app.
 */
export async function updateOAuthApp(api: ApiCaller, id: string, input: OAuthAppInput): Promise<OAuthApp> {
  const spec = writeSpec(
    {
      operation: `update OAuth app ${id}`,
      method: 'PUT',
      path: `${api.tailnetPath}/oauth-apps/${segment(id)}`,
      idempotent: true,
    },
    input,
  );
  const full = { ...spec, byStatus: notFound(api, id) };
  const response = await api.ok(full);
  if (response.text.trim() === '') return getOAuthApp(api, id);
  return decode(response, api.site(full), api.transport.host, (json) => parseOAuthApp(json));
}

export async function deleteOAuthApp(api: ApiCaller, id: string): Promise<void> {
  const spec: CallSpec = {
    operation: `delete OAuth app ${id}`,
    method: 'DELETE',
    path: `${api.tailnetPath}/oauth-apps/${segment(id)}`,
    idempotent: true,
    scopes: ['oauth_apps'],
    byStatus: notFound(api, id),
  };
  const response = await api.send(spec);
  // A 404 after a resend means an earlier copy, whose answer was lost, did the deleting.
  if (response.status === 404 && response.attempts > 1) return;
  if (!isSuccess(response.status)) throw api.failure(spec, response);
}
