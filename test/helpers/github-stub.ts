// A loopback stand-in for GitHub, for the action's tests: the few REST routes the action calls
// (issue comments, issues, deployments and their statuses, a file's contents at a commit), GraphQL's
// `viewer`, the runner's ID-token endpoint, and runAction(), which starts the built dist/index.js the
// way the runner does (INPUT_* variables, event file, output and summary files). It keeps state like
// GitHub (comments stay, issues open and close, deployments pile up newest first), checks the token,
// pages with Link headers, refuses bodies over 65,536 characters and deployments of unknown commits,
// can deny a permission the way a GITHUB_TOKEN without it is denied, and answers with GitHub's rate
// limits (primary and secondary, with their headers) and validation errors when told to.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../../src/github/client.js';

export const STUB_OWNER = 'example';
export const STUB_REPO = 'infra';
export const BOT_LOGIN = 'github-actions[bot]';
/** The commit runs are for unless they name another. */
export const STUB_SHA = '5ca1ab1e0000000000000000000000000000c0de';
/** The stub's repository as events carry it. */
export const STUB_REPOSITORY = { full_name: `${STUB_OWNER}/${STUB_REPO}`, default_branch: 'main' };
/** A pull_request event for pull request 7 of the stub's repository, from a branch of that repository. */
export const PR_EVENT = {
  number: 7,
  pull_request: { number: 7, head: { repo: STUB_REPOSITORY }, base: { repo: STUB_REPOSITORY } },
  repository: STUB_REPOSITORY,
};
const MAX_BODY = 65_536;

export interface StubUser {
  login: string;
  type: 'User' | 'Bot';
}

export interface StubComment {
  id: number;
  body: string;
  user: StubUser;
  html_url: string;
}

export interface StubIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: { name: string }[];
  html_url: string;
  user: StubUser;
  /** Set on pull requests (the issues API lists them too). */
  pull_request?: { url: string };
  comments: StubComment[];
}

export interface StubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** performance.now() when it arrived. */
  at: number;
  /** Headers as they came, lower-case (the proxy tests read `host`). */
  headers: Record<string, string | string[] | undefined>;
}

/** A failure to answer with, instead of acting: GitHub's status, headers and body. */
export interface StubFailure {
  status: number;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
}

/** GitHub's secondary rate limit, as it answers it: 403 (or 429) with Retry-After. */
export function secondaryRateLimit(retryAfterSeconds: number, status = 403): StubFailure {
  return {
    status,
    headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '4000' },
    body: {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url:
        'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    },
  };
}

/** The token's hourly quota used up: 403 with x-ratelimit-remaining: 0, until `resetAt` (epoch seconds). */
export function primaryRateLimit(resetAt: number): StubFailure {
  return {
    status: 403,
    headers: {
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': '1000',
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-resource': 'core',
    },
    body: {
      message: 'API rate limit exceeded for installation ID 4242.',
      documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
    },
  };
}

export type StubPermission = 'pull-requests' | 'issues' | 'deployments' | 'contents';

export interface StubDeploymentStatus {
  id: number;
  state: string;
  description: string;
  log_url: string;
}

export interface StubDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  task: string;
  payload: unknown;
  description: string;
  /** As sent; GitHub checks the commit's statuses unless this is given (`[]` checks none). */
  required_contexts: unknown;
  auto_merge: unknown;
  statuses: StubDeploymentStatus[];
}

