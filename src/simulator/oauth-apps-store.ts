// OAuth apps and their authorization-code flow. The client secret (`tskey-app-<id>-<random>`) is kept
// apart from the app so no read can leak it; codes are single-use, bound to client and redirect URI,
// and the access token a code buys is a single-use auth key that dies after an hour.
import { timingSafeEqual } from 'node:crypto';
import type { OAuthApp, OAuthAppInput } from '../tailscale/types.js';
import { randomSecret } from './credentials.js';

interface AppRecord {
  app: OAuthApp;
  secret: string;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  userId: string;
  expiresAt: number;
  /** Set once redeemed; a second redemption revokes the key (RFC 6749 section 4.1.2). */
  authKey?: string;
}

export interface AuthKeyRecord {
  clientId: string;
  userId: string;
  expiresAt: number;
  used: boolean;
}

const CODE_LIFETIME_MS = 10 * 60 * 1000;
export const AUTH_KEY_LIFETIME_SECONDS = 3600;

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class OAuthAppsStore {
  private readonly apps = new Map<string, AppRecord>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly authKeys = new Map<string, AuthKeyRecord>();
  private nextId = 100001;

  list(): OAuthApp[] {
    return [...this.apps.values()].map((record) => copy(record.app));
  }

  get(id: string): OAuthApp | undefined {
    const record = this.apps.get(id);
    return record && copy(record.app);
  }

  /** Creates an app; the answer is the only place its secret ever appears. */
  create(input: OAuthAppInput, now: string, id?: string, secret?: string): OAuthApp {
    let appId = id;
    while (appId === undefined || this.apps.has(appId)) appId = `a${this.nextId++}CNTRL`;
    const app: OAuthApp = { id: appId, ...normalize(input), created: now, updated: now };
    const clientSecret = secret ?? `tskey-app-${appId}-${randomSecret()}`;
    this.apps.set(appId, { app, secret: clientSecret });
    return { ...copy(app), clientSecret };
  }

  /** Full replacement; the secret is neither regenerated nor returned. */
  update(id: string, input: OAuthAppInput, now: string): OAuthApp | undefined {
    const record = this.apps.get(id);
    if (!record) return undefined;
    record.app = { id, ...normalize(input), created: record.app.created, updated: now };
    return copy(record.app);
  }

  delete(id: string): boolean {
    return this.apps.delete(id);
  }

  secretMatches(id: string, secret: string): boolean {
    const record = this.apps.get(id);
    return record !== undefined && sameSecret(record.secret, secret);
  }

  issueCode(record: Omit<CodeRecord, 'expiresAt' | 'authKey'>, now: number): string {
    const code = randomSecret(24);
    this.codes.set(code, { ...record, expiresAt: now + CODE_LIFETIME_MS });
    return code;
  }

  /** The code's record, if it exists, is unexpired and was not redeemed; a replayed code revokes its key. */
  takeCode(code: string, now: number): CodeRecord | undefined {
    const record = this.codes.get(code);
    if (!record) return undefined;
    if (record.authKey !== undefined) {
      this.authKeys.delete(record.authKey);
      return undefined;
    }
    return record.expiresAt > now ? record : undefined;
  }

  issueAuthKey(code: CodeRecord, now: number): string {
    const key = `tskey-auth-${code.clientId}-${randomSecret()}`;
    code.authKey = key;
    this.authKeys.set(key, {
      clientId: code.clientId,
      userId: code.userId,
      expiresAt: now + AUTH_KEY_LIFETIME_SECONDS * 1000,
      used: false,
    });
    return key;
  }

  /** What `tailscale up --auth-key` would do: true the first time within the hour, then false. */
  useAuthKey(key: string, now: number): boolean {
    const record = this.authKeys.get(key);
    if (!record || record.used || !(record.expiresAt > now)) return false;
    record.used = true;
    return true;
  }

  authKey(key: string): AuthKeyRecord | undefined {
    const record = this.authKeys.get(key);
    return record && { ...record };
  }
}

function normalize(input: OAuthAppInput): Omit<OAuthApp, 'id'> {
  return {
    name: input.name,
    description: input.description ?? '',
    redirectURIs: [...input.redirectURIs],
    scopes: [...input.scopes],
    allowedNodeAttributes: [...(input.allowedNodeAttributes ?? [])],
  };
}

function copy(app: OAuthApp): OAuthApp {
  return {
    ...app,
    redirectURIs: [...app.redirectURIs],
    scopes: [...app.scopes],
    allowedNodeAttributes: [...(app.allowedNodeAttributes ?? [])],
  };
}
