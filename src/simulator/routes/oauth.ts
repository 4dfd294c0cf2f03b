// The token endpoints, unauthenticated and form-encoded:
// `POST /oauth/token` with grant_type client_credentials (OAuth clients; client id/secret in the form
// or in Basic auth, as golang.org/x/oauth2 may send them) or authorization_code (OAuth apps), and
// `POST /oauth/token-exchange` (workload identity: client_id + jwt, see jwt.ts for what is checked).
// Bad client credentials answer 401 `API token invalid` like the live service; code problems answer
// 400 `invalid_grant: …` (the live text is unknown). A token's `scope` leaves out what the
// `withheldScopes` knob withholds, as a client without those scopes would be told.
import { sameSecret } from '../oauth-apps-store.js';
import { ApiError, MESSAGES, json, type SimResponse } from '../http.js';
import { jwtProblem } from '../jwt.js';
import type { Route, RouteContext } from '../router.js';
import { covers, effectiveScopes, parseScopeList } from '../scopes.js';

function readForm(context: RouteContext): URLSearchParams {
  const type = context.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    throw new ApiError(400, 'token requests must be form-encoded (Content-Type: application/x-www-form-urlencoded)');
  }
  return new URLSearchParams(context.body);
}

/** Client id and secret from the form, else from HTTP Basic auth (RFC 6749 section 2.3.1). */
function clientCredentials(context: RouteContext, form: URLSearchParams): { id: string; secret: string } {
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  if (id && secret) return { id, secret };
  const header = context.headers.authorization ?? '';
  if (header.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // RFC 6749 form-encodes both before base64; a stray `%` just fails the lookup.
    if (colon > 0) return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  }
  return { id: id ?? '', secret: secret ?? '' };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function clientCredentialsGrant(context: RouteContext, form: URLSearchParams): SimResponse {
  const { id, secret } = clientCredentials(context, form);
  const client = context.state.credentials.oauthClient(id);
  if (!client || !sameSecret(client.secret, secret)) throw new ApiError(401, MESSAGES.tokenInvalid);
  const requested = parseScopeList(form.get('scope'));
  const refused = requested.filter((scope) => !covers(client.scopes, scope));
  if (refused.length) throw new ApiError(403, `OAuth client cannot grant scopes ${JSON.stringify(refused.join(' '))}`);
  const scopes = requested.length ? requested : client.scopes;
  const ttl = context.knobs.tokenTtlSeconds;
  const token = context.state.credentials.issueAccessToken('oauth-client', client.id, scopes, ttl);
  const held = effectiveScopes(scopes, context.knobs.withheldScopes);
  return json(200, { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: held.join(' ') });
}

function authorizationCodeGrant(context: RouteContext, form: URLSearchParams): SimResponse {
  const { id, secret } = clientCredentials(context, form);
  const apps = context.state.oauthApps;
  if (!apps.get(id) || !apps.secretMatches(id, secret)) throw new ApiError(401, MESSAGES.tokenInvalid);
  const now = context.clock.now();
  const code = apps.takeCode(form.get('code') ?? '', now);
  if (!code) throw new ApiError(400, 'invalid_grant: the authorization code is unknown, expired or already used');
  if (code.clientId !== id)
    throw new ApiError(400, 'invalid_grant: the authorization code was issued to another client');
  if (code.redirectUri !== form.get('redirect_uri'))
    throw new ApiError(400, 'invalid_grant: redirect_uri is not the one the code was issued for');
  const key = apps.issueAuthKey(code, now);
  return json(200, { access_token: key, token_type: 'Bearer', expires_in: 3600 });
}

function token(context: RouteContext): SimResponse {
  const form = readForm(context);
  const grant = form.get('grant_type');
  if (grant === 'client_credentials') return clientCredentialsGrant(context, form);
  if (grant === 'authorization_code') return authorizationCodeGrant(context, form);
  throw new ApiError(
    400,
    `unsupported grant_type ${JSON.stringify(grant ?? '')}: use client_credentials or authorization_code`,
  );
}

function tokenExchange(context: RouteContext): SimResponse {
  const form = readForm(context);
  const identity = context.state.credentials.federatedIdentity(form.get('client_id') ?? '');
  if (!identity) throw new ApiError(401, MESSAGES.tokenInvalid);
  const problem = jwtProblem(form.get('jwt') ?? '', identity, context.clock.now());
  if (problem) throw new ApiError(401, `invalid jwt: ${problem}`);
  const ttl = context.knobs.tokenTtlSeconds;
  const accessToken = context.state.credentials.issueAccessToken('federated', identity.clientId, identity.scopes, ttl);
  const held = effectiveScopes(identity.scopes, context.knobs.withheldScopes);
  return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, scope: held.join(' ') });
}

export const oauthTokenRoutes: Route[] = [
  { method: 'POST', pattern: '/oauth/token', scope: null, handler: token },
  { method: 'POST', pattern: '/oauth/token-exchange', scope: null, handler: tokenExchange },
];
