// Where to connect and as whom: flags win over the environment, the environment over the file
// (contract.md §2). Credentials come only from the environment (or the action's inputs), with the
// names Tailscale's Terraform provider uses, and are registered as secrets the moment they are read.
import { UsageError } from '../errors.js';
import { registerSecret } from '../secrets.js';
import type { Credential } from '../tailscale/client.js';

export interface Connection {
  baseUrl: string;
  tailnet: string;
  credential: Credential;
}

export interface ConnectionFlags {
  tailnet?: string | undefined;
  baseUrl?: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

/** The tailnet to address, and where its name was set (for messages); `-` when nothing set one. */
export interface TailnetChoice {
  tailnet: string;
  from?: string;
}

export function resolveTailnet(flag: string | undefined, env: Env, file: { tailnet?: string | undefined; file: string } | undefined): TailnetChoice {
  if (flag !== undefined) return { tailnet: flag, from: '--tailnet' };
  const fromEnv = value(env, 'TAILSCALE_TAILNET');
  if (fromEnv !== undefined) return { tailnet: fromEnv, from: 'TAILSCALE_TAILNET' };
  if (file?.tailnet !== undefined) return { tailnet: file.tailnet, from: `tailnet: in ${file.file}` };
  return { tailnet: '-' };
}

export function resolveBaseUrl(flag: string | undefined, env: Env): string {
  return flag ?? value(env, 'TAILSCALE_BASE_URL') ?? 'https://api.tailscale.com';
}

/** The credential the environment describes; a clear error when it describes none, or two. */
export function credentialFromEnv(env: Env): Credential {
  const apiKey = value(env, 'TAILSCALE_API_KEY');
  const clientId = value(env, 'TAILSCALE_OAUTH_CLIENT_ID');
  const clientSecret = value(env, 'TAILSCALE_OAUTH_CLIENT_SECRET');
  const idToken = value(env, 'TAILSCALE_ID_TOKEN');
  for (const secret of [apiKey, clientSecret, idToken]) registerSecret(secret);
  return chooseCredential({ apiKey, clientId, clientSecret, idToken }, {
    apiKey: 'TAILSCALE_API_KEY',
    clientId: 'TAILSCALE_OAUTH_CLIENT_ID',
    clientSecret: 'TAILSCALE_OAUTH_CLIENT_SECRET',
    idToken: 'TAILSCALE_ID_TOKEN',
  });
}

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
    throw new UsageError(`both ${names.apiKey} and ${clientId ? names.clientId : clientSecret ? names.clientSecret : names.idToken} are set; set only one kind of credential`);
  }
  if (apiKey) {
    if (!apiKey.startsWith('tskey-api-') && !apiKey.startsWith('tskey-')) {
      throw new UsageError(`${names.apiKey} does not look like a Tailscale API access token (they start with "tskey-api-")`);
    }
    return { kind: 'api-key', key: apiKey };
  }
  if (clientSecret && idToken) throw new UsageError(`both ${names.clientSecret} and ${names.idToken} are set; an OAuth client uses one or the other`);
  if ((clientSecret || idToken) && !clientId) {
    throw new UsageError(`${clientSecret ? names.clientSecret : names.idToken} is set but ${names.clientId} is not; both are needed`);
  }
  if (clientId && clientSecret) return { kind: 'oauth-client', clientId, clientSecret };
  if (clientId && idToken) {
    const fetchToken = typeof idToken === 'string' ? () => Promise.resolve(idToken) : idToken;
    return { kind: 'workload-identity', clientId, idToken: fetchToken };
  }
  if (clientId) throw new UsageError(`${names.clientId} is set but neither ${names.clientSecret} nor ${names.idToken} is`);
  throw new UsageError(
    `no Tailscale credential: set ${names.apiKey}, or ${names.clientId} with ${names.clientSecret} (an OAuth client), or ${names.clientId} with ${names.idToken} (workload identity)`,
  );
}
