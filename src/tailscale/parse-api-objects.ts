// Checks that an answer has the shape the rest of the program relies on, field by field, so garbage
// (a wrong base URL, a proxy page, an API change) fails here with the field named, and not three
// modules later as `undefined`. Lenient where the API is known to vary (null lists, number IDs,
// `redirectUris`), strict where a wrong guess would change a plan (roles).
import { ROLES } from '../domain/users.js';
import type { Role, TailscaleUser, UserType } from '../domain/users.js';
import { redact, registerSecret } from '../secrets.js';
import type { OAuthApp, PolicyDetails, TailnetSettings, TokenResponse, UserInvite } from './types.js';
import type { PolicyErrorData } from '../domain/policy.js';

/** The answer is well-formed JSON but not the expected shape; the client reports it with the call. */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

type Fields = Record<string, unknown>;

const USER_TYPES: readonly UserType[] = ['member', 'shared'];

function record(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ShapeError(`${what} is ${describe(value)}, expected an object`);
  }
  return value as Fields;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  // Redacted before the cut, so no head of a secret survives it.
  if (typeof value === 'string') return `"${redact(value).slice(0, 40)}"`;
  return typeof value === 'object' ? 'an object' : String(value);
}

function requiredText(fields: Fields, key: string, what: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || value === '')
    throw new ShapeError(`${what}.${key} is ${describe(value)}, expected text`);
  return value;
}

function optionalText(fields: Fields, key: string, what: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ShapeError(`${what}.${key} is ${describe(value)}, expected text`);
  return value;
}

/** IDs are strings in the spec, but some (invite tailnetId, inviterId) are integers: keep them as text. */
function optionalId(fields: Fields, key: string, what: string): string | undefined {
  const value = fields[key];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return optionalText(fields, key, what);
}

function requiredId(fields: Fields, key: string, what: string): string {
  const value = optionalId(fields, key, what);
  if (value === undefined || value === '') throw new ShapeError(`${what}.${key} is missing`);
  return value;
}

function oneOf<T extends string>(fields: Fields, key: string, allowed: readonly T[], what: string): T {
  const value = fields[key];
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) {
    throw new ShapeError(`${what}.${key} is ${describe(value)}, expected one of ${allowed.join(', ')}`);
  }
  return found;
}

function textList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ShapeError(`${what} is ${describe(value)}, expected a list of text`);
  }
  return value;
}

/** Server messages: keep every entry, as text even when it is not. */
export function looseTextList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

/** `data` of a policy error or validation answer, `[{user, errors, warnings}]`, loosely read. */
export function policyErrorData(value: unknown): PolicyErrorData[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .filter((entry): entry is Fields => typeof entry === 'object' && entry !== null && !Array.isArray(entry))
    .map((entry) => {
      const out: PolicyErrorData = {};
      if (typeof entry.user === 'string') out.user = entry.user;
      if (Array.isArray(entry.errors)) out.errors = looseTextList(entry.errors);
      if (Array.isArray(entry.warnings)) out.warnings = looseTextList(entry.warnings);
      return out;
    });
}

function listIn(value: unknown, key: string, what: string): unknown[] {
  const fields = record(value, what);
  const list = fields[key];
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw new ShapeError(`${what}.${key} is ${describe(list)}, expected a list`);
  return list;
}

/**
 * A user who never connected has no `lastSeen`, or (as Go writes a zero time) `0001-01-01T00:00:00Z`,
 * or an empty one: all three read as absent, so nothing shows a date two thousand years ago.
 */
function seenAt(value: string | undefined): string | undefined {
  if (value === undefined || value === '' || value.startsWith('0001-01-01')) return undefined;
  return value;
}

export function parseUser(value: unknown, what = 'the user'): TailscaleUser {
  const f = record(value, what);
  // Every user object gets the same fields in the same order, absent ones as undefined: users of one
  // shape keep property access fast in the diff over 10,000 of them (mixed shapes cost it half again).
  return {
    id: requiredId(f, 'id', what),
    loginName: requiredText(f, 'loginName', what),
    displayName: optionalText(f, 'displayName', what) ?? '',
    profilePicUrl: optionalText(f, 'profilePicUrl', what),
    tailnetId: optionalId(f, 'tailnetId', what),
    created: optionalText(f, 'created', what),
    lastSeen: seenAt(optionalText(f, 'lastSeen', what)),
    type: oneOf(f, 'type', USER_TYPES, what),
    role: oneOf<Role>(f, 'role', ROLES, what),
    status: requiredText(f, 'status', what),
    deviceCount: typeof f.deviceCount === 'number' ? f.deviceCount : 0,
    currentlyConnected: f.currentlyConnected === true,
  };
}

export function parseUserList(value: unknown): TailscaleUser[] {
  return listIn(value, 'users', 'answer').map((user, i) => parseUser(user, `users[${i}]`));
}

