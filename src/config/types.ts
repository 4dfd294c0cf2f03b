// The desired state, as read from tailnet-access.yaml. Every entry keeps where it was written, so a
// warning or error about it can point at the line.
import type { SourceRef } from '../diagnostics.js';

export const ROLES = ['owner', 'admin', 'member', 'it-admin', 'network-admin', 'billing-admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface DesiredUser {
  /** The login as written in the file (compare case-insensitively). */
  login: string;
  /** Undefined when listed without a role (`carol@example.com: {}`): listed, role left alone. */
  role?: Role;
  at: SourceRef;
}

export interface DesiredMember {
  login: string;
  at: SourceRef;
}

export interface DesiredGroup {
  /** Always with the `group:` prefix. */
  name: string;
  description?: string;
  members: DesiredMember[];
  at: SourceRef;
}

export type UnmanagedUsers = 'ignore' | 'report' | 'demote';
export type UnmanagedGroups = 'keep' | 'remove';
export type OnManualEdits = 'warn' | 'fail';

export interface Settings {
  unmanagedUsers: UnmanagedUsers;
  unmanagedGroups: UnmanagedGroups;
  maxChanges: number;
  /** Path of the policy file kept in git, as written: relative to the config file's directory (the loader touches no disk). */
  policyFile?: string;
  onManualEdits: OnManualEdits;
  inviteMissingUsers: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  unmanagedUsers: 'ignore',
  unmanagedGroups: 'keep',
  maxChanges: 50,
  onManualEdits: 'warn',
  inviteMissingUsers: false,
};

export interface Desired {
  /** The config file path as given (used in every position). */
  file: string;
  version: 1;
  tailnet?: string;
  users: DesiredUser[];
  groups: DesiredGroup[];
  settings: Settings;
  /** Where each setting was written, for errors that concern a setting. */
  settingsAt: Partial<Record<keyof Settings, SourceRef>>;
}
