// A failed call of `check`, explained: whom to blame (the credential, the tailnet name, a missing
// scope, the connection, Tailscale itself) and what to do, in a user's words. Classified by status,
// as the client does; the texts the real API is known to send (reference/tailscale-api.md, "Errors")
// only sharpen the explanation.
import type { CredentialKind } from '../domain/credential.js';
import {
  ClientUsageError,
  TailscaleApiError,
  TailscaleNetworkError,
  UnexpectedResponseError,
} from '../tailscale/client.js';
import { namedTailnet } from '../tailscale/hints.js';
import { LivePolicyError } from '../tailscale/live.js';

/**
 * `credential` and `tailnet` make every later call pointless; `connection` too (nothing answers, or
 * something that is not the Tailscale API); `scope` and `server` concern this call only.
 */
export type Blame = 'credential' | 'tailnet' | 'connection' | 'scope' | 'server' | 'other';

export interface Explained {
  blame: Blame;
  /** What happened: the status and the server's words. */
  detail: string;
  cause: string;
  fix?: string;
}

export interface CallContext {
  credential: CredentialKind;
  /** The scope the failed call needs. */
  scope?: string;
  tailnet: string;
  /** Where the tailnet name was set, when the user set it (`TAILSCALE_TAILNET`, …). */
  tailnetFrom?: string | undefined;
  host: string;
}

const ENV_OF: Record<CredentialKind, string> = {
  'api-key': 'TAILSCALE_API_KEY',
  'oauth-client': 'TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET',
  'workload-identity': 'TAILSCALE_OAUTH_CLIENT_ID (the federated identity)',
};

export function refusedCredential(kind: CredentialKind): Pick<Explained, 'cause' | 'fix'> {
  switch (kind) {
    case 'api-key':
      return {
        cause: 'the API key is invalid, expired or revoked (API keys last 1 to 90 days)',
        fix:
          `create a new API key in the admin console (Settings → Keys) and put it in ${ENV_OF[kind]} (or the ` +
          `action's api-key input)`,
      };
    case 'oauth-client':
      return {
        cause:
          'the OAuth client ID or secret is wrong: the secret may have been regenerated in the admin console, or ' +
          'the client deleted',
        fix:
          `copy the client ID and its current secret into ${ENV_OF[kind]} (or the action's oauth-client-id and ` +
          `oauth-client-secret inputs)`,
      };
    case 'workload-identity':
      return {
        cause:
          "the ID token was refused: the federated identity's issuer, subject or audience does not match this " +
          'workflow, or the identity was deleted',
        fix:
          'check the trust credential in the admin console (Settings → Trust credentials) against the workflow: ' +
          'repository, branch or environment, and audience',
      };
  }
}

export function wrongTailnet(tailnet: string, from?: string): Pick<Explained, 'cause' | 'fix'> {
  return {
    cause: `${namedTailnet(tailnet, from)} is not the tailnet this credential belongs to (or no such tailnet exists)`,
    fix:
      'use the tailnet name shown in the admin console under Settings → General, its ID, or "-" for the ' +
      "credential's own tailnet (--tailnet, TAILSCALE_TAILNET or tailnet: in the file)",
  };
}

export function missingScope(scope: string, kind: CredentialKind): Pick<Explained, 'cause' | 'fix'> {
  if (kind === 'api-key') {
    return {
      cause:
        `the API key's user may not do this: it needs the "${scope}" scope, and an API key can do only what its ` +
        `user's role allows`,
      fix:
        `use an API key made by a user whose role allows it (owner or admin allow everything), or an OAuth client ` +
        `with the "${scope}" scope`,
    };
  }
  const where = kind === 'oauth-client' ? 'OAuth client' : 'trust credential';
  return {
    cause: `the ${where} lacks the "${scope}" scope`,
    fix:
      `create ${kind === 'oauth-client' ? 'an' : 'a'} ${where} that has the "${scope}" scope in the admin console ` +
      `and use it instead`,
  };
}

function isTokenPath(path: string): boolean {
  return /\/oauth\/token(-exchange)?$/.test(path);
}

function fromApi(error: TailscaleApiError, ctx: CallContext): Explained {
  const said = error.apiMessage ?? '';
  const detail = `${error.status}${said ? ` ${said}` : ''} from ${error.method} ${error.path}`;
  if (error instanceof UnexpectedResponseError) {
    return {
      blame: 'connection',
      detail,
      cause: `the server at ${ctx.host} did not answer like the Tailscale API`,
      fix: 'check the base URL (--base-url or TAILSCALE_BASE_URL); the default is https://api.tailscale.com',
    };
  }
  if (isTokenPath(error.path) && error.status !== 429 && error.status < 500) {
    if (/cannot grant scopes/i.test(said)) {
      return {
        blame: 'credential',
        detail,
        cause: 'the OAuth client was asked for scopes it does not have',
        fix: "ask for no scopes, or only for the client's own",
      };
    }
    return { blame: 'credential', detail, ...refusedCredential(ctx.credential) };
  }
  if (error.status === 401) return { blame: 'credential', detail, ...refusedCredential(ctx.credential) };
  if (error.status === 403 && /tailnet does not match/i.test(said))
    return { blame: 'tailnet', detail, ...wrongTailnet(ctx.tailnet, ctx.tailnetFrom) };
  if (error.status === 404 && error.path.includes('/tailnet/')) {
    if (ctx.tailnet !== '-') return { blame: 'tailnet', detail, ...wrongTailnet(ctx.tailnet, ctx.tailnetFrom) };
    return {
      blame: 'connection',
      detail,
      cause: `the server at ${ctx.host} has no such endpoint`,
      fix: 'check the base URL (--base-url or TAILSCALE_BASE_URL)',
    };
  }
  if (error.status === 403) {
    if (ctx.scope === undefined) return { blame: 'scope', detail, cause: 'the credential is not allowed to do this' };
    return { blame: 'scope', detail, ...missingScope(ctx.scope, ctx.credential) };
  }
  if (error.status === 429 || error.status >= 500) {
    return {
      blame: 'server',
      detail,
      cause: 'Tailscale, or a proxy in between, failed or is rate limiting',
      fix: 'try again in a few minutes',
    };
  }
  return { blame: 'other', detail, cause: error.hint ?? 'the API refused the request' };
}

/** Explains a failure of one of check's calls; anything that is not a failure of the API is rethrown. */
export function explainFailure(error: unknown, ctx: CallContext): Explained {
  if (error instanceof TailscaleApiError) return fromApi(error, ctx);
  if (error instanceof TailscaleNetworkError) {
    return {
      blame: 'connection',
      detail: `no answer from ${error.host} (${error.code})`,
      cause: `nothing answered at ${error.host}: the network, a proxy or the base URL is wrong`,
      fix: 'check the network and any proxy, and the base URL (--base-url or TAILSCALE_BASE_URL)',
    };
  }
  if (error instanceof LivePolicyError) {
    return {
      blame: 'other',
      detail: error.message,
      cause: "the tailnet's policy file is not valid HuJSON or its groups are malformed",
      fix: 'fix the policy file in the admin console (Access controls)',
    };
  }
  if (error instanceof ClientUsageError) return { blame: 'other', detail: error.message, cause: error.message };
  throw error;
}
