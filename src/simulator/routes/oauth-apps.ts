// OAuth apps (alpha), with the live spec's validation: name 3–50 of [A-Za-z0-9._-], description at
// most 300, at least one redirect URI (https, except localhost/127.0.0.1/::1; no other raw IPs),
// non-empty scopes, `custom:` node attributes (whose mere presence also needs `devices:posture_attributes`).
// `redirectUris` is accepted as well as `redirectURIs`, because Go matches JSON fields without case.
import type { OAuthAppInput } from '../../tailscale/types.js';
import { requireScope } from '../auth.js';
import { ApiError, MESSAGES, empty, json, type SimResponse } from '../http.js';
import { field, isObject, isStringArray, parseJson } from '../json.js';
import type { Route, RouteContext } from '../router.js';

const NAME = /^[A-Za-z0-9._-]{3,50}$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function redirectProblem(uri: string): string | undefined {
  const url = URL.parse(uri);
  if (!url || !url.hostname) return `${JSON.stringify(uri)} is not an absolute URL`;
  if (LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(url.hostname) || url.hostname.startsWith('['))
    return `${JSON.stringify(uri)}: raw IP address hosts are not permitted`;
  if (url.protocol !== 'https:')
    return `${JSON.stringify(uri)} must use https (only localhost, 127.0.0.1 and ::1 may use another scheme)`;
  return undefined;
}

/** The request body as an app input; throws 400 naming the first field at fault. */
function readInput(context: RouteContext): OAuthAppInput {
  const body = parseJson(context.body);
  if (!isObject(body)) throw new ApiError(400, 'expected a JSON object with "name", "redirectURIs" and "scopes"');
  const name = field(body, 'name');
  if (typeof name !== 'string' || !NAME.test(name))
    throw new ApiError(400, 'name: must be 3 to 50 characters of letters, digits, ".", "_" and "-"');
  const description = field(body, 'description') ?? '';
  if (typeof description !== 'string' || description.length > 300)
    throw new ApiError(400, 'description: must be a string of at most 300 characters');
  const redirectURIs = field(body, 'redirectURIs');
  if (!isStringArray(redirectURIs) || redirectURIs.length === 0)
    throw new ApiError(400, 'redirectURIs: at least one redirect URI is required');
  for (const uri of redirectURIs) {
    const problem = redirectProblem(uri);
    if (problem) throw new ApiError(400, `redirectURIs: ${problem}`);
  }
  const scopes = field(body, 'scopes');
  if (!isStringArray(scopes) || scopes.length === 0 || scopes.some((scope) => scope === ''))
    throw new ApiError(400, 'scopes: must be a non-empty list of scopes');
  const sent = field(body, 'allowedNodeAttributes');
  const attributes = sent ?? [];
  if (!isStringArray(attributes)) throw new ApiError(400, 'allowedNodeAttributes: must be a list of strings');
  const notCustom = attributes.find((attribute) => !/^custom:.+/.test(attribute));
  if (notCustom !== undefined)
    throw new ApiError(
      400,
      `allowedNodeAttributes: ${JSON.stringify(notCustom)}: only custom: attributes can be allowed`,
    );
  // "If you include allowedNodeAttributes in the request body" [spec]: included at all, even empty.
  if (sent !== undefined && sent !== null) requireScope(context, 'devices:posture_attributes');
  return { name, description, redirectURIs, scopes, allowedNodeAttributes: attributes };
}

function appId(context: RouteContext): string {
  const id = context.params.appId ?? '';
  if (!context.state.oauthApps.get(id)) throw new ApiError(404, MESSAGES.notFound);
  return id;
}

function createApp(context: RouteContext): SimResponse {
  const app = context.state.oauthApps.create(readInput(context), context.clock.iso());
  context.markApplied();
  return json(200, app);
}

function updateApp(context: RouteContext): SimResponse {
  const id = appId(context);
  const app = context.state.oauthApps.update(id, readInput(context), context.clock.iso());
  context.markApplied();
  return json(200, app);
}

function deleteApp(context: RouteContext): SimResponse {
  context.state.oauthApps.delete(appId(context));
  context.markApplied();
  return empty();
}

export const oauthAppRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/tailnet/:tailnet/oauth-apps',
    scope: 'oauth_apps:read',
    handler: (context) => json(200, { oauthApps: context.state.oauthApps.list() }),
  },
  { method: 'POST', pattern: '/tailnet/:tailnet/oauth-apps', scope: 'oauth_apps', handler: createApp },
  {
    method: 'GET',
    pattern: '/tailnet/:tailnet/oauth-apps/:appId',
    scope: 'oauth_apps:read',
    handler: (context) => json(200, context.state.oauthApps.get(appId(context))),
  },
  { method: 'PUT', pattern: '/tailnet/:tailnet/oauth-apps/:appId', scope: 'oauth_apps', handler: updateApp },
  { method: 'DELETE', pattern: '/tailnet/:tailnet/oauth-apps/:appId', scope: 'oauth_apps', handler: deleteApp },
];
