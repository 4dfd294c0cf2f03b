// What `check` found: one item per capability that plan or apply relies on, each saying whether it
// works, whether that was tested with a real (read-only) call or inferred from the credential's
// scopes or its user's role, and, when it does not work, the likely cause and what to do.
import type { Role } from '../domain/users.js';
import type { CredentialKind } from '../domain/credential.js';

/** What the credential must be good for: `apply` needs plan's reads and the two writes. */
export type CheckNeed = 'plan' | 'apply';

export type CheckItemId =
  'authenticate' | 'tailnet' | 'read-users' | 'read-policy' | 'validate-policy' | 'change-roles' | 'write-policy';

/** `skipped`: not tried, because an earlier failure (a refused credential, a wrong tailnet) decides it. */
export type CheckOutcome = 'ok' | 'fail' | 'unknown' | 'skipped';

/** `tested`: a read-only call was made. `inferred`: judged from scopes or a role, with no write. */
export type CheckMethod = 'tested' | 'inferred' | 'none';

export interface CheckItem {
  id: CheckItemId;
  /** In words: "read users". */
  title: string;
  outcome: CheckOutcome;
  method: CheckMethod;
  /** The scope this capability needs, when it is a matter of scope. */
  scope?: string;
  /** What was found, e.g. "9 member users, 1 shared". */
  detail: string;
  /** For fail and unknown: the likely cause, in plain words. */
  cause?: string;
  /** For fail and unknown: what to do about it. */
  fix?: string;
  /** Which commands cannot run without it. */
  neededBy: CheckNeed[];
}

/** Worth knowing, never a failure: no groups in the policy yet, a key about to expire. */
export interface CheckHint {
  code: string;
  message: string;
}

export interface CheckedCredential {
  kind: CredentialKind;
  /** The OAuth client ID, or the API key's non-secret ID; never a secret. */
  id?: string;
  /** Scopes granted, as the token answer or the key's record lists them. */
  scopes?: string[];
  /** RFC 3339, when the credential expires (API keys). */
  expires?: string;
  /** The user an API key acts as. */
  user?: { login: string; role: Role };
}

export interface CheckReport {
  version: 1;
  /** As addressed in API paths (`-` for the credential's own). */
  tailnet: string;
  /** The tailnet's ID, learned from its users, when they could be read. */
  tailnetId?: string;
  /** The API's host, e.g. `api.tailscale.com`. */
  host: string;
  credential: CheckedCredential;
  items: CheckItem[];
  hints: CheckHint[];
  /** Every item plan needs works. */
  canPlan: boolean;
  /** Every item plan and apply need works (inferred counts; unknown does not). */
  canApply: boolean;
  need: CheckNeed;
  /** canPlan or canApply, by `need`: the exit status of `check`. */
  ok: boolean;
}
