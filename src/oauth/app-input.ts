// What an OAuth app is created with, checked the way the API checks it (reference/tailscale-api.md,
// "OAuth apps"), so a bad flag or input is refused before any request: a refused create costs
// nothing, but a half-done run that created an app and then failed on the next field would.
import { UsageError } from '../errors.js';
import type { OAuthAppInput } from '../tailscale/types.js';

/** Device provisioning asks for this scope (seeds 001, 002); it is the default when none is given. */
export const DEFAULT_OAUTH_APP_SCOPES: readonly string[] = ['auth_keys:create:once'];

/** An app as a user asked for it, before validation. */
export interface OAuthAppDraft {
  name: string;
  /** Left out: an existing app keeps its description; a new one gets none. */
  description?: string | undefined;
  redirectURIs: readonly string[];
  /** Left out: the default scope. Given but empty: refused. */
  scopes?: readonly string[] | undefined;
  /** Left out or empty: no node attributes. */
  allowedNodeAttributes?: readonly string[] | undefined;
}

/** Every problem found in a draft, one per line, each naming the field. */
export class OAuthAppInputError extends UsageError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      `the OAuth app settings are not valid, so nothing was sent to ` +
        `Tailscale:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'OAuthAppInputError';
    this.problems = problems;
  }
}

const NAME = /^[A-Za-z0-9._-]{3,50}$/;
const MAX_DESCRIPTION = 300;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The API's rule: https, except loopback hosts (any scheme); no other raw IP address. */
export function redirectUriProblem(uri: string): string | undefined {
  const url = URL.parse(uri);
  if (!url || !url.hostname) return `redirect URI ${JSON.stringify(uri)} is not an absolute URL with a host`;
  if (LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  if (IPV4.test(url.hostname) || url.hostname.startsWith('[')) {
    return (
      `redirect URI ${JSON.stringify(uri)} has a raw IP address as its host; only 127.0.0.1 and ::1 are allowed (or ` +
      `use a host name)`
    );
  }
  if (url.protocol !== 'https:') {
    return (
      `redirect URI ${JSON.stringify(uri)} must use https (only localhost, 127.0.0.1 and ::1 may use another ` +
      `scheme)`
    );
  }
  return undefined;
}

function nameProblems(name: string): string[] {
  if (NAME.test(name)) return [];
  if (name.length < 3 || name.length > 50)
    return [`name ${JSON.stringify(name)} must be 3 to 50 characters long (it has ${name.length})`];
  return [`name ${JSON.stringify(name)} may contain only letters, digits, ".", "_" and "-"`];
}

function scopeProblems(scopes: readonly string[]): string[] {
  if (scopes.length === 0)
    return [`scopes must not be empty (device provisioning uses ${DEFAULT_OAUTH_APP_SCOPES.join(' ')})`];
  return scopes
    .filter((s) => s === '' || /\s/.test(s))
    .map((s) => `scope ${JSON.stringify(s)} is empty or contains white space`);
}

function attributeProblems(attributes: readonly string[]): string[] {
  return attributes
    .filter((a) => !/^custom:\S+$/.test(a))
    .map(
      (a) => `node attribute ${JSON.stringify(a)} must start with "custom:" (only custom attributes can be allowed)`,
    );
}

/** The draft as the API body, or an OAuthAppInputError listing every problem. */
export function validateOAuthAppInput(draft: OAuthAppDraft): OAuthAppInput {
  const scopes = draft.scopes ?? DEFAULT_OAUTH_APP_SCOPES;
  const attributes = draft.allowedNodeAttributes ?? [];
  const problems = [
    ...nameProblems(draft.name),
    ...(draft.description !== undefined && [...draft.description].length > MAX_DESCRIPTION
      ? [`description must be at most ${MAX_DESCRIPTION} characters (it has ${[...draft.description].length})`]
      : []),
    ...(draft.redirectURIs.length === 0 ? ['at least one redirect URI is required'] : []),
    ...draft.redirectURIs.flatMap((uri) => redirectUriProblem(uri) ?? []),
    ...scopeProblems(scopes),
    ...attributeProblems(attributes),
  ];
  if (problems.length > 0) throw new OAuthAppInputError(problems);
  const input: OAuthAppInput = {
    name: draft.name,
    redirectURIs: [...draft.redirectURIs],
    scopes: [...scopes],
    allowedNodeAttributes: [...attributes],
  };
  if (draft.description !== undefined) input.description = draft.description;
  return input;
}

/** An action input or environment value holding a list: items separated by commas or new lines. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
