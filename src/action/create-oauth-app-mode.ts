// The action's `mode: create-oauth-app` (a workflow_dispatch job): create or find the OAuth app, and
// put its client secret straight into an Actions secret. The secret is never an output and never
// logged; the outputs are the app ID and the client ID. main.ts passes the settings its input reader
// made, the Tailscale client it opened, and the repository the run belongs to.
import * as core from '@actions/core';
import {
  actionsSecretTargetProblems,
  ActionsSecrets,
  describeActionsSecret,
  type ActionsPublicKey,
  type ActionsSecretsOptions,
  type ActionsSecretTarget,
} from '../github/actions-secrets.js';
import { formatDifferences, type AppDifference } from '../oauth/app-compare.js';
import { OAuthAppInputError, validateOAuthAppInput, type OAuthAppDraft } from '../oauth/app-input.js';
import {
  createOrFindOAuthApp,
  type CreateOrFindResult,
  type OAuthAppsApi,
  type SecretSink,
} from '../oauth/create-or-find.js';
import { registerSecret } from '../secrets.js';
import { log } from './log.js';

/** The inputs of `mode: create-oauth-app` (contract.md §4); lists split on commas and newlines. */
export interface CreateOAuthAppSettings {
  name: string | undefined;
  description: string | undefined;
  redirectUris: string[];
  scopes: string[];
  allowedNodeAttributes: string[];
  /** The Actions secret that receives the client secret. */
  secretName: string | undefined;
  /** Store the secret in this deployment environment instead of the repository. */
  secretEnvironment: string | undefined;
  /** A token allowed to write Actions secrets (the workflow's own token never is). */
  secretsToken: string | undefined;
  /** Replace the settings of an existing app of that name (its secret stays the same). */
  update?: boolean | undefined;
}

/** Input names, so errors name what the user typed in the workflow. */
const INPUTS = {
  name: 'app-name',
  redirectUris: 'redirect-uris',
  secretName: 'secret-name',
  secretsToken: 'secrets-token',
} as const;

export interface CreateOAuthAppModeDeps {
  /** The Tailscale client main.ts opened (a TailscaleClient fits). */
  client: OAuthAppsApi;
  /** Where the run happens: `GITHUB_API_URL` and `GITHUB_REPOSITORY` (`owner/repo` or its parts). */
  github: { apiUrl: string; repository: string | { owner: string; repo: string } | undefined };
  /** The Tailscale base URL, for the recovery command if storing the secret fails. */
  baseUrl?: string | undefined;
  /** Default: the step's outputs (core.setOutput). */
  setOutput?: (name: string, value: string) => void;
  /** Default: the job log. */
  info?: (line: string) => void;
  secrets?: ActionsSecretsOptions;
}

export interface CreateOAuthAppModeResult {
  outcome: CreateOrFindResult['outcome'];
  appId: string;
  clientId: string;
  differences: AppDifference[];
}

/** An app of that name exists with other settings, and `update-app` was not set: nothing was changed. */
export class OAuthAppDiffersError extends Error {
  constructor(name: string, id: string, differences: readonly AppDifference[]) {
    super(
      [
        `OAuth app "${name}" (ID ${id}) already exists with other settings; nothing was changed:`,
        ...formatDifferences(differences).map((line) => `  ${line} (+ asked for, - present now)`),
        'Set the input update-app: true to replace its settings (its client secret stays the same), or change the ' +
          'inputs to match.',
      ].join('\n'),
    );
    this.name = 'OAuthAppDiffersError';
  }
}

function draftOf(settings: CreateOAuthAppSettings): OAuthAppDraft {
  return {
    name: settings.name ?? '',
    description: settings.description,
    redirectURIs: settings.redirectUris,
    scopes: settings.scopes.length > 0 ? settings.scopes : undefined,
    allowedNodeAttributes: settings.allowedNodeAttributes,
  };
}

function repositoryOf(repository: CreateOAuthAppModeDeps['github']['repository']): string {
  if (repository === undefined) return '';
  return typeof repository === 'string' ? repository : `${repository.owner}/${repository.repo}`;
}

