// The authorization-code flow against the simulator's consent screen and token endpoint: a granted
// consent ends in a single-use auth key; a denial, a forged state, a reused code and a silent browser
// each stop it with a message that says why. The CLI hands the key to `tailscale up` through a 0600
// file (a stand-in `tailscale` on PATH records what it got), or prints the command with --print.
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/commands/run-cli.js';
import {
  AuthorizationDeniedError,
  StateMismatchError,
  readAuthorizationCode,
} from '../src/oauth/authorization-response.js';
import { buildAuthorizeUrl, newState } from '../src/oauth/authorize-url.js';
import { authorizeDevice } from '../src/oauth/provision.js';
import { listenForRedirect, RedirectTimeoutError } from '../src/oauth/redirect-listener.js';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { exchangeAuthorizationCode, TailscaleApiError } from '../src/tailscale/client.js';
import type { CommandIO } from '../src/commands/context.js';
import { browse, filesUnder, SecretScan } from './helpers/oauth-kit.js';

const scan = new SecretScan();
let sim: Simulator;
let dir: string;
/** Files that hold a secret on purpose: left out of the scan. */
let secretFiles: string[];
let codes: string[];
const noRetry = { retry: { maxAttempts: 1 } };

beforeEach(async () => {
  sim = await startSimulator();
  dir = await mkdtemp(path.join(tmpdir(), 'provision-test-'));
  secretFiles = [];
  codes = [];
});

