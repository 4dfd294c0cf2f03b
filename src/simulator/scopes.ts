// Scope arithmetic. A scope without `:read` includes reading (`users` covers `users:read`), `all`
// covers everything and `all:read` every read [docs]. API access tokens have no scopes of their own:
// they act as their user, so the simulator derives scopes from the user's role. That mapping is the
// simulator's decision, following Tailscale's role descriptions (kb/1138): owners and admins do
// everything; IT admins manage users and read the rest; network admins edit the policy and read the
// rest; billing admins and auditors read; members have no admin API access.
import type { Role } from '../domain/users.js';

const READ = ':read';

export function covers(granted: readonly string[], needed: string): boolean {
  if (granted.includes(needed) || granted.includes('all')) return true;
  if (!needed.endsWith(READ)) return false;
  return granted.includes(needed.slice(0, -READ.length)) || granted.includes('all:read');
}

/** A withheld scope denies itself and its `:read` form, whatever the credential was granted. */
export function isWithheld(withheld: readonly string[], needed: string): boolean {
  if (withheld.includes(needed)) return true;
  return needed.endsWith(READ) && withheld.includes(needed.slice(0, -READ.length));
}

// The scopes the simulator's routes ask for, so that `all` can be spelt out when part of it is withheld.
const KNOWN_SCOPES = [
  'users',
  'policy_file',
  'oauth_apps',
  'feature_settings',
  'devices:posture_attributes',
  'api_access_tokens',
];

/**
 * What a credential granted `granted` holds once the `withheldScopes` knob has taken its share: what
 * token answers and key details report, so a connection check can see the gap without writing.
 */
export function effectiveScopes(granted: readonly string[], withheld: readonly string[]): string[] {
  if (withheld.length === 0) return [...granted];
  const spelt = granted.flatMap((scope) =>
    scope === 'all' ? KNOWN_SCOPES : scope === 'all:read' ? KNOWN_SCOPES.map((known) => `${known}${READ}`) : [scope],
  );
  return [...new Set(spelt.filter((scope) => !isWithheld(withheld, scope)))];
}

export function parseScopeList(scope: string | null | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter((item) => item !== '');
}

const ROLE_SCOPES: Record<Role, readonly string[]> = {
  owner: ['all'],
  admin: ['all'],
  'it-admin': ['users', 'all:read'],
  'network-admin': ['policy_file', 'all:read'],
  'billing-admin': ['all:read'],
  auditor: ['all:read'],
  member: [],
};

export function scopesOfRole(role: Role): string[] {
  return [...ROLE_SCOPES[role]];
}
