// Storing a value as a GitHub Actions secret of a repository or of one of its environments: read the
// target's public key, seal the value with it (libsodium sealed box, which only GitHub can open), PUT
// the sealed value, all through Octokit (retried and throttled as every GitHub call is, the PUT too,
// since storing the same value twice is harmless and losing it is not). The workflow's default
// GITHUB_TOKEN has no access to secrets at all, so a 403 or 404 says which token is needed instead.
import sodium from 'libsodium-wrappers';
import { registerSecret } from '../secrets.js';
import { createGitHubClient, failureOf, type GitHubClient } from './client.js';
import { ActionsSecretError, rateLimitHint, rateLimitOf, type GitHubFailure } from './errors.js';

export interface ActionsSecretTarget {
  /** `https://api.github.com`, or a GitHub Enterprise Server API root (`GITHUB_API_URL`). */
  apiUrl: string;
  /** `owner/repo` (`GITHUB_REPOSITORY`). */
  repository: string;
  /** Store in this environment of the repository instead of the repository itself. */
  environment?: string | undefined;
  /** The secret's name, e.g. `TS_OAUTH_APP_SECRET`. */
  name: string;
  /** A token allowed to write secrets (never the default GITHUB_TOKEN). */
  token: string;
}

export interface ActionsSecretsOptions {
  /** Said when a call waits out a rate limit. */
  warn?: (message: string) => void;
  /** The first backoff after a 5xx; tests shorten it. */
  backoffMs?: number;
}

export interface ActionsPublicKey {
  keyId: string;
  /** Base64, as GitHub sends it. */
  key: string;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Everything wrong with a target, by GitHub's rules, found before any call. */
export function actionsSecretTargetProblems(target: ActionsSecretTarget): string[] {
  const problems: string[] = [];
  if (!SECRET_NAME.test(target.name)) {
    problems.push(
      `secret name ${JSON.stringify(target.name)} may contain only letters, digits and underscores, and must not ` +
        `start with a digit`,
    );
  } else if (/^GITHUB_/i.test(target.name)) {
    problems.push(
      `secret name ${JSON.stringify(target.name)} must not start with GITHUB_ (GitHub reserves that prefix)`,
    );
  }
  if (!REPOSITORY.test(target.repository))
    problems.push(`repository ${JSON.stringify(target.repository)} is not of the form owner/repo`);
  if (target.environment !== undefined && target.environment.trim() === '')
    problems.push('the environment name is empty');
  const api = URL.parse(target.apiUrl);
  if (!api || (api.protocol !== 'https:' && api.protocol !== 'http:'))
    problems.push(`the GitHub API URL ${JSON.stringify(target.apiUrl)} is not an http(s) URL`);
  if (target.token.trim() === '') problems.push('no token to write secrets with was given');
  return problems;
}

/** In words: `the Actions secret NAME of owner/repo` (`… in environment E`). */
export function describeActionsSecret(
  target: Pick<ActionsSecretTarget, 'name' | 'repository' | 'environment'>,
): string {
  const where =
    target.environment === undefined ? target.repository : `${target.repository}, environment "${target.environment}"`;
  return `the Actions secret ${target.name} of ${where}`;
}

function tokenAdvice(target: ActionsSecretTarget): string {
  const permission = target.environment === undefined ? '"Secrets"' : '"Environments"';
  return (
    `The workflow's default GITHUB_TOKEN cannot read or write secrets, whatever its permissions block says: pass ` +
    `a token in secrets-token ` +
    `(a fine-grained personal access token or GitHub App token with the ${permission} repository permission set ` +
    `to read and write, ` +
    `or a classic token with the repo scope), kept itself in a secret.`
  );
}

function explain(target: ActionsSecretTarget, failure: GitHubFailure): string {
  const { status } = failure;
  if (status === 0) return `${failure.message}.`;
  const errors = failure.errors.length > 0 ? `; ${failure.errors.join('; ')}` : '';
  const said = `: ${failure.message}${errors}`;
  const limit = rateLimitOf(failure);
  if (limit !== undefined) return `GitHub answered ${status}${said} — ${rateLimitHint(limit)}.`;
  if (status === 401)
    return `GitHub refused the token (401${said}): it is wrong, expired or revoked. Check secrets-token.`;
  if (status === 403)
    return `GitHub refused access (403${said}): the token is not allowed to use these secrets. ${tokenAdvice(target)}`;
  if (status === 404) {
    const what =
      target.environment === undefined
        ? `repository ${target.repository}`
        : `environment "${target.environment}" of ${target.repository}`;
    return (
      `GitHub found no ${what} (404${said}): it does not ` +
      `exist${target.environment === undefined ? '' : ' (create it under Settings → Environments)'}, or the token ` +
      `cannot see it (GitHub answers 404 then). ${tokenAdvice(target)}`
    );
  }
  return `GitHub answered ${status}${said}.`;
}

/** The secrets of one target, through one client. */
export class ActionsSecrets {
  private readonly github: GitHubClient;
  private readonly owner: string;
  private readonly repo: string;

