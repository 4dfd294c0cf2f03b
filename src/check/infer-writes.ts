// Whether the credential may change roles and write the policy, judged without writing anything.
//
// - OAuth client and workload identity: the token answer's `scope` lists what the token holds.
// - API key: it acts as the user who made it, so that user's role decides; the key's own record
//   (`GET /keys/{id}`) says who that is, and may narrow it further with scopes of its own. The role
//   table follows Tailscale's role descriptions (kb/1138): owners and admins may do everything, IT
//   admins manage users but not the policy, network admins edit the policy but not users, billing
//   admins and auditors only read, members have no admin access. The simulator follows the same table.
// What cannot be judged is reported as unknown, never as working.
import type { Role } from '../domain/users.js';
import { missingScope } from './explain.js';
import type { CheckOutcome } from './types.js';

export type WriteScope = 'users' | 'policy_file';

const READ = ':read';

/** Scope arithmetic [docs]: a scope without `:read` includes reading; `all` covers all, `all:read` every read. */
export function grants(scopes: readonly string[], needed: string): boolean {
  if (scopes.includes(needed) || scopes.includes('all')) return true;
  if (!needed.endsWith(READ)) return false;
  return scopes.includes(needed.slice(0, -READ.length)) || scopes.includes('all:read');
}

const ROLE_WRITES: Record<Role, readonly WriteScope[]> = {
  owner: ['users', 'policy_file'],
  admin: ['users', 'policy_file'],
  'it-admin': ['users'],
  'network-admin': ['policy_file'],
  'billing-admin': [],
  auditor: [],
  member: [],
};

const WHAT: Record<WriteScope, string> = { users: 'change roles', policy_file: 'edit the policy file' };

/** What a token holds: the scopes its answer listed (undefined when it listed none). */
export interface TokenBasis {
  kind: 'oauth-client' | 'workload-identity';
  scopes: string[] | undefined;
}

/** Whom an API key acts as, and the scopes of its own record, when they could be read. */
export interface KeyBasis {
  kind: 'api-key';
  user: { login: string; role: Role } | undefined;
  scopes: string[] | undefined;
  /** Why `user` is not known, and what to do about it. */
  unknown?: { because: string; fix: string };
}

export type WriteBasis = TokenBasis | KeyBasis;

export interface WriteJudgement {
  outcome: Exclude<CheckOutcome, 'skipped'>;
  detail: string;
  cause?: string;
  fix?: string;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function fromToken(scope: WriteScope, basis: TokenBasis): WriteJudgement {
  if (basis.scopes === undefined) {
    return {
      outcome: 'unknown',
      detail: 'the token answer did not list its scopes',
      cause: 'cannot tell without writing',
      fix: 'run apply on a small change and watch for a 403',
    };
  }
  const held = basis.scopes.length > 0 ? basis.scopes.join(' ') : 'none';
  if (grants(basis.scopes, scope)) return { outcome: 'ok', detail: `the token's scopes include "${scope}" (${held})` };
  return { outcome: 'fail', detail: `the token's scopes are: ${held}`, ...missingScope(scope, basis.kind) };
}

function fromKey(scope: WriteScope, basis: KeyBasis): WriteJudgement {
  if (basis.user === undefined) {
    const unknown = basis.unknown ?? {
      because: "the key's user is not known",
      fix: 'use an OAuth client, whose token lists its scopes',
    };
    return {
      outcome: 'unknown',
      detail: unknown.because,
      cause: `cannot tell whether the key's user may ${WHAT[scope]} without writing`,
      fix: unknown.fix,
    };
  }
  const { login, role } = basis.user;
  if (!ROLE_WRITES[role].includes(scope)) {
    return {
      outcome: 'fail',
      detail: `the key acts as ${login}, ${article(role)} ${role}`,
      cause: `${article(role)} ${role} may not ${WHAT[scope]} (it needs the "${scope}" scope)`,
      fix:
        `use an API key made by an admin${scope === 'users' ? ' or IT admin' : ' or network admin'}, or an OAuth ` +
        `client with the "${scope}" scope`,
    };
  }
  if (basis.scopes !== undefined && !grants(basis.scopes, scope)) {
    return {
      outcome: 'fail',
      detail: `the key's own scopes are: ${basis.scopes.join(' ') || 'none'}`,
      ...missingScope(scope, 'api-key'),
    };
  }
  return { outcome: 'ok', detail: `the key acts as ${login}, ${article(role)} ${role}, who may ${WHAT[scope]}` };
}

export function judgeWrite(scope: WriteScope, basis: WriteBasis): WriteJudgement {
  return basis.kind === 'api-key' ? fromKey(scope, basis) : fromToken(scope, basis);
}
