// The Tailscale API client: one object per tailnet and credential, holding one keep-alive connection
// pool, the access-token cache and the request counters. The calls themselves live by resource in
// users.ts, policy.ts and oauth-apps.ts; this file wires them to one transport.
import type { Role, TailscaleUser } from '../domain/users.js';
import { createAuthorizer } from './auth.js';
import type { Credential, CredentialKind } from '../domain/credential.js';
import { ApiCaller } from './caller.js';
import { ClientUsageError } from './errors.js';
import { Transport, transportOptions } from './http.js';
import { apiKeyIdOf, getKey } from './keys.js';
import type { ClientStats, TransportSettings } from './http.js';
import { createOAuthApp, deleteOAuthApp, getOAuthApp, listOAuthApps, updateOAuthApp } from './oauth-apps.js';
import { getPolicy, getPolicyDetails, setPolicy, validatePolicy } from './policy.js';
import { parseSettings } from './parse-api-objects.js';
import type {
  LiveState,
  OAuthApp,
  OAuthAppInput,
  PolicyDetails,
  TailnetSettings,
  TailscaleKey,
  UserInvite,
  UserInviteRequest,
} from './types.js';
import type { PolicyDocument, ValidateResult } from '../domain/policy.js';
import { changeUserStatus, createUserInvites, getUser, listUserInvites, listUsers, setUserRole } from './users.js';
import type { UserFilter, UserRef } from './users.js';

export type { ClientEvent, ClientStats } from './http.js';
export type { UserFilter, UserRef, UserStatusChange } from './users.js';
export {
  ClientUsageError,
  PolicyRejectedError,
  PreconditionFailedError,
  TailscaleApiError,
  TailscaleError,
  TailscaleNetworkError,
  UnexpectedResponseError,
} from './errors.js';
export { exchangeAuthorizationCode } from './oauth.js';
export type { AuthorizationCodeExchange } from './oauth.js';

export interface ClientOptions extends TransportSettings {
  credential: Credential;
  /** Default `-`, the credential's own tailnet; or a tailnet ID, or a legacy name like `example.com`. */
  tailnet?: string;
  /** Where `tailnet` was set (`TAILSCALE_TAILNET`, `--tailnet`, …), so errors can say; undefined for the default. */
  tailnetFrom?: string | undefined;
}

export interface TailscaleClient {
  readonly tailnet: string;
  readonly tailnetFrom: string | undefined;
  readonly credentialKind: CredentialKind;
  /** The id of the API key the client uses (`tskey-api-<id>-…`); undefined for other credentials. */
  readonly apiKeyId: string | undefined;
  /** A snapshot of the counters so far. */
  readonly stats: ClientStats;
  /**
   * How many requests the client lets in flight at once now: its rate gate's window, 4 at first, then
   * grown or shrunk by the API's answers. Callers that fan out (apply's role changes) follow it.
   */
  readonly concurrency: number;
  listUsers(filter?: UserFilter): Promise<TailscaleUser[]>;
  getUser(id: string): Promise<TailscaleUser>;
  setUserRole(user: UserRef, role: Role): Promise<void>;
  /** `POST /users/{id}/suspend`; a user already suspended is not an error (see users.ts). */
  suspendUser(user: UserRef): Promise<void>;
  /** `POST /users/{id}/restore`; a user already active or idle is not an error. */
  restoreUser(user: UserRef): Promise<void>;
  /** `POST /users/{id}/approve`; a user already active or idle is not an error. */
  approveUser(user: UserRef): Promise<void>;
  createUserInvites(invites: readonly UserInviteRequest[]): Promise<UserInvite[]>;
  listUserInvites(): Promise<UserInvite[]>;
  getPolicy(): Promise<PolicyDocument>;
  /** Throws PreconditionFailedError on 412 and PolicyRejectedError on 400 (see policy.ts). */
  setPolicy(text: string, ifMatch: string): Promise<PolicyDocument>;
  validatePolicy(text: string): Promise<ValidateResult>;
  getPolicyDetails(): Promise<PolicyDetails>;
  getTailnetSettings(): Promise<TailnetSettings>;
  /** `GET /tailnet/{tailnet}/keys/{keyId}`: who made a key (an API key may read its own record). */
  getKey(keyId: string): Promise<TailscaleKey>;
  listOAuthApps(): Promise<OAuthApp[]>;
  getOAuthApp(id: string): Promise<OAuthApp>;
  createOAuthApp(input: OAuthAppInput): Promise<OAuthApp>;
  updateOAuthApp(id: string, input: OAuthAppInput): Promise<OAuthApp>;
  deleteOAuthApp(id: string): Promise<void>;
  /** Users and policy, read in parallel: what `plan` needs. */
  readLiveState(): Promise<LiveState>;
  /** Closes the connection pool; the client cannot be used afterwards. */
  close(): Promise<void>;
  /** Closes at once: requests in flight are cut off and reject; for reads whose answers will not be used. */
  abandon(): Promise<void>;
}

export function createTailscaleClient(options: ClientOptions): TailscaleClient {
  const tailnet = options.tailnet ?? '-';
  if (tailnet.trim() === '')
    throw new ClientUsageError('the tailnet name is empty; use "-" for the credential\'s own tailnet');
  const settings = transportOptions(options);
  const transport = new Transport(settings);
  const api = new ApiCaller(
    transport,
    createAuthorizer(options.credential, transport, settings.now),
    tailnet,
    options.tailnetFrom,
  );

  const { credential } = options;
  const client: TailscaleClient = {
    tailnet,
    tailnetFrom: options.tailnetFrom,
    credentialKind: credential.kind,
    apiKeyId: credential.kind === 'api-key' ? apiKeyIdOf(credential.key.trim()) : undefined,
    get stats() {
      return { ...transport.stats };
    },
    get concurrency() {
      return transport.gate.concurrency;
    },
    listUsers: (filter) => listUsers(api, filter),
    getUser: (id) => getUser(api, id),
    setUserRole: (user, role) => setUserRole(api, user, role),
    suspendUser: (user) => changeUserStatus(api, user, 'suspend'),
    restoreUser: (user) => changeUserStatus(api, user, 'restore'),
    approveUser: (user) => changeUserStatus(api, user, 'approve'),
    createUserInvites: (invites) => createUserInvites(api, invites),
    listUserInvites: () => listUserInvites(api),
    getPolicy: () => getPolicy(api),
    setPolicy: (text, ifMatch) => setPolicy(api, text, ifMatch),
    validatePolicy: (text) => validatePolicy(api, text),
    getPolicyDetails: () => getPolicyDetails(api),
    getTailnetSettings: () =>
      api.json(
        {
          operation: 'read the tailnet settings',
          method: 'GET',
          path: `${api.tailnetPath}/settings`,
          idempotent: true,
          scopes: ['policy_file:read', 'feature_settings:read'],
        },
        parseSettings,
      ),
    getKey: (keyId) => getKey(api, keyId),
    listOAuthApps: () => listOAuthApps(api),
    getOAuthApp: (id) => getOAuthApp(api, id),
    createOAuthApp: (input) => createOAuthApp(api, input),
    updateOAuthApp: (id, input) => updateOAuthApp(api, id, input),
    deleteOAuthApp: (id) => deleteOAuthApp(api, id),
    async readLiveState() {
      const [users, policy] = await Promise.all([client.listUsers(), client.getPolicy()]);
      return { users, policy };
    },
    close: () => transport.close(),
    abandon: () => transport.abandon(),
  };
  return client;
}
