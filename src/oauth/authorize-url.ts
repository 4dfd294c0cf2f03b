// Step 3 of the seed's flow: the URL that sends a user to Tailscale's consent screen, carrying a
// fresh, unguessable `state` that the redirect must bring back (RFC 6749 section 10.12, CSRF).
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';
import { DEFAULT_OAUTH_APP_SCOPES } from './app-input.js';

export const DEFAULT_LOGIN_URL = 'https://login.tailscale.com';
/**
 * Tailscale matches redirect URIs exactly, port included, so the loopback port must be fixed and
 * registered with the app: `http://127.0.0.1:8976/callback` by default.
 */
export const DEFAULT_REDIRECT_PORT = 8976;
export const REDIRECT_PATH = '/callback';

/** 32 random bytes, base64url: 256 bits nobody can guess. */
export function newState(): string {
  return randomBytes(32).toString('base64url');
}

export interface AuthorizeRequest {
  /** Default https://login.tailscale.com; the simulator serves `/a/oauth_authorize` on its own URL. */
  loginUrl?: string | undefined;
  clientId: string;
  redirectUri: string;
  state: string;
  /** Default `auth_keys:create:once`. */
  scopes?: readonly string[] | undefined;
}

export function buildAuthorizeUrl(request: AuthorizeRequest): URL {
  const base = URL.parse(request.loginUrl ?? DEFAULT_LOGIN_URL);
  if (!base || (base.protocol !== 'https:' && base.protocol !== 'http:')) {
    throw new UsageError(
      `the login URL "${request.loginUrl ?? ''}" is not an http(s) URL; expected e.g. ${DEFAULT_LOGIN_URL}`,
    );
  }
  const url = new URL('/a/oauth_authorize', base);
  url.search = new URLSearchParams({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: (request.scopes ?? DEFAULT_OAUTH_APP_SCOPES).join(' '),
    state: request.state,
    response_type: 'code',
  }).toString();
  return url;
}
