// What each Tailscale user role may do, in one phrase, so that a role change in a plan reads as what
// it gives or takes away: `member -> admin: gains everything in the admin console but ownership`.
// Phrased after Tailscale's user-roles documentation (kb/1138); roles govern the admin console, not
// which devices a user may reach (that is the policy file's job, through autogroup:<role>).
import type { Role } from '../domain/users.js';

/** What a role may do, as the object of "gains" or "loses". */
export const ROLE_GRANTS: Readonly<Record<Role, string>> = {
  owner: 'everything, billing and transferring ownership included',
  admin: 'everything in the admin console but ownership, billing included',
  'network-admin': 'the policy file, DNS and network settings (users and devices read-only)',
  'it-admin': 'users and devices (the policy file and network settings read-only)',
  'billing-admin': 'the pricing plan and billing',
  auditor: 'a read-only view of the whole admin console',
  member: 'no admin rights, their own devices only',
};

// What a role may do contains what every lower rank may do. Roles of the same rank are different
// powers, not more or less of one: it-admin to network-admin is a loss and a gain at once.
const RANK: Readonly<Record<Role, number>> = {
  member: 0,
  auditor: 1,
  'billing-admin': 1,
  'it-admin': 1,
  'network-admin': 1,
  admin: 2,
  owner: 3,
};

export type RoleChangeDirection = 'grant' | 'loss' | 'lateral' | 'none';

export interface RoleChangeDescription {
  direction: RoleChangeDirection;
  /** e.g. `gains the pricing plan and billing`; the caller writes `from -> to: ` before it. */
  text: string;
}

/** Says what a change from one role to another gives or takes away. */
export function describeRoleChange(from: Role, to: Role): RoleChangeDescription {
  if (from === to) return { direction: 'none', text: `keeps ${ROLE_GRANTS[to]}` };
  if (RANK[to] > RANK[from]) return { direction: 'grant', text: `gains ${ROLE_GRANTS[to]}` };
  if (RANK[to] < RANK[from])
    return { direction: 'loss', text: `loses ${ROLE_GRANTS[from]}; left with ${ROLE_GRANTS[to]}` };
  return { direction: 'lateral', text: `loses ${ROLE_GRANTS[from]}; gains ${ROLE_GRANTS[to]}` };
}
