// The credentials a client can be given, as a leaf module: the token exchange (oauth.ts), the hints
// that explain a refusal (hints.ts) and the authorizers (auth.ts) all name them without importing
// one another. The choice of one credential from what a user set is here too: the CLI (environment)
// and the action (inputs) share it, each naming its own variables in the messages.
import { UsageError } from '../errors.js';
import type { Credential } from '../domain/credential.js';

export interface CredentialParts {
  apiKey?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** A fixed ID token (CLI), or a function that fetches a fresh one (the action's OIDC). */
  idToken?: string | (() => Promise<string>) | undefined;
}

/**
 * Picks the one credential the parts describe. `names` are what the user set (environment variables
 * or action inputs), so the message can name them.
 */
export function chooseCredential(parts: CredentialParts, names: Record<keyof CredentialParts, string>): Credential {
  const { apiKey, clientId, clientSecret, idToken } = parts;
  if (apiKey && (clientId || clientSecret || idToken)) {
    throw new UsageError(
      `both ${names.apiKey} and ${clientId ? names.clientId : clientSecret ? names.clientSecret : names.idToken} ` +
        `are set; set only one kind of credential`,
    );
  }
  if (apiKey) {
    if (!apiKey.startsWith('tskey-api-') && !apiKey.startsWith('tskey-')) {
      throw new UsageError(
        `${names.apiKey} does not look like a Tailscale API access token (they start with "tskey-api-")`,
      );
    }
    return { kind: 'api-key', key: apiKey };
  }
  if (clientSecret && idToken)
    throw new UsageError(
      `both ${names.clientSecret} and ${names.idToken} are set; an OAuth client uses one or the other`,
    );
  if ((clientSecret || idToken) && !clientId) {
    throw new UsageError(
      `${clientSecret ? names.clientSecret : names.idToken} is set but ${names.clientId} is not; both are needed`,
    );
  }
  if (clientId && clientSecret) return { kind: 'oauth-client', clientId, clientSecret };
  if (clientId && idToken) {
    const fetchToken = typeof idToken === 'string' ? () => Promise.resolve(idToken) : idToken;
    return { kind: 'workload-identity', clientId, idToken: fetchToken };
  }
  if (clientId)
    throw new UsageError(`${names.clientId} is set but neither ${names.clientSecret} nor ${names.idToken} is`);
  throw new UsageError(
    `no Tailscale credential: set ${names.apiKey}, or ${names.clientId} with ${names.clientSecret} (an OAuth ` +
      `client), or ${names.clientId} with ${names.idToken} (workload identity)`,
  );
}
