// Shapes of the simulator's inputs (fixture, knobs) and of what it records (the request log).
import type { Role, UserStatus, UserType } from '../domain/users.js';

/** A user as a fixture may give it: only the login is required, the rest has plain defaults. */
export interface FixtureUser {
  id?: string;
  loginName: string;
  displayName?: string;
  profilePicUrl?: string;
  tailnetId?: string;
  created?: string;
  lastSeen?: string;
  type?: UserType;
  role?: Role;
  status?: UserStatus;
  deviceCount?: number;
  currentlyConnected?: boolean;
}

/** An API access token; it acts as `user` (an id or a login) with that user's role, unless `scopes` narrows it. */
export interface FixtureApiKey {
  key: string;
  user: string;
  /** RFC 3339; compared with the simulated clock. */
  expires?: string;
  scopes?: string[];
}

export interface FixtureOAuthClient {
  id: string;
  /** `tskey-client-…` */
  secret: string;
  scopes: string[];
}

/** A trust credential for workload identity federation (e.g. GitHub Actions OIDC). */
export interface FixtureFederatedIdentity {
  clientId: string;
  issuer: string;
  audience: string;
  /** When set, the JWT's `sub` must match; `*` matches any run of characters. */
  subject?: string;
  scopes: string[];
  /** When set, JWTs must be HS256-signed with it; otherwise unsigned (`alg: none`) JWTs are accepted too. */
  hmacSecret?: string;
}

export interface FixtureCredentials {
  apiKeys?: FixtureApiKey[];
  oauthClients?: FixtureOAuthClient[];
  federatedIdentities?: FixtureFederatedIdentity[];
}

export interface FixtureOAuthApp {
  id?: string;
  name: string;
  description?: string;
  redirectURIs: string[];
  scopes: string[];
  allowedNodeAttributes?: string[];
  /** Known secret for tests; generated when absent. */
  clientSecret?: string;
}

export interface TailnetSettings {
  aclsExternallyManagedOn: boolean | null;
  aclsExternalLink: string;
  devicesApprovalOn: boolean | null;
  devicesAutoUpdatesOn: boolean | null;
  devicesKeyDurationDays: number;
  usersApprovalOn: boolean | null;
  usersRoleAllowedToJoinExternalTailnets: 'none' | 'admin' | 'member';
  networkFlowLoggingOn: boolean | null;
  regionalRoutingOn: boolean | null;
  postureIdentityCollectionOn: boolean | null;
  httpsEnabled: boolean | null;
}

export interface Fixture {
  /** The tailnet's legacy name, e.g. `example.com`. */
  tailnet: string;
  /** The tailnet ID, e.g. `T1234CNTRL`. */
  tailnetId?: string;
  users: FixtureUser[];
  /** HuJSON text, stored and served byte for byte. */
  policy: string;
  /** True while the policy is the untouched default (what `If-Match: "ts-default"` tests). */
  policyIsDefault?: boolean;
  settings?: Partial<TailnetSettings>;
  credentials?: FixtureCredentials;
  oauthApps?: FixtureOAuthApp[];
}

export type FaultKind = '500' | '502' | '503' | '504-html' | '429' | 'reset';

export interface FaultConfig {
  /** Probability, 0..1, that an eligible request gets a fault. */
  rate: number;
  /** Same seed + same request sequence = same faults. */
  seed: number;
  kinds: FaultKind[];
  /** Only requests with these methods are eligible (all when absent). */
  methods?: string[];
}

export interface RateLimit {
  perSecond: number;
  /** Bucket size; defaults to perSecond. */
  burst?: number;
}

/** An edit made "by someone else" to the stored policy: a function of the text, or a find/replace. */
export type PolicyEdit = ((text: string) => string) | { find: string; replace: string };

export interface ExternalWriter {
  edit: PolicyEdit;
  /** How many GET→POST windows it fires in; defaults to 1. */
  times?: number;
}

export interface Knobs {
  /** Added to every API request before it is handled. */
  latencyMs: number;
  rateLimit?: RateLimit;
  /** Decided before the handler runs, so a faulted write is never applied. */
  faults?: FaultConfig;
  /** Decided after a write was applied: the change stands but the answer is lost. */
  faultsAfterWrite?: FaultConfig;
  /**
   * Users (ids, or logins in any case) whose role changes are refused with 403, as the API refuses a
   * change it will not make; lets tests see one role change fail while the others succeed.
   */
  refuseRoleChangesOf?: string[];
  /** The same for suspend, restore and approve: users whose status changes are refused with 403. */
  refuseStatusChangesOf?: string[];
  /** Fires after a policy GET, before the next policy POST is checked; removed once spent. */
  externalWriter?: PolicyEdit | ExternalWriter;
  consent: 'grant' | 'deny';
  /** Login of the user who "clicks" the consent screen; defaults to the owner. */
  consentUser?: string;
  /** `expires_in` of client-credential and token-exchange tokens. */
  tokenTtlSeconds: number;
  /**
   * Scopes denied to every credential at request time, whatever it was granted; token answers leave them out of
   * `scope`.
   */
  withheldScopes: string[];
  /** `fail` (default): a policy test the simulator cannot evaluate fails validation, saying why. */
  unevaluableTests: 'fail' | 'pass';
  /** When true, validate also reports group members who are not users, as `warning(s) found`. */
  validateReportsWarnings: boolean;
  /** What a passing validate answers: an empty body (default) or `{}`; the spec allows both. */
  validateSuccessBody: 'empty' | 'object';
}

export const DEFAULT_KNOBS: Knobs = {
  latencyMs: 0,
  consent: 'grant',
  tokenTtlSeconds: 3600,
  withheldScopes: [],
  unevaluableTests: 'fail',
  validateReportsWarnings: false,
  validateSuccessBody: 'empty',
};

export type AuthorizationKind = 'none' | 'bearer' | 'basic' | 'other';
export type ActorKind = 'api-key' | 'oauth-client' | 'federated';

export interface RequestLogEntry {
  seq: number;
  /** Simulated clock, ms since the epoch, when the request arrived. */
  time: number;
  method: string;
  /** Path without the query, e.g. `/api/v2/tailnet/-/acl`. */
  path: string;
  query: Record<string, string>;
  /** 0 when the connection was reset. */
  status: number;
  ifMatch?: string;
  contentType?: string;
  accept?: string;
  authorization: AuthorizationKind;
  /** Which credential the request was authenticated as, when it was. */
  actor?: ActorKind;
  /** Write requests only (token requests are not writes, so their secrets are never kept). */
  body?: string;
  write: boolean;
  /** True when the request changed the simulator's state. */
  applied: boolean;
  fault?: FaultKind;
  durationMs: number;
}