  constructor(
    private readonly target: ActionsSecretTarget,
    options: ActionsSecretsOptions = {},
  ) {
    registerSecret(target.token);
    const [owner = '', repo = ''] = target.repository.split('/');
    this.owner = owner;
    this.repo = repo;
    this.github = createGitHubClient({
      token: target.token,
      baseUrl: target.apiUrl.replace(/\/+$/, ''),
      repo: { owner, repo },
      warn: options.warn ?? (() => undefined),
      ...(options.backoffMs === undefined ? {} : { backoffMs: options.backoffMs }),
    });
  }

  private path(suffix: string): string {
    const root = `/repos/${encodeURIComponent(this.owner)}/${encodeURIComponent(this.repo)}`;
    const secrets =
      this.target.environment === undefined
        ? `${root}/actions/secrets`
        : `${root}/environments/${encodeURIComponent(this.target.environment)}/secrets`;
    return `${this.target.apiUrl.replace(/\/+$/, '')}${secrets}/${suffix}`;
  }

  private async call<T>(
    operation: string,
    method: string,
    url: string,
    request: () => Promise<{ status: number; data: T }>,
  ): Promise<{ status: number; data: T }> {
    try {
      return await request();
    } catch (error) {
      const failure = failureOf(error);
      throw new ActionsSecretError(
        `${operation} (${method} ${url}): ${explain(this.target, failure)}`,
        failure.status === 0 ? undefined : failure.status,
      );
    }
  }

  async publicKey(): Promise<ActionsPublicKey> {
    const { owner, repo, target } = this;
    const operation = `read the public key for ${describeActionsSecret(target)}`;
    const url = this.path('public-key');
    const rest = this.github.octokit.rest.actions;
    const { data } = await this.call(operation, 'GET', url, () =>
      target.environment === undefined
        ? rest.getRepoPublicKey({ owner, repo })
        : rest.getEnvironmentPublicKey({ owner, repo, environment_name: target.environment }),
    );
    if (typeof data?.key_id !== 'string' || typeof data.key !== 'string') {
      throw new ActionsSecretError(
        `${operation} (GET ${url}): the answer has no key_id and key; check the GitHub API URL`,
      );
    }
    return { keyId: data.key_id, key: data.key };
  }

  /** PUT the sealed value; 201 created it, 204 replaced it. */
  async put(sealed: { encryptedValue: string; keyId: string }): Promise<'created' | 'updated'> {
    const { owner, repo, target } = this;
    const rest = this.github.octokit.rest.actions;
    const body = { secret_name: target.name, encrypted_value: sealed.encryptedValue, key_id: sealed.keyId };
    const { status } = await this.call(
      `write ${describeActionsSecret(target)}`,
      'PUT',
      this.path(encodeURIComponent(target.name)),
      () =>
        target.environment === undefined
          ? rest.createOrUpdateRepoSecret({ owner, repo, ...body })
          : rest.createOrUpdateEnvironmentSecret({ owner, repo, environment_name: target.environment, ...body }),
    );
    return status === 201 ? 'created' : 'updated';
  }

  /** All three steps. `publicKey` may come from an earlier publicKey() (a check before a create). */
  async store(value: string, publicKey?: ActionsPublicKey): Promise<'created' | 'updated'> {
    registerSecret(value);
    const key = publicKey ?? (await this.publicKey());
    const encryptedValue = await sealForActions(value, key.key);
    return this.put({ encryptedValue, keyId: key.keyId });
  }
}

/** A libsodium sealed box of `value` for the base64 public key, in base64: what GitHub's PUT takes. */
export async function sealForActions(value: string, publicKey: string): Promise<string> {
  await sodium.ready;
  let key: Uint8Array;
  try {
    key = sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL);
  } catch {
    throw new ActionsSecretError('the public key GitHub sent is not base64; check the GitHub API URL');
  }
  return sodium.to_base64(sodium.crypto_box_seal(value, key), sodium.base64_variants.ORIGINAL);
}
