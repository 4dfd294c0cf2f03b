// The authorization-code flow of an OAuth app, from a fresh `state` to a single-use auth key (seeds
// 001 and 002, steps 3 to 5). Each step is exported on its own for internal tools; this runs them in
// order for `tailnet-access provision`.
import { registerSecret } from '../secrets.js';
import { exchangeAuthorizationCode } from '../tailscale/client.js';
import type { TransportSettings } from '../tailscale/http.js';
import type { TokenResponse } from '../tailscale/types.js';
import { readAuthorizationCode } from './authorization-response.js';
import { buildAuthorizeUrl, newState } from './authorize-url.js';
import { listenForRedirect, redirectPage } from './redirect-listener.js';

export interface AuthorizeDeviceOptions {
  /** The OAuth app's ID. */
  clientId: string;
  /** `tskey-app-<clientId>-…`, shown once when the app was created. */
  clientSecret: string;
  /** The loopback port registered with the app (`http://127.0.0.1:<port>/callback`). */
  port: number;
  /** Default https://login.tailscale.com. */
  loginUrl?: string | undefined;
  /** How long to wait for the redirect; default 5 minutes. */
  redirectTimeoutMs?: number | undefined;
  /** Where the token endpoint is (`baseUrl`, default https://api.tailscale.com), retries, timeouts. */
  api?: TransportSettings | undefined;
  /**
   * Shows the authorization URL to the user (print it, or open a browser). Called once the listener
   * is up, so a browser that is very quick still finds it.
   */
  openUrl: (url: URL, redirectUri: string) => void | Promise<void>;
}

/** The key, and how long it lives. `authKey` is registered as a secret before this returns. */
export interface AuthorizedDevice {
  authKey: string;
  expiresInSeconds: number;
}

/**
 * Runs steps 3–5: listen on the loopback redirect URI, show the authorization URL with a fresh state,
 * take the first redirect, check its state (a forged one, or a denial, throws an AuthorizationError),
 * and exchange the code for the single-use auth key.
 */
export async function authorizeDevice(options: AuthorizeDeviceOptions): Promise<AuthorizedDevice> {
  registerSecret(options.clientSecret);
  const state = newState();
  const listener = await listenForRedirect({
    port: options.port,
    timeoutMs: options.redirectTimeoutMs,
    page: (query) => pageFor(query, state),
  });
  let query: URLSearchParams;
  try {
    const url = buildAuthorizeUrl({
      loginUrl: options.loginUrl,
      clientId: options.clientId,
      redirectUri: listener.redirectUri,
      state,
    });
    await options.openUrl(url, listener.redirectUri);
    query = await listener.waitForRedirect();
  } finally {
    await listener.close();
  }
  const code = readAuthorizationCode(query, state);
  registerSecret(code);
  const token: TokenResponse = await exchangeAuthorizationCode({
    ...options.api,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    code,
    redirectUri: listener.redirectUri,
  });
  return { authKey: token.access_token, expiresInSeconds: token.expires_in };
}

/** What the browser shows: the same verdict the terminal is about to print. */
function pageFor(query: URLSearchParams, state: string): string {
  try {
    readAuthorizationCode(query, state);
    return redirectPage('Approved. tailnet-access is finishing in the terminal; you can close this tab.');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return redirectPage(`Not authorized: ${reason}`);
  }
}

/**
 * The client ID is the middle of the secret (`tskey-app-<clientId>-<secret>`, seed 002): a secret of
 * another app would only fail later, at the exchange, after the user already approved.
 */
export function clientIdMismatch(clientId: string, clientSecret: string): string | undefined {
  if (!clientSecret.startsWith('tskey-app-')) return undefined;
  if (clientSecret.startsWith(`tskey-app-${clientId}-`)) return undefined;
  return (
    `the client secret belongs to another OAuth app than ${clientId} (its second part is the client ID it belongs ` +
    `to); check --client-id and --client-secret-file`
  );
}
