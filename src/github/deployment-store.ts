// The action's record of the policy it last applied (src/policy-file/etag-store.ts), kept as GitHub
// deployments: each apply that writes (or first confirms) the policy file creates a deployment of the
// applied commit to an environment named after the tailnet and the config file, with the ETag and the
// text's hash as its payload. The text itself is not copied anywhere: it is the policy file at the
// deployment's commit, read back through the contents API. Deployments need no new dependency and no
// storage of our own, outlive caches and runners, and show in the repository's environments, where a
// person can see when the policy was last applied and from which commit. The GitHub client is asked
// for when the record is first needed, so a run that never gets there never loads Octokit.
import { sha256Of, StateFileError, type EtagStore } from '../policy-file/etag-store.js';
import type { AppliedPolicy } from '../domain/policy-file.js';
import type { GitHubClient } from './client.js';
import { deniedWarning, GitHubApiError, withPermission } from './errors.js';

/** The deployments' `task`, which tells ours apart from any other deployment to the environment. */
export const POLICY_TASK = 'tailnet-access:policy';
const DEFAULT_CONFIG = 'tailnet-access.yaml';
/** GitHub's limit on an environment's name. */
const MAX_ENVIRONMENT = 255;

/**
 * The environment for a tailnet and config file; GitHub creates one per name, so the name is stable
 * and has no run-specific part. `tailnet-access: example.com` for the usual single config file;
 * the config path joins it for any other file, and stands alone for the credential's own tailnet (`-`),
 * whose name the run does not know.
 */
export function policyEnvironment(tailnet: string, configPath: string): string {
  const name =
    tailnet === '-'
      ? `tailnet-access (${configPath})`
      : configPath === DEFAULT_CONFIG
        ? `tailnet-access: ${tailnet}`
        : `tailnet-access: ${tailnet} (${configPath})`;
  if (name.length <= MAX_ENVIRONMENT) return name;
  // Cut, with a hash of the whole, so two long names that share a start stay two environments.
  const hash = sha256Of(name).slice(0, 12);
  return `${name.slice(0, MAX_ENVIRONMENT - hash.length - 2)} #${hash}`;
}

export interface DeploymentStoreOptions {
  /** The client for the repository the deployments are kept in. */
  github: () => Promise<GitHubClient>;
  /** The config file as the repository names it: part of the environment's name. */
  configPath: string;
  /** The tailnet the run addresses, for the store's description (get and set take it too). */
  tailnet: string;
  /** The policy file relative to the repository root: recorded, and read back at the recorded commit. */
  policyFile: string;
  /** The commit being applied (GITHUB_SHA); without one the store only reads. */
  sha: string | undefined;
  /** Linked from the deployment status. */
  runUrl: string | undefined;
  /** Problems that cost the record, or part of it, but not the run: a missing permission, say. */
  warn: (message: string) => void;
}

/** What a deployment's payload holds. */
interface PolicyRecord {
  etag: string;
  sha256: string;
  policyFile?: string;
}

interface Deployment {
  id: number;
  sha?: string;
  ref?: string;
  payload?: unknown;
}

function recordOf(payload: unknown): PolicyRecord | undefined {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { etag, sha256, policyFile } = value as Record<string, unknown>;
  if (typeof etag !== 'string' || typeof sha256 !== 'string') return undefined;
  return typeof policyFile === 'string' ? { etag, sha256, policyFile } : { etag, sha256 };
}

export class DeploymentEtagStore implements EtagStore {
  readonly description: string;
  // One read per tailnet and run: apply plans again after a 412 and must see the same record, and a
  // set replaces it.
  private readonly known = new Map<string, Promise<AppliedPolicy | undefined>>();

  constructor(private readonly options: DeploymentStoreOptions) {
    this.description = `the GitHub environment "${policyEnvironment(options.tailnet, options.configPath)}"`;
  }

  get(tailnet: string): Promise<AppliedPolicy | undefined> {
    let record = this.known.get(tailnet);
    if (record === undefined) {
      record = this.read(tailnet);
      this.known.set(tailnet, record);
    }
    return record;
  }