afterEach(async () => {
  codes.forEach((code) => scan.secret(code));
  scan.saw('the simulator request log', JSON.stringify(sim.requests.entries));
  for (const { file, text } of await filesUnder(dir, secretFiles)) scan.saw(file, text);
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

afterAll(() => {
  expect(scan.secretCount).toBeGreaterThan(5);
  scan.assertClean();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** An app whose redirect URI is a free loopback port; its secret is noted for the scan. */
async function appOnFreePort(): Promise<{ id: string; secret: string; port: number }> {
  const port = await freePort();
  const app = sim.state.oauthApps.create(
    {
      name: 'device-provisioner',
      redirectURIs: [`http://127.0.0.1:${port}/callback`],
      scopes: ['auth_keys:create:once'],
    },
    sim.clock.iso(),
  );
  scan.secret(app.clientSecret);
  return { id: app.id, secret: app.clientSecret ?? '', port };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e as Error,
  );
  scan.saw(`the ${error.name} message`, error.message);
  return error;
}

const tokenRequests = (): number => sim.requests.count({ path: '/api/v2/oauth/token' });

describe('authorizeDevice', () => {
  it('ends a granted consent in a single-use auth key of the consenting user', async () => {
    const app = await appOnFreePort();
    const seen: URL[] = [];
    const device = await authorizeDevice({
      clientId: app.id,
      clientSecret: app.secret,
      port: app.port,
      loginUrl: sim.url,
      api: { baseUrl: sim.url },
      openUrl: async (url) => {
        seen.push(url);
        // A browser asks for its favicon too; that must not end the wait.
        expect((await fetch(`http://127.0.0.1:${app.port}/favicon.ico`)).status).toBe(404);
        const page = await browse(url.toString(), codes);
        expect(await page.text()).toContain('Approved. tailnet-access is finishing in the terminal');
      },
    });
    scan.secret(device.authKey);
    expect(device.expiresInSeconds).toBe(3600);
    const query = Object.fromEntries(seen[0]?.searchParams ?? []);
    expect(query).toMatchObject({
      client_id: app.id,
      redirect_uri: `http://127.0.0.1:${app.port}/callback`,
      scope: 'auth_keys:create:once',
      response_type: 'code',
    });
    expect(query.state).toMatch(/^[\w-]{43}$/);
    expect(sim.state.oauthApps.authKey(device.authKey)).toMatchObject({ clientId: app.id, userId: '100001' });
    expect(sim.useAuthKey(device.authKey)).toBe(true);
    expect(sim.useAuthKey(device.authKey)).toBe(false);
    expect(newState()).not.toBe(query.state);
  });

  it('stops on a denied consent, with no token request', async () => {
    const app = await appOnFreePort();
    sim.setKnobs({ consent: 'deny' });
    const failure = await failureOf(
      authorizeDevice({
        clientId: app.id,
        clientSecret: app.secret,
        port: app.port,
        loginUrl: sim.url,
        api: { baseUrl: sim.url },
        openUrl: (url) => browse(url.toString(), codes).then(() => undefined),
      }),
    );
    expect(failure).toBeInstanceOf(AuthorizationDeniedError);
    expect(failure.message).toMatch(
      /^authorization was denied \(error=access_denied\): the consent screen was declined/,
    );
    expect(tokenRequests()).toBe(0);
  });

  it('stops on a redirect with a forged state, and never spends its code', async () => {
    const app = await appOnFreePort();
    const failure = await failureOf(
      authorizeDevice({
        clientId: app.id,
        clientSecret: app.secret,
        port: app.port,
        loginUrl: sim.url,
        api: { baseUrl: sim.url },
        // Someone else's page sends the browser to our listener with a code of their own.
        openUrl: async (_url, redirectUri) => {
          const page = await fetch(`${redirectUri}?code=attacker-code&state=${newState()}`);
          expect(await page.text()).toContain('Not authorized: the redirect&#39;s state does not match');
        },
      }),
    );
    expect(failure).toBeInstanceOf(StateMismatchError);
    expect(failure.message).toMatch(
      /^the redirect's state does not match the one this run sent, so it did not come from this authorization request/,
    );
    expect(tokenRequests()).toBe(0);
    expect(() => readAuthorizationCode(new URLSearchParams({ code: 'c' }), 'expected')).toThrow(/state is missing/);
  });

  it('gives up when no redirect arrives, saying what to do', async () => {
    const app = await appOnFreePort();
    const failure = await failureOf(
      authorizeDevice({
        clientId: app.id,
        clientSecret: app.secret,
        port: app.port,
        loginUrl: sim.url,
        redirectTimeoutMs: 1000,
        openUrl: () => undefined,
      }),
    );
    expect(failure).toBeInstanceOf(RedirectTimeoutError);
    expect(failure.message).toContain(
      `no redirect arrived at http://127.0.0.1:${app.port}/callback within 1 second: open the authorization URL printed above`,
    );
    // The port is free again.
    const again = await listenForRedirect({ port: app.port });
    await again.close();
  });

  it('says so when the port is taken', async () => {
    const first = await listenForRedirect({ port: 0 });
    const port = Number(new URL(first.redirectUri).port);
    try {
      await expect(listenForRedirect({ port })).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      await first.close();
    }
  });
});

describe('the code exchange', () => {
  it('refuses a code used twice, and revokes the key the first use bought', async () => {
    const listener = await listenForRedirect({ port: 0 });
    const app = sim.state.oauthApps.create(
      { name: 'twice', redirectURIs: [listener.redirectUri], scopes: ['auth_keys:create:once'] },
      sim.clock.iso(),
    );
    scan.secret(app.clientSecret);
    const state = newState();
    const url = buildAuthorizeUrl({ loginUrl: sim.url, clientId: app.id, redirectUri: listener.redirectUri, state });
    await browse(url.toString(), codes);
    const code = readAuthorizationCode(await listener.waitForRedirect(), state);
    const exchange = {
      baseUrl: sim.url,
      clientId: app.id,
      clientSecret: app.clientSecret ?? '',
      code,
      redirectUri: listener.redirectUri,
      ...noRetry,
    };
    const first = await exchangeAuthorizationCode(exchange);
    scan.secret(first.access_token);
    const failure = await failureOf(exchangeAuthorizationCode(exchange));
    expect(failure).toBeInstanceOf(TailscaleApiError);
    expect((failure as TailscaleApiError).status).toBe(400);
    expect(failure.message).toContain('the code was refused: it works once');
    expect(sim.useAuthKey(first.access_token)).toBe(false);
  });
});

describe('tailnet-access provision', () => {
  /** Command streams whose stderr opens the authorization URL the moment it is printed. */
  function browsingIO(env: Record<string, string | undefined>): CommandIO & { out: () => string; err: () => string } {
    let out = '';
    let err = '';
    return {
      env,
      cwd: dir,
      stdout: { write: (text: string) => (out += text) },
      stderr: {
        write: (text: string) => {
          err += text;
          const url = /https?:\/\/\S+\/a\/oauth_authorize\?\S+/.exec(text)?.[0];
          if (url) void browse(url, codes);
        },
      },
      out: () => out,
      err: () => err,
    };
  }

  async function provision(
    args: string[],
    env: Record<string, string | undefined> = {},
  ): Promise<{ code: number; out: string; err: string }> {
    const io = browsingIO(env);
    const code = await runCli(['provision', ...args], io);
    scan.saw(`stdout of provision ${args.join(' ')}`, io.out());
    scan.saw(`stderr of provision ${args.join(' ')}`, io.err());
    return { code, out: io.out(), err: io.err() };
  }

  async function secretFileFor(app: { secret: string }): Promise<string> {
    const file = path.join(dir, 'client.secret');
    await writeFile(file, `${app.secret}\n`, { mode: 0o600 });
    secretFiles.push(file);
    return file;
  }

  const flagsFor = (app: { id: string; port: number }, secretFile: string): string[] => [
    '--client-id',
    app.id,
    '--client-secret-file',
    secretFile,
    '--port',
    String(app.port),
    '--login-url',
    sim.url,
    '--base-url',
    sim.url,
  ];

  it(
    'with --print, writes the key to a 0600 --token-file (replacing an old one) and prints the command, ' +
      'not the key',
    async () => {
      const app = await appOnFreePort();
      const tokenFile = path.join(dir, 'auth.key');
      await writeFile(tokenFile, 'stale\n', { mode: 0o644 });
      secretFiles.push(tokenFile);
      const run = await provision([...flagsFor(app, await secretFileFor(app)), '--print', '--token-file', 'auth.key']);
      expect(run.code, run.err).toBe(0);
      expect(run.out).toBe(`tailscale up --auth-key=file:${tokenFile}\n`);
      expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
      const key = (await readFile(tokenFile, 'utf8')).trim();
      scan.secret(key);
      expect(sim.useAuthKey(key)).toBe(true);
      expect(run.err).toContain('Open this URL in a browser on this machine');
      expect(run.err).toContain(
        `The single-use auth key is in ${tokenFile} (mode 0600); it works once, within 60 minutes`,
      );
    },
  );

  /** A stand-in for the tailscale CLI on PATH: records its arguments, the key file's mode and the key. */
  async function fakeTailscale(exitCode: number): Promise<{ env: Record<string, string>; record: string }> {
    const bin = path.join(dir, 'bin');
    const record = path.join(dir, 'tailscale-saw.json');
    secretFiles.push(record);
    await mkdir(bin);
    await writeFile(
      path.join(bin, 'tailscale'),
      `#!${process.execPath}
const fs = require('node:fs');
const flag = process.argv.find((a) => a.startsWith('--auth-key=')) ?? '';
const file = flag.startsWith('--auth-key=file:') ? flag.slice('--auth-key=file:'.length) : '';
const seen = { args: process.argv.slice(2), file, mode: file ? fs.statSync(file).mode & 0o777 : 0, key: file ? fs.readFileSync(file, 'utf8').trim() : '' };
fs.writeFileSync(process.env.FAKE_TAILSCALE_RECORD, JSON.stringify(seen), { mode: 0o600 });
if (${exitCode} === 0) console.log('Success.');
else console.error('backend error: invalid key: unable to validate API key');
process.exit(${exitCode});
`,
    );
    await chmod(path.join(bin, 'tailscale'), 0o755);
    return { env: { PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_TAILSCALE_RECORD: record }, record };
  }

  async function recorded(record: string): Promise<{ args: string[]; file: string; mode: number; key: string }> {
    const seen = JSON.parse(await readFile(record, 'utf8')) as {
      args: string[];
      file: string;
      mode: number;
      key: string;
    };
    scan.secret(seen.key);
    return seen;
  }

  it('without --print, runs tailscale up with the key in a 0600 file that is gone afterwards', async () => {
    const app = await appOnFreePort();
    const fake = await fakeTailscale(0);
    const run = await provision(flagsFor(app, await secretFileFor(app)), fake.env);
    expect(run.code, run.err).toBe(0);
    const seen = await recorded(fake.record);
    expect(seen.args).toEqual(['up', `--auth-key=file:${seen.file}`]);
    expect(seen.mode).toBe(0o600);
    await expect(stat(seen.file)).rejects.toThrow(/ENOENT/);
    expect(sim.useAuthKey(seen.key)).toBe(true);
    expect(run.out).toBe('Success.\n');
    expect(run.err).toContain('Done: tailscale up succeeded');
  });

  it('says what to do when tailscale up fails, and still removes the key file', async () => {
    const app = await appOnFreePort();
    const fake = await fakeTailscale(1);
    const run = await provision(flagsFor(app, await secretFileFor(app)), fake.env);
    expect(run.code).toBe(1);
    const seen = await recorded(fake.record);
    await expect(stat(seen.file)).rejects.toThrow(/ENOENT/);
    expect(run.err).toContain('backend error: invalid key');
    expect(run.err).toContain('error: tailscale up exited with 1; its output is above. The auth key works once');
    expect(run.err).toContain('run provision with --print and run the printed command with sudo');
  });

  it('with --print and no --token-file, puts the key in a new private file and prints that path', async () => {
    const app = await appOnFreePort();
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      const run = await provision([...flagsFor(app, await secretFileFor(app)), '--print']);
      expect(run.code, run.err).toBe(0);
      const keyFile = /^tailscale up --auth-key=file:(\S+)\n$/.exec(run.out)?.[1] ?? '';
      secretFiles.push(keyFile);
      expect(keyFile.startsWith(dir)).toBe(true);
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      expect((await stat(path.dirname(keyFile))).mode & 0o777).toBe(0o700);
      const key = (await readFile(keyFile, 'utf8')).trim();
      scan.secret(key);
      expect(sim.useAuthKey(key)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('refuses bad flags and a secret of another app before any request', async () => {
    const app = await appOnFreePort();
    const secretFile = await secretFileFor(app);
    const empty = path.join(dir, 'empty.secret');
    await writeFile(empty, '\n', { mode: 0o600 });
    const other = path.join(dir, 'other.secret');
    await writeFile(other, 'tskey-app-aOther1CNTRL-notThisAppsSecret\n', { mode: 0o600 });
    scan.secret('tskey-app-aOther1CNTRL-notThisAppsSecret');
    secretFiles.push(other);
    const cases: [string[], RegExp][] = [
      [['--client-secret-file', secretFile], /--client-id is required/],
      [['--client-id', app.id], /--client-secret-file is required/],
      [[...flagsFor(app, secretFile), '--port', '70000'], /--port must be a port number from 1 to 65535/],
      [[...flagsFor(app, secretFile), '--token-file', 'k'], /--token-file goes with --print/],
      [
        [...flagsFor(app, secretFile), '--print', '--token-file', 'no/such/dir/k'],
        /the directory of --token-file .* does not exist/,
      ],
      [flagsFor(app, empty), /empty.secret is empty/],
      [
        flagsFor(app, path.join(dir, 'missing.secret')),
        /cannot read the OAuth app client secret: .*missing\.secret does not exist; check the path/,
      ],
      [flagsFor(app, other), /the client secret belongs to another OAuth app than/],
    ];
    for (const [args, message] of cases) {
      const run = await provision(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.err).toMatch(message);
    }
    expect(sim.requests.entries).toEqual([]);
  });

  it('warns when the client secret file can be read by others', async () => {
    const app = await appOnFreePort();
    const secretFile = await secretFileFor(app);
    await chmod(secretFile, 0o644);
    sim.setKnobs({ consent: 'deny' });
    const run = await provision([...flagsFor(app, secretFile), '--print']);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`warning: ${secretFile} can be read by other users; restrict it with chmod 600`);
    expect(run.err).toContain('error: authorization was denied');
  });
});
