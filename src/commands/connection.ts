// Where to connect and as whom: flags win over the environment, the environment over the file
// (contract.md §2). Credentials come only from the environment (or the action's inputs), with the
// names Tailscale's Terraform provider uses, and are registered as secrets the moment they are read.
import { registerSecret } from '../secrets.js';
import type { Credential } from '../domain/credential.js';
import { chooseCredential } from '../tailscale/credential.js';

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

export function resolveTailnet(
  flag: string | undefined,
  env: Env,
  file: { tailnet?: string | undefined; file: string } | undefined,
): TailnetChoice {
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
  return chooseCredential(
    { apiKey, clientId, clientSecret, idToken },
    {
      apiKey: 'TAILSCALE_API_KEY',
      clientId: 'TAILSCALE_OAUTH_CLIENT_ID',
      clientSecret: 'TAILSCALE_OAUTH_CLIENT_SECRET',
      idToken: 'TAILSCALE_ID_TOKEN',
    },
  );
}

export { chooseCredential, type CredentialParts } from '../tailscale/credential.js';