export interface GitHubStub {
  /** The API root, for GITHUB_API_URL. */
  readonly url: string;
  readonly token: string;
  /** The ID token the OIDC endpoint hands out (set it before a workload-identity run). */
  idToken: string | undefined;
  readonly idTokenRequestToken: string;
  readonly requests: StubRequest[];
  /** Write permissions the token lacks: writes there answer 403 as GitHub does. */
  readonly denied: Set<StubPermission>;
  /** Permissions the token has not at all (`permissions:` leaves them out): reads answer 403 too. */
  readonly noAccess: Set<StubPermission>;
  /** Who the token is, as GraphQL's `viewer` answers (the workflow's token: `github-actions[bot]`). */
  viewerLogin: string;
  /** Makes `sha` a commit holding these files (path from the repository root -> text). */
  commit(sha: string, files: Record<string, string>): void;
  /** Newest first, as GitHub lists them. */
  deployments(): StubDeployment[];
  /** The next `count` requests answer `status` (a 502 from GitHub's front end, say) without acting. */
  failNext(count: number, status?: number): void;
  /**
   * The next request whose path (and method, if given) matches answers `failure` (or a 502) without acting; later ones
   * act.
   */
  failNextTo(path: RegExp, failure?: number | StubFailure, method?: string): void;
  /** Answers leave out `html_url`, as some proxies and older GitHub Enterprise Servers do. */
  omitHtmlUrls: boolean;
  addPullRequest(number: number): StubIssue;
  /**
   * Marks pull request `number` merged as commit `sha`: GET /commits/{sha}/pulls lists it (others listed for `sha` too,
   * in order).
   */
  merge(number: number, sha: string, options?: { mergeCommit?: boolean }): void;
  addComment(number: number, body: string, login?: string): StubComment;
  /** An issue someone opened, as the issues API lists it. */
  addIssue(fields: { title: string; body: string; labels?: string[]; login?: string }): StubIssue;
  issue(number: number): StubIssue | undefined;
  issues(): StubIssue[];
  close(): Promise<void>;
}

interface RouteResult {
  status: number;
  json: unknown;
  link?: string;
  /** Sent as it is instead of `json` (a file's raw contents). */
  raw?: string;
}

interface Route {
  method: string;
  pattern: RegExp;
  /** The write permission the route needs, if any. */
  needs?: (issue: StubIssue | undefined) => StubPermission;
  /** The permission a read needs at least at `read`, if any. */
  reads?: StubPermission;
  handle(match: RegExpExecArray, body: Record<string, unknown>, url: URL, accept: string): RouteResult;
}

function page<T>(items: T[], url: URL): { items: T[]; link?: string } {
  const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '30'), 100);
  const current = Number(url.searchParams.get('page') ?? '1');
  const slice = items.slice((current - 1) * perPage, current * perPage);
  if (current * perPage >= items.length) return { items: slice };
  const next = new URL(url);
  next.searchParams.set('page', String(current + 1));
  return { items: slice, link: `<${next.href}>; rel="next", <${url.href}>; rel="first"` };
}

class StubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** More of the body than `message` and `documentation_url`, e.g. a 422's `errors`. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export async function startGitHubStub(options: { token?: string } = {}): Promise<GitHubStub> {
  const token = options.token ?? 'ghs_stubTokenNotARealGitHubToken0123456789';
  const idTokenRequestToken = 'stub-id-token-request-token-0123456789';
  const issues = new Map<number, StubIssue>();
  const requests: StubRequest[] = [];
  const denied = new Set<StubPermission>();
  const noAccess = new Set<StubPermission>();
  const commits = new Map<string, Map<string, string>>();
  const deployments: StubDeployment[] = [];
  const commitPulls = new Map<
    string,
    { number: number; merged_at: string | null; merge_commit_sha: string | null }[]
  >();
  let nextNumber = 1;
  let nextDeploymentId = 500;
  let nextCommentId = 1000;
  let base = '';
  const web = (suffix: string): string => `https://github.example/${STUB_OWNER}/${STUB_REPO}/${suffix}`;

  const userOf = (login: string): StubUser => ({ login, type: login.endsWith('[bot]') ? 'Bot' : 'User' });
  const newIssue = (number: number, fields: Partial<StubIssue>): StubIssue => {
    const issue: StubIssue = {
      number,
      title: '',
      body: '',
      state: 'open',
      state_reason: null,
      labels: [],
      html_url: web(`issues/${number}`),
      user: userOf(BOT_LOGIN),
      comments: [],
      ...fields,
    };
    issues.set(number, issue);
    nextNumber = Math.max(nextNumber, number + 1);
    return issue;
  };
  const mustExist = (number: string | undefined): StubIssue => {
    const issue = issues.get(Number(number));
    if (!issue) throw new StubError(404, 'Not Found');
    return issue;
  };
  const checkBody = (body: unknown): string => {
    if (typeof body !== 'string') throw new StubError(422, 'Invalid request: body is not a string');
    if (body.length > MAX_BODY) {
      const errors = [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: `body is too long (maximum is ${MAX_BODY} characters)`,
        },
      ];
      throw new StubError(422, 'Validation Failed', {}, { errors });
    }
    return body;
  };
  const addComment = (issue: StubIssue, body: string, login = BOT_LOGIN): StubComment => {
    const comment = {
      id: nextCommentId++,
      body,
      user: userOf(login),
      html_url: `${issue.html_url}#issuecomment-${nextCommentId}`,
    };
    issue.comments.push(comment);
    return comment;
  };
  const deploymentJson = ({ statuses: _statuses, ...deployment }: StubDeployment) => ({
    ...deployment,
    url: `${base}${repo}/deployments/${deployment.id}`,
    statuses_url: `${base}${repo}/deployments/${deployment.id}/statuses`,
  });
  const commentPermission = (issue: StubIssue | undefined): StubPermission =>
    issue?.pull_request ? 'pull-requests' : 'issues';
  const findComment = (id: string | undefined): { issue: StubIssue; comment: StubComment } => {
    for (const issue of issues.values()) {
      const comment = issue.comments.find((c) => c.id === Number(id));
      if (comment) return { issue, comment };
    }
    throw new StubError(404, 'Not Found');
  };

  const repo = `/repos/${STUB_OWNER}/${STUB_REPO}`;
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: new RegExp(`^${repo}/issues/(\\d+)/comments$`),
      handle: (m, _b, url) => {
        const { items, link } = page(mustExist(m[1]).comments, url);
        return { status: 200, json: items, ...(link ? { link } : {}) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${repo}/issues/(\\d+)/comments$`),
      needs: commentPermission,
      handle: (m, body) => ({ status: 201, json: addComment(mustExist(m[1]), checkBody(body.body)) }),
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^${repo}/issues/comments/(\\d+)$`),
      needs: commentPermission,
      handle: (m, body) => {
        const { comment } = findComment(m[1]);
        comment.body = checkBody(body.body);
        return { status: 200, json: comment };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${repo}/issues$`),
      handle: (_m, _b, url) => {
        const state = url.searchParams.get('state') ?? 'open';
        const labels = url.searchParams.get('labels')?.split(',').filter(Boolean) ?? [];
        const matching = [...issues.values()]
          .filter((i) => state === 'all' || i.state === state)
          .filter((i) => labels.every((l) => i.labels.some((x) => x.name === l)))
          .sort((a, b) => b.number - a.number)
          .map(({ comments: _comments, ...rest }) => rest);
        const { items, link } = page(matching, url);
        return { status: 200, json: items, ...(link ? { link } : {}) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${repo}/issues$`),
      needs: () => 'issues',
      handle: (_m, body) => {
        if (typeof body.title !== 'string' || body.title === '')
          throw new StubError(422, 'Validation Failed: title is missing');
        const labels = Array.isArray(body.labels) ? body.labels.map((name) => ({ name: String(name) })) : [];
        const { comments: _comments, ...issue } = newIssue(nextNumber, {
          title: body.title,
          body: checkBody(body.body),
          labels,
        });
        return { status: 201, json: issue };
      },
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^${repo}/issues/(\\d+)$`),
      needs: () => 'issues',
      handle: (m, body) => {
        const issue = mustExist(m[1]);
        if (body.title !== undefined) issue.title = String(body.title);
        if (body.body !== undefined) issue.body = checkBody(body.body);
        if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
        if (body.state_reason !== undefined) issue.state_reason = String(body.state_reason);
        const { comments: _comments, ...rest } = issue;
        return { status: 200, json: rest };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${repo}/deployments$`),
      reads: 'deployments',
      handle: (_m, _b, url) => {
        const filters = ['environment', 'task', 'sha', 'ref'] as const;
        const matching = deployments
          .filter((d) => filters.every((f) => !url.searchParams.has(f) || d[f] === url.searchParams.get(f)))
          .map(deploymentJson);
        const { items, link } = page(matching, url);
        return { status: 200, json: items, ...(link ? { link } : {}) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${repo}/deployments$`),
      needs: () => 'deployments',
      handle: (_m, body) => {
        const ref = typeof body.ref === 'string' ? body.ref : '';
        if (!commits.has(ref)) throw new StubError(422, `No ref found for: ${ref}`);
        if (body.required_contexts === undefined)
          throw new StubError(409, `Conflict: Commit status checks failed for ${ref}`);
        const deployment: StubDeployment = {
          id: nextDeploymentId++,
          sha: ref,
          ref,
          environment: typeof body.environment === 'string' ? body.environment : 'production',
          task: typeof body.task === 'string' ? body.task : 'deploy',
          payload: typeof body.payload === 'string' ? JSON.parse(body.payload) : (body.payload ?? {}),
          description: typeof body.description === 'string' ? body.description : '',
          required_contexts: body.required_contexts,
          auto_merge: body.auto_merge,
          statuses: [],
        };
        if (deployment.environment.length > 255) throw new StubError(422, 'Validation Failed: environment is too long');
        deployments.unshift(deployment);
        return { status: 201, json: deploymentJson(deployment) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${repo}/deployments/(\\d+)/statuses$`),
      needs: () => 'deployments',
      handle: (m, body) => {
        const deployment = deployments.find((d) => d.id === Number(m[1]));
        if (!deployment) throw new StubError(404, 'Not Found');
        const states = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
        if (typeof body.state !== 'string' || !states.includes(body.state))
          throw new StubError(422, 'Validation Failed: state');
        const status = {
          id: deployment.id * 10 + deployment.statuses.length,
          state: body.state,
          description: String(body.description ?? ''),
          log_url: String(body.log_url ?? ''),
        };
        deployment.statuses.push(status);
        return { status: 201, json: status };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${repo}/commits/([0-9a-f]{7,40})/pulls$`),
      reads: 'pull-requests',
      handle: (m, _b, url) => {
        const pulls = (commitPulls.get(m[1] ?? '') ?? []).map((p) => ({
          ...p,
          state: p.merged_at ? 'closed' : 'open',
          html_url: web(`pull/${p.number}`),
          url: `${base}${repo}/pulls/${p.number}`,
        }));
        const { items, link } = page(pulls, url);
        return { status: 200, json: items, ...(link ? { link } : {}) };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${repo}/contents/(.+)$`),
      reads: 'contents',
      handle: (m, _b, url, accept) => {
        const files = commits.get(url.searchParams.get('ref') ?? '');
        const file = decodeURIComponent(m[1] ?? '');
        const text = files?.get(file);
        if (text === undefined) throw new StubError(404, 'Not Found');
        if (accept.includes('raw')) return { status: 200, json: undefined, raw: text };
        return {
          status: 200,
          json: { type: 'file', encoding: 'base64', path: file, content: Buffer.from(text).toString('base64') },
        };
      },
    },
  ];

  function route(req: IncomingMessage, url: URL, raw: string): RouteResult {
    // The runner's OIDC endpoint: its own request token, not the repository token.
    if (url.pathname === '/oidc/token') {
      if (req.headers.authorization !== `Bearer ${idTokenRequestToken}`)
        throw new StubError(401, 'bad ID token request token');
      if (stub.idToken === undefined) throw new StubError(500, 'no ID token configured in the stub');
      return { status: 200, json: { value: stub.idToken } };
    }
    if (req.headers.authorization !== `Bearer ${token}` && req.headers.authorization !== `token ${token}`)
      throw new StubError(401, 'Bad credentials');
    const method = req.method ?? 'GET';
    if (method === 'POST' && url.pathname === '/graphql') {
      const { query } = JSON.parse(raw) as { query?: string };
      if (!/\bviewer\s*\{\s*login\s*\}/.test(query ?? ''))
        return { status: 200, json: { errors: [{ message: `the stub answers only viewer { login }, not ${query}` }] } };
      return { status: 200, json: { data: { viewer: { login: stub.viewerLogin } } } };
    }
    for (const r of routes) {
      const match = r.pattern.exec(url.pathname);
      if (!match || r.method !== method) continue;
      const body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
      const needed = r.needs?.(issues.get(Number(match[1])));
      if (needed !== undefined && (denied.has(needed) || noAccess.has(needed))) {
        throw new StubError(403, 'Resource not accessible by integration', {
          'x-accepted-github-permissions': `${needed.replace('-', '_')}=write`,
        });
      }
      if (r.reads !== undefined && noAccess.has(r.reads)) {
        throw new StubError(403, 'Resource not accessible by integration', {
          'x-accepted-github-permissions': `${r.reads.replace('-', '_')}=read`,
        });
      }
      return r.handle(match, body, url, req.headers.accept ?? '');
    }
    throw new StubError(404, 'Not Found');
  }

  const failures: number[] = [];
  const pathFailures: { path: RegExp; method: string | undefined; failure: StubFailure }[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let status: number;
    let payload: unknown;
    let raw: string | undefined;
    let headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    const at = performance.now();
    try {
      const failure = failures.shift();
      if (failure !== undefined) throw new StubError(failure, 'Server Error');
      const byPath = pathFailures.findIndex(
        (f) => f.path.test(url.pathname) && (f.method === undefined || f.method === req.method),
      );
      const planned = byPath >= 0 ? pathFailures.splice(byPath, 1)[0]?.failure : undefined;
      if (planned !== undefined) {
        requests.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          status: planned.status,
          at,
          headers: req.headers,
        });
        res.writeHead(planned.status, { ...headers, ...planned.headers });
        res.end(
          JSON.stringify(
            planned.body ?? { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' },
          ),
        );
        return;
      }
      const result = route(req, url, Buffer.concat(chunks).toString('utf8'));
      status = result.status;
      payload = result.json;
      raw = result.raw;
      if (raw !== undefined) headers['content-type'] = 'text/plain; charset=utf-8';
      if (result.link) headers.link = result.link;
    } catch (error) {
      status = error instanceof StubError ? error.status : 500;
      payload = {
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof StubError ? error.extra : {}),
        documentation_url: 'https://docs.github.com/rest',
      };
      if (error instanceof StubError) headers = { ...headers, ...error.headers };
    }
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status,
      at,
      headers: req.headers,
    });
    res.writeHead(status, headers);
    res.end(
      raw ??
        JSON.stringify(payload, (key, value: unknown) => (stub.omitHtmlUrls && key === 'html_url' ? undefined : value)),
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const stub: GitHubStub = {
    url: base,
    token,
    idToken: undefined,
    idTokenRequestToken,
    requests,
    denied,
    noAccess,
    viewerLogin: BOT_LOGIN,
    commit: (sha, files) => {
      commits.set(sha, new Map(Object.entries(files)));
    },
    deployments: () => [...deployments],
    failNext: (count, status = 502) => {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    failNextTo: (path, failure = 502, method) => {
      pathFailures.push({ path, method, failure: typeof failure === 'number' ? { status: failure } : failure });
    },
    omitHtmlUrls: false,
    addPullRequest: (number) =>
      newIssue(number, {
        title: `PR ${number}`,
        pull_request: { url: `${base}${repo}/pulls/${number}` },
        html_url: web(`pull/${number}`),
      }),
    merge: (number, sha, { mergeCommit = true } = {}) => {
      const list = commitPulls.get(sha) ?? [];
      list.push({ number, merged_at: '2026-12-03T10:00:00Z', merge_commit_sha: mergeCommit ? sha : 'f'.repeat(40) });
      commitPulls.set(sha, list);
    },
    addComment: (number, body, login) => addComment(mustExist(String(number)), body, login),
    addIssue: ({ title, body, labels = [], login = BOT_LOGIN }) =>
      newIssue(nextNumber, { title, body, labels: labels.map((name) => ({ name })), user: userOf(login) }),
    issue: (number) => issues.get(number),
    issues: () => [...issues.values()].filter((i) => i.pull_request === undefined),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  return stub;
}

// ---------------------------------------------------------------------------------------------
// The runner's side: start dist/index.js as a job step would.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ACTION_ENTRY = path.join(ROOT, 'dist', 'index.js');

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The step summary file's content. */
  summary: string;
  /** Outputs parsed from the GITHUB_OUTPUT file. */
  outputs: Record<string, string>;
  /** Raw text of the GITHUB_OUTPUT file, for secret scans. */
  outputFile: string;
  /** The content of the file the plan-json output names, read before the runner's temp is removed. */
  planJson: string | undefined;
}

export interface ActionRunOptions {
  /** `with:` of the step, by input name as written in action.yml (`api-key`). */
  inputs: Record<string, string>;
  eventName: string;
  event: unknown;
  /** The checkout: config paths are relative to it. */
  workspace: string;
  /** The GitHub API the run talks to (this stub or another stand-in) and the workflow's token. */
  github: { url: string; token: string };
  ref?: string;
  /** GITHUB_SHA: the commit the run is for (give the stub its files with `commit`). */
  sha?: string;
  /** Extra environment, e.g. ACTIONS_ID_TOKEN_REQUEST_URL. */
  env?: Record<string, string>;
}

/** Reads the `name<<delimiter` blocks @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const head = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!head) continue;
    const [, name, delimiter] = head;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    outputs[name as string] = value.join('\n');
  }
  return outputs;
}

/** The runner's name for an input's variable: upper case, spaces to underscores, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

interface ActionManifest {
  inputs: Record<string, { default?: string }>;
}

/** Every input of action.yml with its default, as the runner sets them; `${{ github.token }}` is the stub's token. */
export async function inputDefaults(token: string): Promise<Record<string, string>> {
  const manifest = parseYaml(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as ActionManifest;
  return Object.fromEntries(
    Object.entries(manifest.inputs).map(([name, spec]) => [
      name,
      String(spec.default ?? '').replace('${{ github.token }}', token),
    ]),
  );
}

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const temp = await mkdtemp(path.join(tmpdir(), 'tailnet-access-runner-'));
  try {
    const eventPath = path.join(temp, 'event.json');
    const outputPath = path.join(temp, 'output');
    const summaryPath = path.join(temp, 'summary.md');
    await writeFile(eventPath, JSON.stringify(options.event));
    await writeFile(outputPath, '');
    await writeFile(summaryPath, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: temp,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_API_URL: options.github.url,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: `${STUB_OWNER}/${STUB_REPO}`,
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_REF: options.ref ?? 'refs/heads/main',
      GITHUB_SHA: options.sha ?? STUB_SHA,
      GITHUB_WORKSPACE: options.workspace,
      RUNNER_TEMP: temp,
      ...options.env,
    };
    const inputs = { ...(await inputDefaults(options.github.token)), ...options.inputs };
    for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
    const child = spawn(process.execPath, [ACTION_ENTRY], {
      cwd: options.workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const outputFile = await readFile(outputPath, 'utf8');
    const outputs = parseOutputFile(outputFile);
    const planJson = outputs['plan-json'] === undefined ? undefined : await readFile(outputs['plan-json'], 'utf8');
    return { code, stdout, stderr, summary: await readFile(summaryPath, 'utf8'), outputs, outputFile, planJson };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The client side, in process: Octokit as the action builds it, pointed at a stub.

export interface StubClient {
  client: GitHubClient;
  /** What the client warned about (a wait for a rate limit, say). */
  warnings: string[];
}

// A limiter that lets every write through at once, for the throttling plugin's write spacing.
const unspaced = {
  key: () => ({
    schedule: (_options: unknown, job: (...args: unknown[]) => unknown, ...args: unknown[]) =>
      Promise.resolve(job(...args)),
  }),
};
const noSpacing = { write: unspaced, notifications: unspaced } as unknown as NonNullable<
  GitHubClientOptions['spacing']
>;

/**
 * The action's GitHub client for `stub`, with retries after a 5xx shortened to a millisecond or so and
 * writes unspaced (the plugin spaces them a second apart, which only makes tests slow). Rate limits are
 * waited out as in a run.
 */
export function clientFor(
  stub: Pick<GitHubStub, 'url' | 'token'>,
  options: Partial<GitHubClientOptions> = {},
): StubClient {
  const warnings: string[] = [];
  const client = createGitHubClient({
    token: stub.token,
    baseUrl: stub.url,
    repo: { owner: STUB_OWNER, repo: STUB_REPO },
    warn: (message) => warnings.push(message),
    backoffMs: 1,
    spacing: noSpacing,
    ...options,
  });
  return { client, warnings };
}
