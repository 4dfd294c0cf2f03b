// Create an OAuth app, or find the one of that name. Tailscale shows an app's client secret once, in
// the answer to the create, so the order matters: validate everything and make sure the secret has
// somewhere to go *before* the create; register the secret the moment it arrives; store it before
// any other call that might fail; only then read the app back (the seed's step 2) and confirm it.
// Names are not known to be unique on Tailscale's side, so uniqueness by name is kept here.
import { redact, registerSecret } from '../secrets.js';
import type { OAuthApp, OAuthAppInput } from '../tailscale/types.js';
import { compareOAuthApp, formatDifferences, replacementFor, type AppDifference } from './app-compare.js';
import { validateOAuthAppInput, type OAuthAppDraft } from './app-input.js';

/** The part of the Tailscale client this needs; `TailscaleClient` fits. */
export interface OAuthAppsApi {
  readonly tailnet: string;
  listOAuthApps(): Promise<OAuthApp[]>;
  getOAuthApp(id: string): Promise<OAuthApp>;
  createOAuthApp(input: OAuthAppInput): Promise<OAuthApp>;
  updateOAuthApp(id: string, input: OAuthAppInput): Promise<OAuthApp>;
}

/** Where a new app's client secret goes: a GitHub Actions secret, a 0600 file, standard output. */
export interface SecretSink {
  /** In words, for messages: `the file ./app.secret`, `the Actions secret TS_APP of example/infra`. */
  readonly description: string;
  /** Runs before the create, so a sink that cannot work refuses while nothing exists yet. */
  prepare(): Promise<void>;
  /** Stores the secret; says where, for the report. Must never put the secret in what it throws. */
  store(secret: string, app: OAuthApp): Promise<string>;
}

export interface CreateOrFindDeps {
  client: OAuthAppsApi;
  secretSink: SecretSink;
  /** Replace the settings of an existing app of that name (PUT; its secret survives). */
  update?: boolean | undefined;
  /** The Tailscale base URL, for the recovery commands in errors. Default `https://api.tailscale.com`. */
  baseUrl?: string | undefined;
}

/** The app as the API describes it, never with its secret. */
export type CreateOrFindResult =
  | { outcome: 'created'; app: OAuthApp; secretStoredIn: string }
  | { outcome: 'unchanged'; app: OAuthApp }
  | { outcome: 'differs'; app: OAuthApp; differences: AppDifference[] }
  | { outcome: 'updated'; app: OAuthApp; differences: AppDifference[] };

/** More than one app has the name: which one is meant cannot be told. */
export class AmbiguousOAuthAppError extends Error {
  constructor(name: string, ids: readonly string[]) {
    super(
      `${ids.length} OAuth apps are named "${name}" (IDs ${ids.join(', ')}); tailnet-access finds apps by name, ` +
        `so delete the extra ones (or give this one another name) and run again`,
    );
    this.name = 'AmbiguousOAuthAppError';
  }
}

/** The app was created but its secret could not be stored: it is lost, and the app must go. */
export class SecretNotStoredError extends Error {
  readonly appId: string;
  constructor(app: OAuthApp, sink: string, cause: unknown, recovery: string) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      redact(
        [
          `OAuth app "${app.name}" (ID ${app.id}) was created, but its client secret could not be stored in ` +
            `${sink}: ${reason}`,
          'Tailscale shows a client secret only once, so this app cannot be used; the secret was not printed anywhere.',
          recovery,
        ].join('\n'),
      ),
    );
    this.name = 'SecretNotStoredError';
    this.appId = app.id;
    this.cause = cause;
  }
}

/** After a write, reading the app back showed other scopes or redirect URIs than were sent. */
export class ReadBackMismatchError extends Error {
  constructor(app: OAuthApp, differences: readonly AppDifference[], secretNote: string) {
    super(
      [
        `OAuth app "${app.name}" (ID ${app.id}) was written, but reading it back shows other settings than were sent:`,
        ...formatDifferences(differences).map((line) => `  ${line} (+ sent but missing, - present but not sent)`),
        `${secretNote}Check the app in the Tailscale admin console before using it.`,
      ].join('\n'),
    );
    this.name = 'ReadBackMismatchError';
  }
}

