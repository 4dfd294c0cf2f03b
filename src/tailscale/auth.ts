// How each request is authorised. An API key is sent as is. OAuth clients and workload identities
// trade their credential for an access token that lasts about an hour: it is cached, fetched again a
// minute before it runs out (or when the API refuses it), and callers that need one at the same time
// share a single token request.
import { registerSecret } from '../secrets.js';
import type { Transport } from './http.js';
import { clientCredentialsToken, workloadIdentityToken } from './oauth.js';
import type { TokenResponse } from './types.js';
import { ClientUsageError } from './errors.js';

import type { Credential, CredentialKind } from '../domain/credential.js';

export interface Authorizer {
  readonly kind: CredentialKind;
  /** The `Authorization` header value for the next request. */
  authorization(): Promise<string>;
  /**
   * The API answered 401 to this header value. Forgets it if it is still the cached token and says
   * whether asking again can help (a new token might; the same API key will not).
   */
  rejected(authorization: string): boolean;
}

/** Refresh this long before expiry, or at half the lifetime for a token that lives under two minutes. */
const REFRESH_MARGIN_MS = 60_000;

class CachedToken implements Authorizer {
  private token: { header: string; refreshAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    readonly kind: CredentialKind,
    private readonly fetchToken: () => Promise<TokenResponse>,
    private readonly now: () => number,
  ) {}

  authorization(): Promise<string> {
    const token = this.token;
    if (token && this.now() < token.refreshAt) return Promise.resolve(token.header);
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  rejected(authorization: string): boolean {
    if (this.token?.header === authorization) this.token = undefined;
    return true;
  }

  private async refresh(): Promise<string> {
    const askedAt = this.now();
    const response = await this.fetchToken();
    const lifetime = response.expires_in * 1000;
    const header = `Bearer ${response.access_token}`;
    this.token = { header, refreshAt: askedAt + lifetime - Math.min(REFRESH_MARGIN_MS, lifetime / 2) };
    return header;
  }
}

function requireText(value: string, what: string): void {
  if (value.trim() === '') throw new ClientUsageError(`the ${what} is empty`);
}

/**
 * Credentials are used without surrounding whitespace (a key pasted with its newline): in a header
 * it would make every request fail with a misleading "invalid authorization header".
 */
export function createAuthorizer(credential: Credential, transport: Transport, now: () => number): Authorizer {
  switch (credential.kind) {
    case 'api-key': {
      registerSecret(credential.key);
      requireText(credential.key, 'Tailscale API key');
      const header = `Bearer ${credential.key.trim()}`;
      return { kind: 'api-key', authorization: () => Promise.resolve(header), rejected: () => false };
    }
    case 'oauth-client': {
      registerSecret(credential.clientSecret);
      requireText(credential.clientId, 'OAuth client ID');
      requireText(credential.clientSecret, 'OAuth client secret');
      const clientId = credential.clientId.trim();
      const clientSecret = credential.clientSecret.trim();
      const { scopes } = credential;
      return new CachedToken(
        'oauth-client',
        () => clientCredentialsToken(transport, clientId, clientSecret, scopes),
        now,
      );
    }
    case 'workload-identity': {
      requireText(credential.clientId, 'workload identity client ID');
      const clientId = credential.clientId.trim();
      const { idToken } = credential;
      return new CachedToken(
        'workload-identity',
        async () => {
          const jwt = await idToken();
          registerSecret(jwt);
          requireText(jwt, 'ID token for the workload identity exchange');
          return workloadIdentityToken(transport, clientId, jwt.trim());
        },
        now,
      );
    }
  }
}