/** Every problem with the inputs at once, before any call to Tailscale or GitHub. */
function checkInputs(settings: CreateOAuthAppSettings, target: ActionsSecretTarget): void {
  const required: [string, boolean][] = [
    [INPUTS.name, settings.name !== undefined && settings.name !== ''],
    [INPUTS.redirectUris, settings.redirectUris.length > 0],
    [INPUTS.secretName, target.name !== ''],
    [INPUTS.secretsToken, target.token !== ''],
  ];
  const missing = required
    .filter(([, given]) => !given)
    .map(([name]) => `the input ${name} is required in mode create-oauth-app`);
  let appProblems: readonly string[] = [];
  if (settings.name && settings.redirectUris.length > 0) {
    try {
      validateOAuthAppInput(draftOf(settings));
    } catch (error) {
      if (!(error instanceof OAuthAppInputError)) throw error;
      appProblems = error.problems;
    }
  }
  if (target.repository === '')
    missing.push('GITHUB_REPOSITORY is not set, so there is no repository to store the secret in');
  const targetProblems =
    target.name !== '' && target.token !== '' && target.repository !== '' ? actionsSecretTargetProblems(target) : [];
  const problems = [...missing, ...appProblems, ...targetProblems];
  if (problems.length > 0) throw new OAuthAppInputError(problems);
}

/** The public key is read before the create, so a token that cannot reach the secrets fails first. */
function actionsSecretSink(target: ActionsSecretTarget, options: ActionsSecretsOptions): SecretSink {
  const secrets = new ActionsSecrets(target, options);
  let publicKey: ActionsPublicKey | undefined;
  return {
    description: describeActionsSecret(target),
    async prepare() {
      publicKey = await secrets.publicKey();
    },
    async store(secret) {
      await secrets.store(secret, publicKey);
      return describeActionsSecret(target);
    },
  };
}

export async function runCreateOAuthAppMode(
  settings: CreateOAuthAppSettings,
  deps: CreateOAuthAppModeDeps,
): Promise<CreateOAuthAppModeResult> {
  registerSecret(settings.secretsToken);
  const info = deps.info ?? core.info;
  const setOutput = deps.setOutput ?? core.setOutput;
  const target: ActionsSecretTarget = {
    apiUrl: deps.github.apiUrl,
    repository: repositoryOf(deps.github.repository),
    environment: settings.secretEnvironment,
    name: settings.secretName ?? '',
    token: settings.secretsToken ?? '',
  };
  checkInputs(settings, target);
  const result = await createOrFindOAuthApp(draftOf(settings), {
    client: deps.client,
    secretSink: actionsSecretSink(target, deps.secrets ?? { warn: log.warning }),
    update: settings.update,
    baseUrl: deps.baseUrl,
  });
  const { app } = result;
  const differences = result.outcome === 'differs' || result.outcome === 'updated' ? result.differences : [];
  if (result.outcome === 'differs') throw new OAuthAppDiffersError(app.name, app.id, differences);
  switch (result.outcome) {
    case 'created':
      info(
        `Created OAuth app "${app.name}" (ID ${app.id}); its client secret is stored in ${result.secretStoredIn} ` +
          `and was not printed.`,
      );
      break;
    case 'updated':
      info(`Updated OAuth app "${app.name}" (ID ${app.id}); its client secret is unchanged. Changed:`);
      for (const line of formatDifferences(differences)) info(`  ${line}`);
      break;
    case 'unchanged':
      info(
        `OAuth app "${app.name}" (ID ${app.id}) already exists with these settings; nothing was changed and no ` +
          `secret was stored (Tailscale shows a secret only when an app is created).`,
      );
      break;
  }
  // The client ID is the app's ID (seed 002: the secret is tskey-app-<clientID>-…, and the ID maps to it).
  setOutput('app-id', app.id);
  setOutput('client-id', app.id);
  return { outcome: result.outcome, appId: app.id, clientId: app.id, differences };
}
