// The consent screen of an OAuth app (`login.tailscale.com/a/oauth_authorize` in real life), served
// on the simulator's own port. There is nobody to click, so the `consent` knob decides: `grant`
// redirects to `redirect_uri?code=…&state=…`, `deny` to `?error=access_denied&state=…`. As OAuth
// requires, an unknown client or an unregistered redirect URI gets an error page, never a redirect.
import { text, redirect, type SimResponse } from '../http.js';
import type { Route, RouteContext } from '../router.js';

function errorPage(message: string): SimResponse {
  return text(400, `<!doctype html><title>Authorization error</title><p>${message}</p>\n`, 'text/html; charset=utf-8');
}

function back(redirectUri: string, params: Record<string, string>, state: string | null): SimResponse {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  if (state !== null) url.searchParams.set('state', state);
  return redirect(url.toString());
}

function authorize(context: RouteContext): SimResponse {
  const query = context.query;
  const clientId = query.get('client_id') ?? '';
  const redirectUri = query.get('redirect_uri') ?? '';
  const state = query.get('state');
  const app = context.state.oauthApps.get(clientId);
  if (!app) return errorPage('Unknown client_id: no OAuth app with this id exists in the tailnet.');
  if (!app.redirectURIs.includes(redirectUri))
    return errorPage("redirect_uri is not one of the OAuth app's registered redirect URIs (they must match exactly).");
  if (query.get('response_type') !== 'code') return back(redirectUri, { error: 'unsupported_response_type' }, state);
  const requested = (query.get('scope') ?? '').split(/\s+/).filter((scope) => scope !== '');
  if (requested.some((scope) => !app.scopes.includes(scope)))
    return back(redirectUri, { error: 'invalid_scope' }, state);
  if (context.knobs.consent === 'deny') return back(redirectUri, { error: 'access_denied' }, state);
  const users = context.state.users;
  const user = context.knobs.consentUser === undefined ? users.owner() : users.byLogin(context.knobs.consentUser);
  // Only members of the app's own tailnet can complete the flow [docs].
  if (!user || user.type !== 'member' || user.status === 'suspended')
    return back(redirectUri, { error: 'access_denied' }, state);
  const code = context.state.oauthApps.issueCode(
    { clientId, redirectUri, scopes: requested.length ? requested : app.scopes, userId: user.id },
    context.clock.now(),
  );
  return back(redirectUri, { code }, state);
}

export const consentRoutes: Route[] = [
  { method: 'GET', pattern: '/a/oauth_authorize', scope: null, handler: authorize },
];