/** The exact call that deletes an app, for recovery instructions. */
export function deleteAppCommand(baseUrl: string, tailnet: string, appId: string): string {
  const root = baseUrl.replace(/\/+$/, '').replace(/\/api\/v2$/, '');
  const url = `${root}/api/v2/tailnet/${encodeURIComponent(tailnet)}/oauth-apps/${encodeURIComponent(appId)}`;
  return `curl -fsS -X DELETE -H "Authorization: Bearer $TAILSCALE_API_KEY" "${url}"`;
}

function recoverySteps(baseUrl: string, tailnet: string, app: OAuthApp): string {
  return [
    'To recover:',
    `  1. Delete the app, with an API access token that has the oauth_apps scope in TAILSCALE_API_KEY:`,
    `       ${deleteAppCommand(baseUrl, tailnet, app.id)}`,
    '     (or delete it in the Tailscale admin console).',
    '  2. Fix the cause above and run this again; it will create a new app with a new secret.',
    `  Until the app is deleted, a re-run finds it by name and creates nothing.`,
  ].join('\n');
}

/** Scopes and redirect URIs, the fields the seed says to confirm after a create. */
function confirmedFields(wanted: OAuthAppInput, live: OAuthApp): AppDifference[] {
  return compareOAuthApp(live, wanted).filter((d) => d.field === 'scopes' || d.field === 'redirectURIs');
}

async function findByName(client: OAuthAppsApi, name: string): Promise<OAuthApp | undefined> {
  const matches = (await client.listOAuthApps()).filter((app) => app.name === name);
  if (matches.length > 1)
    throw new AmbiguousOAuthAppError(
      name,
      matches.map((app) => app.id),
    );
  return matches[0];
}

/** Strips the secret from an answer, so a result can be printed or logged whole. */
function withoutSecret(app: OAuthApp): OAuthApp {
  const { clientSecret: _secret, ...rest } = app;
  return rest;
}

async function create(input: OAuthAppInput, deps: CreateOrFindDeps, baseUrl: string): Promise<CreateOrFindResult> {
  const { client, secretSink } = deps;
  await secretSink.prepare();
  const created = await client.createOAuthApp(input);
  const secret = created.clientSecret;
  registerSecret(secret);
  const app = withoutSecret(created);
  if (secret === undefined || secret === '') {
    throw new SecretNotStoredError(
      app,
      secretSink.description,
      new Error('the create answer carried no clientSecret'),
      recoverySteps(baseUrl, client.tailnet, app),
    );
  }
  let secretStoredIn: string;
  try {
    secretStoredIn = await secretSink.store(secret, app);
  } catch (error) {
    throw new SecretNotStoredError(app, secretSink.description, error, recoverySteps(baseUrl, client.tailnet, app));
  }
  const readBack = await client.getOAuthApp(app.id);
  const mismatch = confirmedFields(input, readBack);
  if (mismatch.length > 0)
    throw new ReadBackMismatchError(readBack, mismatch, `Its client secret was stored in ${secretStoredIn}. `);
  return { outcome: 'created', app: withoutSecret(readBack), secretStoredIn };
}

/**
 * Validates the draft (before any request), then finds the app by name: absent, it is created and its
 * secret stored; present and the same, nothing happens; present and different, the differences are
 * reported, and with `update` the app is replaced (PUT) and read back.
 */
export async function createOrFindOAuthApp(draft: OAuthAppDraft, deps: CreateOrFindDeps): Promise<CreateOrFindResult> {
  const input = validateOAuthAppInput(draft);
  const baseUrl = deps.baseUrl ?? 'https://api.tailscale.com';
  const existing = await findByName(deps.client, input.name);
  if (existing === undefined) return create(input, deps, baseUrl);
  const app = withoutSecret(existing);
  const differences = compareOAuthApp(app, input);
  if (differences.length === 0) return { outcome: 'unchanged', app };
  if (!deps.update) return { outcome: 'differs', app, differences };
  await deps.client.updateOAuthApp(app.id, replacementFor(app, input));
  const readBack = await deps.client.getOAuthApp(app.id);
  const mismatch = confirmedFields(input, readBack);
  if (mismatch.length > 0) throw new ReadBackMismatchError(readBack, mismatch, 'Its client secret is unchanged. ');
  return { outcome: 'updated', app: withoutSecret(readBack), differences };
}