  /**
   * The newest deployment's record. Without the permission to read deployments there is no record (a
   * warning says which permission), never a guess that could raise a false alarm; any other failure
   * is thrown, so apply never writes over an edit it could not check for.
   */
  private async read(tailnet: string): Promise<AppliedPolicy | undefined> {
    const environment = policyEnvironment(tailnet, this.options.configPath);
    const github = await this.options.github();
    const { owner, repo } = github.repo;
    let newest: Deployment | undefined;
    try {
      // GitHub lists deployments newest first, and only the newest is the record: one item of the first page.
      [newest] = await github.call(`list the deployments of the environment "${environment}"`, (octokit) =>
        octokit.rest.repos.listDeployments({ owner, repo, environment, task: POLICY_TASK, per_page: 1 }),
      );
    } catch (error) {
      if (!(error instanceof GitHubApiError) || (error.status !== 403 && error.status !== 404)) throw error;
      this.options.warn(
        `${deniedWarning('cannot read the record of the policy tailnet-access last applied', error, 'deployments: read')}. Without ` +
          `it there is no record, so edits made outside git go unnoticed on this run.`,
      );
      return undefined;
    }
    if (newest === undefined) return undefined;
    const record = recordOf(newest.payload);
    if (record === undefined) {
      this.options.warn(
        `the newest deployment (${newest.id}) of the environment "${environment}" holds no ETag; it is taken as ` +
          `no record`,
      );
      return undefined;
    }
    const commit = newest.sha ?? newest.ref;
    const text =
      commit === undefined
        ? undefined
        : await this.appliedText(github, record.policyFile ?? this.options.policyFile, commit);
    // The file at that commit is the applied text unless checkout or history changed its bytes: the hash tells.
    return text !== undefined && sha256Of(text) === record.sha256
      ? { etag: record.etag, sha256: record.sha256, text }
      : { etag: record.etag, sha256: record.sha256 };
  }

  /** The policy file at the recorded commit; undefined (with a warning) when it cannot be read. */
  private async appliedText(github: GitHubClient, file: string, commit: string): Promise<string | undefined> {
    const { owner, repo } = github.repo;
    try {
      const text: unknown = await github.call(`read ${file} at commit ${commit.slice(0, 12)}`, (octokit) =>
        octokit.rest.repos.getContent({ owner, repo, path: file, ref: commit, mediaType: { format: 'raw' } }),
      );
      return typeof text === 'string' ? text : undefined;
    } catch (error) {
      if (!(error instanceof GitHubApiError)) throw error;
      this.options.warn(
        `${deniedWarning(`cannot read ${file} as it was last applied`, error, 'contents: read')}. Edits made ` +
          `outside git are still noticed, but what they changed cannot be shown.`,
      );
      return undefined;
    }
  }

  /**
   * A deployment of the applied commit, then its `success` status. The deployment is the record: when
   * only the status fails, the record stands (read() takes the newest deployment whatever its status).
   */
  async set(tailnet: string, applied: AppliedPolicy): Promise<void> {
    const { sha, policyFile, runUrl } = this.options;
    if (sha === undefined)
      throw new StateFileError(
        `${this.description} is written by apply only, for the commit it applied, and GITHUB_SHA is not set`,
      );
    const environment = policyEnvironment(tailnet, this.options.configPath);
    const github = await this.options.github();
    const { owner, repo } = github.repo;
    const created = await github
      .call(`record the applied policy as a deployment to "${environment}"`, (octokit) =>
        octokit.rest.repos.createDeployment({
          owner,
          repo,
          ref: sha,
          environment,
          task: POLICY_TASK,
          // The commit as it is: no merge of the default branch into it, and no wait for its checks.
          auto_merge: false,
          required_contexts: [],
          description: `${policyFile} applied to the tailnet by tailnet-access`.slice(0, 140),
          payload: { etag: applied.etag, sha256: applied.sha256, policyFile },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof GitHubApiError)) throw error;
        throw new StateFileError(withPermission(error, 'deployments: write'), { cause: error });
      });
    // A 202 (GitHub merging the default branch in first) has no deployment; auto_merge: false rules it out.
    if (!('id' in created))
      throw new StateFileError(
        `GitHub created no deployment to "${environment}": ${created.message ?? 'its answer has no id'}`,
      );
    const deployment = created;
    this.known.set(tailnet, Promise.resolve(applied));
    try {
      await github.call(`set the status of deployment ${deployment.id}`, (octokit) =>
        octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: deployment.id,
          state: 'success',
          description: 'The policy file as applied; its ETag lets the next run notice edits made outside git.',
          ...(runUrl === undefined ? {} : { log_url: runUrl }),
        }),
      );
    } catch (error) {
      if (!(error instanceof GitHubApiError)) throw error;
      this.options.warn(
        `${deniedWarning(`the applied policy is recorded as deployment ${deployment.id}, but its status could not be ` + `set`, error, 'deployments: write')}; the ` +
          `record holds all the same`,
      );
    }
  }
}
