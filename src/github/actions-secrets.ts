// Storing a value as a GitHub Actions secret of a repository or of one of its environments: read the
// target's public key, seal the value with it (libsodium sealed box, which only GitHub can open), PUT
// the sealed value. Three plain HTTPS calls (no Octokit), retried on 5xx and network errors because
// losing the value is worse than waiting. The workflow's default GITHUB_TOKEN has no access to secrets
// at all, so a 403 or 404 says which token is needed instead.
import sodium from 'libsodium-wrappers';
import { redact, registerSecret } from '../secrets.js';

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

export interface GitHubCallOptions {
  /** Default the global fetch. */
  fetch?: typeof fetch;
  /** Default 3. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Per request; default 30 s. */
  timeoutMs?: number;
}

export interface ActionsPublicKey {
  keyId: string;
  /** Base64, as GitHub sends it. */
  key: string;
}

/** A GitHub call failed; the message says what to do. `status` is absent when no answer came. */
export class ActionsSecretError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(redact(message));
    this.name = 'ActionsSecretError';
    this.status = status;
  }
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Everything wrong with a target, by GitHub's rules, found before any call. */
export function actionsSecretTargetProblems(target: ActionsSecretTarget): string[] {
  const problems: string[] = [];
  if (!SECRET_NAME.test(target.name)) {
    problems.push(
      `secret name ${JSON.stringify(target.name)} may contain only letters, digits and underscores, and must not start with a digit`,
    );
  } else if (/^GITHUB_/i.test(target.name)) {
    problems.push(`secret name ${JSON.stringify(target.name)} must not start with GITHUB_ (GitHub reserves that prefix)`);
  }
  if (!REPOSITORY.test(target.repository)) problems.push(`repository ${JSON.stringify(target.repository)} is not of the form owner/repo`);
  if (target.environment !== undefined && target.environment.trim() === '') problems.push('the environment name is empty');
  const api = URL.parse(target.apiUrl);
  if (!api || (api.protocol !== 'https:' && api.protocol !== 'http:')) problems.push(`the GitHub API URL ${JSON.stringify(target.apiUrl)} is not an http(s) URL`);
  if (target.token.trim() === '') problems.push('no token to write secrets with was given');
  return problems;
}

/** In words: `the Actions secret NAME of owner/repo` (`… in environment E`). */
export function describeActionsSecret(target: Pick<ActionsSecretTarget, 'name' | 'repository' | 'environment'>): string {
  const where = target.environment === undefined ? target.repository : `${target.repository}, environment "${target.environment}"`;
  return `the Actions secret ${target.name} of ${where}`;
}

function basePath(target: ActionsSecretTarget): string {
  const [owner = '', repo = ''] = target.repository.split('/');
  const root = `${target.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  return target.environment === undefined
    ? `${root}/actions/secrets`
    : `${root}/environments/${encodeURIComponent(target.environment)}/secrets`;
}

function tokenAdvice(target: ActionsSecretTarget): string {
  const permission = target.environment === undefined ? '"Secrets"' : '"Environments"';
  return (
    `The workflow's default GITHUB_TOKEN cannot read or write secrets, whatever its permissions block says: pass a token in secrets-token ` +
    `(a fine-grained personal access token or GitHub App token with the ${permission} repository permission set to read and write, ` +
    `or a classic token with the repo scope), kept itself in a secret.`
  );
}

function explainStatus(target: ActionsSecretTarget, status: number, said: string): string {
  if (status === 401) return `GitHub refused the token (401${said}): it is wrong, expired or revoked. Check secrets-token.`;
  if (status === 403) return `GitHub refused access (403${said}): the token is not allowed to use these secrets. ${tokenAdvice(target)}`;
  if (status === 404) {
    const what = target.environment === undefined ? `repository ${target.repository}` : `environment "${target.environment}" of ${target.repository}`;
    return `GitHub found no ${what} (404${said}): it does not exist${target.environment === undefined ? '' : ' (create it under Settings → Environments)'}, or the token cannot see it (GitHub answers 404 then). ${tokenAdvice(target)}`;
  }
  return `GitHub answered ${status}${said}.`;
}

async function messageOf(response: Response): Promise<string> {
  // Redacted before it is cut to size, so the head of a secret that straddles the cut cannot survive.
  const text = redact(await response.text().catch(() => ''));
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string' && body.message !== '') return `: ${body.message}`;
  } catch {
    // Not JSON: a proxy's page. Show its start.
  }
  return text.trim() === '' ? '' : `: ${text.trim().slice(0, 200)}`;
}

const isRetryable = (status: number): boolean => status === 429 || status >= 500;

async function call(target: ActionsSecretTarget, operation: string, url: string, init: RequestInit, options: GitHubCallOptions): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  const attempts = options.maxAttempts ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${target.token}`,
    'x-github-api-version': '2022-11-28',
    'user-agent': 'tailnet-access',
    ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await doFetch(url, { ...init, headers, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    } catch (error) {
      if (attempt < attempts) {
        await sleep(500 * 2 ** (attempt - 1));
        continue;
      }
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new ActionsSecretError(`${operation} (${init.method ?? 'GET'} ${url}): no answer from GitHub after ${attempts} attempts: ${reason}`);
    }
    if (response.ok) return response;
    if (isRetryable(response.status) && attempt < attempts) {
      await response.body?.cancel();
      await sleep(500 * 2 ** (attempt - 1));
      continue;
    }
    const said = await messageOf(response);
    throw new ActionsSecretError(`${operation} (${init.method ?? 'GET'} ${url}): ${explainStatus(target, response.status, said)}`, response.status);
  }
}

export async function getActionsPublicKey(target: ActionsSecretTarget, options: GitHubCallOptions = {}): Promise<ActionsPublicKey> {
  registerSecret(target.token);
  const operation = `read the public key for ${describeActionsSecret(target)}`;
  const url = `${basePath(target)}/public-key`;
  const response = await call(target, operation, url, { method: 'GET' }, options);
  const body = (await response.json().catch(() => undefined)) as { key_id?: unknown; key?: unknown } | undefined;
  if (typeof body?.key_id !== 'string' || typeof body.key !== 'string') {
    throw new ActionsSecretError(`${operation} (GET ${url}): the answer has no key_id and key; check the GitHub API URL`, response.status);
  }
  return { keyId: body.key_id, key: body.key };
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

/** PUT the sealed value; 201 created it, 204 replaced it. */
export async function putActionsSecret(
  target: ActionsSecretTarget,
  sealed: { encryptedValue: string; keyId: string },
  options: GitHubCallOptions = {},
): Promise<'created' | 'updated'> {
  registerSecret(target.token);
  const url = `${basePath(target)}/${encodeURIComponent(target.name)}`;
  const body = JSON.stringify({ encrypted_value: sealed.encryptedValue, key_id: sealed.keyId });
  const response = await call(target, `write ${describeActionsSecret(target)}`, url, { method: 'PUT', body }, options);
  await response.body?.cancel();
  return response.status === 201 ? 'created' : 'updated';
}

/** All three steps. `publicKey` may come from an earlier getActionsPublicKey (a check before a create). */
export async function storeActionsSecret(
  target: ActionsSecretTarget,
  value: string,
  options: GitHubCallOptions & { publicKey?: ActionsPublicKey } = {},
): Promise<'created' | 'updated'> {
  registerSecret(value);
  const publicKey = options.publicKey ?? (await getActionsPublicKey(target, options));
  const encryptedValue = await sealForActions(value, publicKey.key);
  return putActionsSecret(target, { encryptedValue, keyId: publicKey.keyId }, options);
}
