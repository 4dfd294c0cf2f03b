// Stand-ins and probes for the OAuth-app tests: a loopback GitHub that serves the Actions-secrets
// public keys and takes sealed secrets (and, holding the private keys, can open them), captured
// command streams, a "browser" that follows the consent redirect and notes the code it carried, and
// a scan of everything the tests saw for secret values.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sodium from 'libsodium-wrappers';
import { expect } from 'vitest';
import type { CommandIO } from '../../src/commands/context.js';

export const REPOSITORY = 'example/infra';
export const ENVIRONMENT = 'provisioning';
/** Like the workflow's own GITHUB_TOKEN: no access to secrets at all. */
export const WORKFLOW_TOKEN = 'ghs_workflowTokenStandIn0123456789';
/** May read the public key but not write: a fine-grained token with "Secrets: read". */
export const READ_ONLY_TOKEN = 'github_pat_readOnlyStandIn0123456789';
export const WRITER_TOKEN = 'github_pat_secretsWriterStandIn0123456789';

interface StoredSecret {
  encrypted_value: string;
  key_id: string;
}

export interface GitHubRequest {
  method: string;
  path: string;
  /** Which stand-in token was sent; never the token itself. */
  token: 'workflow' | 'read-only' | 'writer' | 'other' | 'none';
  status: number;
  body?: string;
}

export interface GitHubStandIn {
  readonly apiUrl: string;
  readonly requests: GitHubRequest[];
  /** Opens a stored secret with the stand-in's private key, as GitHub would. */
  open(name: string, environment?: string): string | undefined;
  /** The next `count` PUTs answer `status` (the client retries a 5xx; nothing else). */
  failPuts(count: number, status: number): void;
  close(): Promise<void>;
}

function tokenKind(header: string | undefined): GitHubRequest['token'] {
  if (!header) return 'none';
  const token = header.replace(/^(?:Bearer|token) /i, '');
  if (token === WORKFLOW_TOKEN) return 'workflow';
  if (token === READ_ONLY_TOKEN) return 'read-only';
  if (token === WRITER_TOKEN) return 'writer';
  return 'other';
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  await sodium.ready;
  const keys = {
    repo: { id: '3380204578043523366', pair: sodium.crypto_box_keypair() },
    env: { id: '2024101500000000001', pair: sodium.crypto_box_keypair() },
  };
  const stored = new Map<string, StoredSecret>();
  const requests: GitHubRequest[] = [];
  let failing = { count: 0, status: 500 };

  const send = (res: ServerResponse, status: number, body?: unknown): number => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body === undefined ? '' : JSON.stringify(body));
    return status;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, entry: GitHubRequest): Promise<number> {
    const token = entry.token;
    if (token === 'none' || token === 'other')
      return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    // /repos/{owner}/{repo}/actions/secrets/... or /repos/{owner}/{repo}/environments/{env}/secrets/...
    const match = /^\/repos\/([^/]+)\/([^/]+)\/(?:actions|environments\/([^/]+))\/secrets\/([^/]+)$/.exec(entry.path);
    if (!match) return send(res, 404, { message: 'Not Found' });
    const [, owner, repo, environment, last] = match;
    const env = environment === undefined ? undefined : decodeURIComponent(environment);
    if (`${owner}/${repo}` !== REPOSITORY || (env !== undefined && env !== ENVIRONMENT))
      return send(res, 404, { message: 'Not Found' });
    if (token === 'workflow')
      return send(res, 403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
      });
    const key = env === undefined ? keys.repo : keys.env;
    if (req.method === 'GET' && last === 'public-key') {
      return send(res, 200, {
        key_id: key.id,
        key: sodium.to_base64(key.pair.publicKey, sodium.base64_variants.ORIGINAL),
      });
    }
    if (req.method !== 'PUT' || last === undefined) return send(res, 404, { message: 'Not Found' });
    if (token === 'read-only') return send(res, 403, { message: 'Resource not accessible by personal access token' });
    if (failing.count > 0) {
      failing = { ...failing, count: failing.count - 1 };
      return send(res, failing.status, { message: failing.status >= 500 ? 'Server Error' : 'Validation Failed' });
    }
    const body = JSON.parse(entry.body ?? '{}') as Partial<StoredSecret>;
    if (typeof body.encrypted_value !== 'string' || body.key_id !== key.id)
      return send(res, 422, { message: 'Invalid request: key_id does not match' });
    const id = `${env ?? ''}/${decodeURIComponent(last).toUpperCase()}`;
    const existed = stored.has(id);
    stored.set(id, { encrypted_value: body.encrypted_value, key_id: body.key_id });
    return send(res, existed ? 204 : 201);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://github');
    void bodyOf(req).then(async (body) => {
      const entry: GitHubRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        token: tokenKind(req.headers.authorization),
        status: 0,
      };
      if (body !== '') entry.body = body;
      entry.status = await handle(req, res, entry);
      requests.push(entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    requests,
    open(name, environment) {
      const secret = stored.get(`${environment ?? ''}/${name.toUpperCase()}`);
      if (!secret) return undefined;
      const pair = environment === undefined ? keys.repo.pair : keys.env.pair;
      const sealed = sodium.from_base64(secret.encrypted_value, sodium.base64_variants.ORIGINAL);
      return sodium.crypto_box_seal_open(sealed, pair.publicKey, pair.privateKey, 'text');
    },
    failPuts(count, status) {
      failing = { count, status };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface CapturedIO extends CommandIO {
  out(): string;
  err(): string;
}

export function capturedIO(env: Record<string, string | undefined>, cwd: string): CapturedIO {
  let out = '';
  let err = '';
  return {
    env,
    cwd,
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  };
}

/** Follows a consent URL the way a browser would, noting each authorization code it passes on. */
export async function browse(url: string, codes: string[]): Promise<Response> {
  let next = url;
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(next, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (location === null) return response;
    const code = new URL(location).searchParams.get('code');
    if (code) codes.push(code);
    await response.body?.cancel();
    next = location;
  }
  throw new Error(`too many redirects from ${url}`);
}

/** Every file under `root` with its text, except the paths listed (the intended secret stores). */
export async function filesUnder(
  root: string,
  except: readonly string[] = [],
): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const entry of await readdir(root, { recursive: true })) {
    const file = path.join(root, entry);
    if (except.includes(file) || !(await lstat(file)).isFile()) continue;
    out.push({ file, text: await readFile(file, 'utf8') });
  }
  return out;
}

/** Tailscale secrets of the kinds this product handles: an app's client secret, an auth key. */
const SECRET_SHAPE = /tskey-(?:app|auth)-[A-Za-z0-9]+-[A-Za-z0-9]/;

/** Collects what the tests saw, and the secret values they learned, for one scan at the end. */
export class SecretScan {
  private readonly seen: { where: string; text: string }[] = [];
  private readonly secrets = new Set<string>();

  saw(where: string, text: string): void {
    this.seen.push({ where, text });
  }

  secret(value: string | undefined): void {
    if (value) this.secrets.add(value);
  }

  /** Asserts that no secret value, and nothing shaped like one, appears in anything seen. */
  assertClean(): void {
    expect(this.seen.length).toBeGreaterThan(0);
    for (const { where, text } of this.seen) {
      for (const secret of this.secrets) expect(text.includes(secret), `a secret appears in ${where}`).toBe(false);
      // A boolean, so a failing run does not print the secret it found.
      expect(SECRET_SHAPE.test(text), `something shaped like a Tailscale secret appears in ${where}`).toBe(false);
    }
  }

  get secretCount(): number {
    return this.secrets.size;
  }
}
