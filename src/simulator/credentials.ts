// Who may call the API: API keys (acting as a user), OAuth clients and federated identities from the
// fixture, and the access tokens the token endpoints issue. Expiry is judged on the simulated clock.
import { randomBytes } from 'node:crypto';
import type { ActorKind, FixtureCredentials, FixtureFederatedIdentity, FixtureOAuthClient } from './types.js';
import type { SimClock } from './clock.js';
import { scopesOfRole } from './scopes.js';
import type { UsersStore } from './users-store.js';

export interface Actor {
  kind: ActorKind;
  /** A non-secret id of the credential: the key's user, the client id. */
  credentialId: string;
  /** Set for API keys: the user the key acts as. */
  userId?: string;
  /** Set for API keys of the form `tskey-api-<keyId>-<secret>`: the key's non-secret id. */
  keyId?: string;
  scopes: string[];
}

/** What `GET /tailnet/{tailnet}/keys/{keyId}` tells about an API key; never the key itself. */
export interface ApiKeyInfo {
  id: string;
  userId: string;
  expires?: string;
  scopes?: string[];
  /** True once the key has expired (the API describes revoked and expired keys this way, not with 404). */
  invalid: boolean;
}

interface ApiKeyRecord {
  id?: string;
  user: string;
  expiresAt?: number;
  scopes?: string[];
}

interface AccessToken {
  kind: 'oauth-client' | 'federated';
  credentialId: string;
  scopes: string[];
  expiresAt: number;
}

/** The id inside an API key, `tskey-api-<id>-<secret>`, or undefined for a key of another form. */
export function apiKeyIdOf(key: string): string | undefined {
  return /^tskey-api-([A-Za-z0-9]+)-./.exec(key)?.[1];
}

export function randomSecret(bytes = 18): string {
  return randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x');
}

export class CredentialStore {
  private readonly apiKeys = new Map<string, ApiKeyRecord>();
  private readonly clients = new Map<string, FixtureOAuthClient>();
  private readonly federated = new Map<string, FixtureFederatedIdentity>();
  private readonly tokens = new Map<string, AccessToken>();

  constructor(
    credentials: FixtureCredentials,
    private readonly users: UsersStore,
    private readonly clock: SimClock,
  ) {
    for (const key of credentials.apiKeys ?? []) this.addApiKey(key.key, key.user, key.expires, key.scopes);
    for (const client of credentials.oauthClients ?? []) this.clients.set(client.id, { ...client });
    for (const identity of credentials.federatedIdentities ?? [])
      this.federated.set(identity.clientId, { ...identity });
  }

  /** Adds an API key acting as `user` (an id or a login); `expires` is RFC 3339. */
  addApiKey(key: string, user: string, expires?: string, scopes?: string[]): void {
    const record: ApiKeyRecord = { user };
    const id = apiKeyIdOf(key);
    if (id !== undefined) record.id = id;
    if (expires !== undefined) record.expiresAt = Date.parse(expires);
    if (scopes) record.scopes = [...scopes];
    this.apiKeys.set(key, record);
  }

  oauthClient(id: string): FixtureOAuthClient | undefined {
    return this.clients.get(id);
  }

  federatedIdentity(clientId: string): FixtureFederatedIdentity | undefined {
    return this.federated.get(clientId);
  }

  /** The actor behind a bearer token, or undefined when it is unknown or expired. */
  authenticate(token: string): Actor | undefined {
    const now = this.clock.now();
    const key = this.apiKeys.get(token);
    if (key) {
      if (key.expiresAt !== undefined && !(key.expiresAt > now)) return undefined;
      const user = this.users.find(key.user);
      if (!user) return undefined;
      const actor: Actor = {
        kind: 'api-key',
        credentialId: user.id,
        userId: user.id,
        scopes: key.scopes ?? scopesOfRole(user.role),
      };
      if (key.id !== undefined) actor.keyId = key.id;
      return actor;
    }
    const access = this.tokens.get(token);
    if (!access) return undefined;
    if (!(access.expiresAt > now)) {
      this.tokens.delete(token);
      return undefined;
    }
    return { kind: access.kind, credentialId: access.credentialId, scopes: [...access.scopes] };
  }

  /** The API key with this id, as the keys endpoint describes it; undefined when there is none. */
  apiKeyInfo(keyId: string): ApiKeyInfo | undefined {
    for (const record of this.apiKeys.values()) {
      if (record.id !== keyId) continue;
      const user = this.users.find(record.user);
      if (!user) return undefined;
      const invalid = record.expiresAt !== undefined && !(record.expiresAt > this.clock.now());
      const info: ApiKeyInfo = { id: keyId, userId: user.id, invalid };
      if (record.expiresAt !== undefined) info.expires = new Date(record.expiresAt).toISOString();
      if (record.scopes) info.scopes = [...record.scopes];
      return info;
    }
    return undefined;
  }

  issueAccessToken(kind: AccessToken['kind'], credentialId: string, scopes: string[], ttlSeconds: number): string {
    const token = `tskey-api-${credentialId.replace(/[^A-Za-z0-9]/g, '')}-${randomSecret()}`;
    this.tokens.set(token, {
      kind,
      credentialId,
      scopes: [...scopes],
      expiresAt: this.clock.now() + ttlSeconds * 1000,
    });
    return token;
  }
}
