// What a failed answer most likely means, in a user's words. Classified by status; the texts the real
// API is known to send (reference/tailscale-api.md, "Errors") only sharpen the explanation.
import type { CredentialKind } from '../domain/credential.js';

export interface HintContext {
  credential: CredentialKind | 'none';
  /** The scopes that allow this call, e.g. `["users:read"]`; any one of them is enough. */
  scopes?: readonly string[];
  /** Set when the path is under `/tailnet/{tailnet}`. */
  tailnet?: string;
  /** Where that name came from (`TAILSCALE_TAILNET`, `--tailnet`, …), when the user set it. */
  tailnetFrom?: string;
  host: string;
  attempts: number;
  /** Added to the default 403 hint (e.g. invites need a user's API key). */
  forbidden?: string;
  /** Replace the default hint of a status: a token endpoint knows better what a 401 means, a 404 on
   * `/users/{id}` means no such user. */
  byStatus?: Partial<Record<number, string>>;
}

const UNAUTHORIZED: Record<CredentialKind | 'none', string> = {
  'api-key': 'the API key is invalid or expired; create a new one in the admin console (Settings → Keys)',
  'oauth-client':
    'the OAuth client was refused even with a fresh access token; it may have been deleted, or its secret regenerated',
  'workload-identity':
    'the access token from the workload identity exchange was refused even when fetched again; check the ' +
    'federated identity in the admin console',
  none: 'the request was not authorised',
};

/**
 * `the tailnet "x" (from TAILSCALE_TAILNET)`: a wrong name is fixed where it was set, and a value from
 * the environment or the file is easy to forget.
 */
export function namedTailnet(tailnet: string, from?: string): string {
  return `the tailnet "${tailnet}"${from ? ` (from ${from})` : ''}`;
}

function quoted(scopes: readonly string[]): string {
  return scopes.map((s) => `"${s}"`).join(' or ');
}

function forbiddenHint(message: string, ctx: HintContext): string {
  if (/tailnet does not match/i.test(message)) {
    const named = ctx.tailnet === undefined ? 'the tailnet' : namedTailnet(ctx.tailnet, ctx.tailnetFrom);
    return (
      `${named} is not the credential's own tailnet; check the tailnet name, or use "-" for the credential's ` +
      `tailnet`
    );
  }
  if (/cannot grant scopes/i.test(message)) {
    return 'the OAuth client was asked for scopes it does not have; ask only for its own scopes, or for none';
  }
  let hint = 'the credential is not allowed to do this';
  if (ctx.scopes && ctx.scopes.length > 0) {
    hint = `the credential probably lacks the ${quoted(ctx.scopes)} scope`;
    if (ctx.credential === 'api-key') hint += ' (an API key can do only what the user who created it may do)';
  }
  return ctx.forbidden ? `${hint}; ${ctx.forbidden}` : hint;
}

function notFoundHint(ctx: HintContext): string {
  if (ctx.tailnet !== undefined && ctx.tailnet !== '-') {
    return (
      `${namedTailnet(ctx.tailnet, ctx.tailnetFrom)} is not visible to this credential; check the tailnet name, or ` +
      `use "-" for the credential's own tailnet`
    );
  }
  return `the server at ${ctx.host} has no such endpoint; check the base URL`;
}

/** A hint for a failed answer, or undefined when the server's own message says it all (e.g. a 400). */
export function hintFor(status: number, message: string, ctx: HintContext, location?: string): string | undefined {
  if (status >= 300 && status < 400) {
    return `the server redirected${location ? ` to ${location}` : ''}; set the base URL to the API's own address`;
  }
  const special = ctx.byStatus?.[status];
  if (special !== undefined) return special;
  if (status === 401) return UNAUTHORIZED[ctx.credential];
  if (status === 403) return forbiddenHint(message, ctx);
  if (status === 404) return notFoundHint(ctx);
  if (status === 412) return 'the policy file changed since it was read; read it again and plan again';
  const tries = ctx.attempts > 1 ? ` (gave up after ${ctx.attempts} attempts)` : '';
  if (status === 429) return `rate limited by Tailscale${tries}; wait a few minutes and run again`;
  if (status >= 500) return `Tailscale, or a proxy in between, failed${tries}; try again later`;
  return undefined;
}
