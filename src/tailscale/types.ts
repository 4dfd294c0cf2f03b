// Shapes of the Tailscale API as this product uses them (reference/tailscale-api.md).
import type { Role, TailscaleUser } from '../domain/users.js';
import type { PolicyDocument } from '../domain/policy.js';

export interface OAuthApp {
  id: string;
  name: string;
  description?: string;
  redirectURIs: string[];
  scopes: string[];
  allowedNodeAttributes?: string[];
  /** Only in the answer to a create, shown that once. */
  clientSecret?: string;
  created?: string;
  updated?: string;
}

export interface OAuthAppInput {
  name: string;
  description?: string;
  redirectURIs: string[];
  scopes: string[];
  allowedNodeAttributes?: string[];
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

/** `POST /tailnet/{tailnet}/user-invites` takes an array of these. */
export interface UserInviteRequest {
  email: string;
  role: Exclude<Role, 'owner'>;
}

export interface UserInvite {
  id: string;
  role: Role;
  email?: string;
  /** Numbers in the spec; kept as text because they are identifiers, not quantities. */
  tailnetId?: string;
  inviterId?: string;
  lastEmailSentAt?: string;
  /** Anyone holding this link can join the tailnet: the client registers it as a secret. */
  inviteUrl?: string;
}

/** The subset of `GET /tailnet/{tailnet}/settings` this product reads; other fields are dropped. */
export interface TailnetSettings {
  /** True when the console forbids editing the policy because it is managed elsewhere (GitOps). */
  aclsExternallyManagedOn?: boolean | null;
  aclsExternalLink?: string;
  usersApprovalOn?: boolean | null;
  devicesApprovalOn?: boolean | null;
}

/** `GET /acl?details=true`: the policy text plus the server's own warnings about it. */
export interface PolicyDetails {
  text: string;
  /** E.g. `"group:eng": user not found: "bob@example.com"`. */
  warnings: string[];
  errors: string[];
}

/** `GET /tailnet/{tailnet}/keys/{keyId}`: what a key is and who made it; never the key itself. */
export interface TailscaleKey {
  id: string;
  /** `api` for API access tokens; `auth`, `client`, `federated` for the others. */
  keyType: string;
  /** The user who created the key; absent for keys made by trust credentials. */
  userId?: string;
  expires?: string;
  /** True for a revoked or expired key. */
  invalid: boolean;
  scopes?: string[];
}

/** Everything `plan` reads, fetched together. */
export interface LiveState {
  users: TailscaleUser[];
  policy: PolicyDocument;
}