export function parseInvite(value: unknown, what = 'the invite'): UserInvite {
  const f = record(value, what);
  const invite: UserInvite = { id: requiredId(f, 'id', what), role: oneOf<Role>(f, 'role', ROLES, what) };
  const inviteUrl = optionalText(f, 'inviteUrl', what);
  // Anyone holding the link can join the tailnet.
  registerSecret(inviteUrl);
  if (inviteUrl !== undefined) invite.inviteUrl = inviteUrl;
  const email = optionalText(f, 'email', what);
  if (email !== undefined) invite.email = email;
  const tailnetId = optionalId(f, 'tailnetId', what);
  if (tailnetId !== undefined) invite.tailnetId = tailnetId;
  const inviterId = optionalId(f, 'inviterId', what);
  if (inviterId !== undefined) invite.inviterId = inviterId;
  const sent = optionalText(f, 'lastEmailSentAt', what);
  if (sent !== undefined) invite.lastEmailSentAt = sent;
  return invite;
}

/** Invites come back as a bare array, both from the list and from the create. */
export function parseInviteList(value: unknown): UserInvite[] {
  if (!Array.isArray(value)) throw new ShapeError(`the answer is ${describe(value)}, expected a list of invites`);
  return value.map((invite, i) => parseInvite(invite, `invites[${i}]`));
}

export function parseOAuthApp(value: unknown, what = 'the OAuth app'): OAuthApp {
  const f = record(value, what);
  const clientSecret = optionalText(f, 'clientSecret', what);
  registerSecret(clientSecret);
  const app: OAuthApp = {
    id: requiredId(f, 'id', what),
    name: requiredText(f, 'name', what),
    // The spec spells redirectURIs; a documented example spells redirectUris. Accept both.
    redirectURIs: textList(f.redirectURIs ?? f.redirectUris, `${what}.redirectURIs`),
    scopes: textList(f.scopes, `${what}.scopes`),
  };
  if (clientSecret !== undefined) app.clientSecret = clientSecret;
  const description = optionalText(f, 'description', what);
  if (description !== undefined) app.description = description;
  if (f.allowedNodeAttributes !== undefined && f.allowedNodeAttributes !== null) {
    app.allowedNodeAttributes = textList(f.allowedNodeAttributes, `${what}.allowedNodeAttributes`);
  }
  const created = optionalText(f, 'created', what);
  if (created !== undefined) app.created = created;
  const updated = optionalText(f, 'updated', what);
  if (updated !== undefined) app.updated = updated;
  return app;
}

export function parseOAuthAppList(value: unknown): OAuthApp[] {
  return listIn(value, 'oauthApps', 'answer').map((app, i) => parseOAuthApp(app, `oauthApps[${i}]`));
}

/** Registers the access token as a secret before anything else can see it. */
export function parseTokenResponse(value: unknown): TokenResponse {
  const f = record(value, 'the token answer');
  const token = requiredText(f, 'access_token', 'the token answer');
  registerSecret(token);
  // KB 1215: tokens last an hour. A server that leaves the lifetime out gets that.
  const expiresIn = typeof f.expires_in === 'number' && f.expires_in > 0 ? f.expires_in : 3600;
  const response: TokenResponse = {
    access_token: token,
    token_type: optionalText(f, 'token_type', 'the token answer') ?? 'Bearer',
    expires_in: expiresIn,
  };
  // Only informative (what the token may do), so a shape other than RFC 6749's space-separated
  // text is read if it can be, and otherwise left out rather than refusing a good token.
  const scope = f.scope;
  if (typeof scope === 'string') response.scope = scope;
  else if (Array.isArray(scope) && scope.every((item) => typeof item === 'string')) response.scope = scope.join(' ');
  return response;
}

function optionalFlag(fields: Fields, key: string): boolean | null | undefined {
  const value = fields[key];
  if (value === undefined || value === null || typeof value === 'boolean') return value;
  throw new ShapeError(`settings.${key} is ${describe(value)}, expected true or false`);
}

export function parseSettings(value: unknown): TailnetSettings {
  const f = record(value, 'settings');
  const settings: TailnetSettings = {};
  for (const key of ['aclsExternallyManagedOn', 'usersApprovalOn', 'devicesApprovalOn'] as const) {
    const flag = optionalFlag(f, key);
    if (flag !== undefined) settings[key] = flag;
  }
  const link = optionalText(f, 'aclsExternalLink', 'settings');
  if (link !== undefined) settings.aclsExternalLink = link;
  return settings;
}

export function parsePolicyDetails(value: unknown): PolicyDetails {
  const f = record(value, 'answer');
  const acl = requiredText(f, 'acl', 'answer');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(acl.replace(/\s+/g, ''))) throw new ShapeError('answer.acl is not base64');
  return {
    text: Buffer.from(acl, 'base64').toString('utf8'),
    warnings: looseTextList(f.warnings),
    errors: looseTextList(f.errors),
  };
}
