// The desired state, as read from tailnet-access.yaml. Every entry keeps where it was written, so a
// warning or error about it can point at the line.
import type { SourceRef } from '../domain/diagnostic.js';
import type { TimeValue } from './until.js';
import type { Role } from '../domain/users.js';

export interface DesiredUser {
  /** The login as written in the file (compare case-insensitively). */
  login: string;
  /** Undefined when listed without a role (`carol@example.com: {}`): listed, role left alone. */
  role?: Role;
  /** `until:` on the role: past it the role falls back to `member`. Only with a role other than member. */
  until?: TimeValue;
  untilAt?: SourceRef;
  /** Declared `status:`; undefined leaves the status alone. */
  status?: DeclaredStatus;
  statusAt?: SourceRef;
  at: SourceRef;
}

export const DECLARED_STATUSES = ['active', 'suspended'] as const;
export type DeclaredStatus = (typeof DECLARED_STATUSES)[number];

export interface DesiredMember {
  login: string;
  /** `{ login, until }`: past it the membership is gone. */
  until?: TimeValue;
  at: SourceRef;
}

export interface DesiredGroup {
  /** Always with the `group:` prefix. */
  name: string;
  description?: string;
  members: DesiredMember[];
  at: SourceRef;
}

export type UnmanagedUsers = 'ignore' | 'report' | 'demote' | 'suspend';
export type UnmanagedGroups = 'keep' | 'remove';
export type OnManualEdits = 'warn' | 'fail';
export type OnUnreviewedChanges = 'warn' | 'fail';

export interface Settings {
  unmanagedUsers: UnmanagedUsers;
  unmanagedGroups: UnmanagedGroups;
  maxChanges: number;
  /**
   * Path of the policy file kept in git, as written: relative to the config file's directory (the loader touches no
   * disk).
   */
  policyFile?: string;
  onManualEdits: OnManualEdits;
  /**
   * The action's apply on push: changes no plan on the merged pull request showed are listed (warn) or refused (fail).
   */
  onUnreviewedChanges: OnUnreviewedChanges;
  inviteMissingUsers: boolean;
  /** An end date (`until`) this many days away or closer is a plan warning (`access.expiring`). */
  expiryWarningDays: number;
}

export const DEFAULT_SETTINGS: Settings = {
  unmanagedUsers: 'ignore',
  unmanagedGroups: 'keep',
  maxChanges: 50,
  onManualEdits: 'warn',
  onUnreviewedChanges: 'warn',
  inviteMissingUsers: false,
  expiryWarningDays: 7,
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
