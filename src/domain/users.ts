// Users and roles as this product knows them: the roles the file may state, and a tailnet user as the
// API lists it. Shared by the file reader, the planner, the client and the simulator (a leaf: it imports
// nothing of ours outside domain/).

export const ROLES = ['owner', 'admin', 'member', 'it-admin', 'network-admin', 'billing-admin', 'auditor'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export type UserType = 'member' | 'shared';

export type KnownUserStatus = 'active' | 'idle' | 'suspended' | 'needs-approval' | 'over-billing-limit';

/** A status Tailscale adds later is kept as text rather than failing every listing: it changes no plan. */
export type UserStatus = KnownUserStatus | (string & {});

export interface TailscaleUser {
  id: string;
  displayName: string;
  loginName: string;
  profilePicUrl?: string;
  tailnetId?: string;
  created?: string;
  /** RFC 3339; missing or zero (`0001-01-01T00:00:00Z`) for a user who never connected. */
  lastSeen?: string;
  type: UserType;
  role: Role;
  status: UserStatus;
  deviceCount: number;
  currentlyConnected: boolean;
}
