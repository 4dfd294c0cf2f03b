import { describe, expect, it } from 'vitest';
import { PreconditionFailedError, TailscaleApiError, TailscaleNetworkError } from '../src/tailscale/client.js';
import { clientFor, failureOf, harnessFactory, startServer, user } from './client-test-server.js';
import type { Handler, Reply } from './client-test-server.js';

const setup = harnessFactory({ retry: { baseDelayMs: 100, maxDelayMs: 1000 } });

/** Answers with `failures` in turn, then succeeds. */
function failingThen(...failures: Reply[]): Handler {
  return (_req, i) => failures[i] ?? { status: 200, body: { users: [user('alice@example.com')] } };
}

const TOO_MANY = { status: 429, body: { message: 'too many requests' } };

describe('retries', () => {
  it('waits as long as Retry-After says in seconds', async () => {
    const { client, delays, server } = await setup(failingThen({ ...TOO_MANY, headers: { 'retry-after': '2' } }));
    expect(await client.listUsers()).toHaveLength(1);
    expect(delays).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
    expect(client.stats).toMatchObject({ requests: 2, retries: 1, rateLimited: 1 });
  });

  it('waits until the HTTP date of Retry-After, and no longer than the cap', async () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const { client, delays } = await setup(
      failingThen(
        { ...TOO_MANY, headers: { 'retry-after': 'Sun, 01 Mar 2026 12:00:07 GMT' } },
        { ...TOO_MANY, headers: { 'retry-after': '3600' } },
      ),
      { now: () => now, retry: { maxRetryAfterMs: 30_000 } },
    );
    await client.listUsers();
    expect(delays).toEqual([7000, 30_000]);
  });

  it("holds the client's other requests back until a 429's wait is over: one budget for all", async () => {
    const { client, delays } = await setup((req, i): Reply => {
      if (i === 0) return { ...TOO_MANY, headers: { 'retry-after': '2' } };
      return req.path.endsWith('/acl')
        ? { status: 200, headers: { etag: '"e1"' }, body: '{}' }
        : { status: 200, body: { users: [] } };
    });
    await client.listUsers();
    // The sleeps are recorded, not slept: the policy read, asked for after the retry, still finds
    // the pause (2 s from the 429, less the few milliseconds that really passed) ahead of it.
    await client.getPolicy();
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBe(2000);
    expect(delays[1]).toBeGreaterThan(1900);
    expect(delays[1]).toBeLessThanOrEqual(2000);
  });

  it('falls back to backoff when Retry-After cannot be read', async () => {
    const { client, delays } = await setup(failingThen({ ...TOO_MANY, headers: { 'retry-after': 'soon' } }));
    await client.listUsers();
    expect(delays).toEqual([50]);
  });

  it('backs off with full jitter on 5xx', async () => {
    const { client, delays } = await setup(
      failingThen({ status: 503 }, { status: 500 }, { status: 502 }, { status: 504 }),
      {
        retry: { baseDelayMs: 100, maxDelayMs: 300 },
      },
    );
    await client.listUsers();
    // random() is 0.5: half of 100, 200, then the 300 ceiling twice.
    expect(delays).toEqual([50, 100, 150, 150]);
  });

  it('sends again after the connection is reset', async () => {
    const { client, delays, events } = await setup(failingThen('reset'));
    expect(await client.listUsers()).toHaveLength(1);
    expect(delays).toHaveLength(1);
    const retry = events.find((e) => e.type === 'retry');
    expect(retry).toMatchObject({
      operation: 'list users',
      attempt: 1,
      reason: expect.stringMatching(/UND_ERR_SOCKET|ECONNRESET/),
    });
  });

  it.each([400, 401, 403, 404, 409])('never resends after a %i', async (status) => {
    const { client, server, delays } = await setup(() => ({ status, body: { message: 'no' } }));
    const e = await failureOf(() => client.listUsers());
    expect(e).toBeInstanceOf(TailscaleApiError);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('never resends a policy write that met a 412', async () => {
    const { client, server } = await setup(() => ({
      status: 412,
      body: { message: 'precondition failed, invalid old hash' },
    }));
    expect(await failureOf(() => client.setPolicy('{}', '"abc"'))).toBeInstanceOf(PreconditionFailedError);
    expect(server.requests).toHaveLength(1);
  });

  it('stops after maxAttempts and says how many it made', async () => {
    const { client, server, delays } = await setup(() => ({ status: 503, body: { message: 'service unavailable' } }));
    const e = await failureOf(() => client.listUsers());
    expect(server.requests).toHaveLength(5);
    expect(delays).toHaveLength(4);
    expect(e.message).toBe(
      'list users (GET /api/v2/tailnet/-/users): 503 service unavailable — Tailscale, or a proxy in between, ' +
        'failed (gave up after 5 attempts); try again later',
    );
  });

  it('reports a rate limit that outlasts the retries', async () => {
    const { client } = await setup(() => TOO_MANY, { retry: { maxAttempts: 3 } });
    const e = await failureOf(() => client.getPolicy());
    expect(e).toMatchObject({ status: 429 });
    expect(e.message).toContain('429 too many requests — rate limited by Tailscale (gave up after 3 attempts)');
  });

  it('gives up on a server that does not answer in time, naming the call and the host', async () => {
    const { client, server } = await setup(() => 'hang', { timeoutMs: 150, retry: { maxAttempts: 2 } });
    const e = await failureOf(() => client.listUsers());
    expect(e).toBeInstanceOf(TailscaleNetworkError);
    expect(e).toMatchObject({ code: 'TIMEOUT', attempts: 2 });
    const host = new URL(server.baseUrl).host;
    expect(e.message).toBe(
      `list users (GET /api/v2/tailnet/-/users): no answer from ${host}: no complete answer within 0.15 s (2 ` +
        `attempts) — check the network, any proxy, and the base URL`,
    );
  });

  it('does not retry a refused connection', async () => {
    const server = await startServer(() => ({ status: 200 }));
    await server.close();
    const { client, delays } = clientFor(server);
    const e = await failureOf(() => client.listUsers()).finally(() => client.close());
    expect(e).toMatchObject({ code: 'ECONNREFUSED', attempts: 1 });
    expect(e.message).toContain(`no answer from ${new URL(server.baseUrl).host}: the connection was refused`);
    expect(delays).toEqual([]);
  });
});

describe('writes that must not be sent twice', () => {
  const app = { name: 'provisioner', redirectURIs: ['https://example.com/cb'], scopes: ['auth_keys:create:once'] };
  const created = {
    status: 200,
    body: { id: 'a1', name: 'provisioner', redirectURIs: app.redirectURIs, scopes: app.scopes },
  };

  it('resends a create after a 429, which the server refused unread', async () => {
    const { client, server } = await setup((_req, i) => (i === 0 ? TOO_MANY : created));
    expect((await client.createOAuthApp(app)).id).toBe('a1');
    expect(server.requests).toHaveLength(2);
  });

  it.each<[string, Reply]>([
    ['a 502', { status: 502 }],
    ['a reset connection', 'reset'],
  ])('does not resend a create after %s, which may have been applied', async (_what, reply) => {
    const { client, server } = await setup((_req, i) => (i === 0 ? reply : created));
    await failureOf(() => client.createOAuthApp(app));
    expect(server.requests).toHaveLength(1);
  });

  it('resends role changes and policy writes after a reset (they are idempotent or guarded)', async () => {
    const { client, server } = await setup((req, i) =>
      i % 2 === 0 ? 'reset' : { status: 200, headers: { etag: '"e2"' }, body: req.body },
    );
    await client.setUserRole('1', 'admin');
    await client.setPolicy('{}\n', '"e1"');
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v2/users/1/role',
      'POST /api/v2/users/1/role',
      'POST /api/v2/tailnet/-/acl',
      'POST /api/v2/tailnet/-/acl',
    ]);
  });
});

describe('events', () => {
  it('reports each attempt and each retry, in order', async () => {
    const { client, events } = await setup(failingThen({ ...TOO_MANY, headers: { 'retry-after': '1' } }));
    await client.listUsers();
    expect(events.map((e) => [e.type, e.attempt, 'status' in e ? e.status : undefined])).toEqual([
      ['request-start', 1, undefined],
      ['request-end', 1, 429],
      ['retry', 1, undefined],
      ['request-start', 2, undefined],
      ['request-end', 2, 200],
    ]);
    expect(events[2]).toMatchObject({ delayMs: 1000, reason: '429', path: '/api/v2/tailnet/-/users' });
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
  });
});
