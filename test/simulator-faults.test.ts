// The simulator's knobs: latency, rate limit, seeded faults before and after writes, the external writer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type FaultConfig, type Simulator } from '../src/simulator/index.js';
import { call, getPolicy, postPolicy } from './fixtures/simulator/client.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('latency and rate limit', () => {
  it('delays every API request by latencyMs', async () => {
    sim.setKnobs({ latencyMs: 60 });
    const started = performance.now();
    await call(sim, '/tailnet/-/users');
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('answers 429 with Retry-After once the bucket is empty, and refills in real time', async () => {
    sim.setKnobs({ rateLimit: { perSecond: 2, burst: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(sim, '/tailnet/-/users')).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await call(sim, '/tailnet/-/users');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({ message: 'too many requests' });
    await sleep(600);
    expect((await call(sim, '/tailnet/-/users')).status).toBe(200);
  });
});

describe('seeded faults', () => {
  const faults: FaultConfig = { rate: 0.5, seed: 42, kinds: ['500', '502', '503', '504-html', '429'] };

  async function statuses(s: Simulator, count: number): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await call(s, '/tailnet/-/users')).status);
    return seen;
  }

  it('gives the same faults for the same seed and request sequence', async () => {
    sim.setKnobs({ faults });
    const twin = await startSimulator({ knobs: { faults: { ...faults } } });
    const other = await startSimulator({ knobs: { faults: { ...faults, seed: 7 } } });
    try {
      const first = await statuses(sim, 40);
      expect(await statuses(twin, 40)).toEqual(first);
      expect(await statuses(other, 40)).not.toEqual(first);
      expect(first).toContain(200);
      expect(new Set(first.filter((status) => status !== 200))).toEqual(new Set([500, 502, 503, 504, 429]));
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it('answers 502/504 with an HTML page and 503 with an empty body, as proxies do', async () => {
    const bodies: Record<string, { type: string | null; body: string }> = {};
    for (const kind of ['502', '503', '504-html'] as const) {
      sim.setKnobs({ faults: { rate: 1, seed: 1, kinds: [kind] } });
      const response = await call(sim, '/tailnet/-/users');
      bodies[kind] = { type: response.headers.get('content-type'), body: await response.text() };
    }
    expect(bodies['502']).toEqual({
      type: 'text/html',
      body: expect.stringContaining('<title>502 Bad Gateway</title>'),
    });
    expect(bodies['503']?.body).toBe('');
    expect(bodies['504-html']).toEqual({ type: 'text/html', body: expect.stringContaining('504 Gateway Time-out') });
  });

  it('resets the connection for a reset fault, and logs it with status 0', async () => {
    sim.setKnobs({ faults: { rate: 1, seed: 1, kinds: ['reset'] } });
    await expect(call(sim, '/tailnet/-/users')).rejects.toThrow();
    expect(sim.requests.last()).toMatchObject({ status: 0, fault: 'reset' });
    sim.setKnobs({ faults: undefined });
    expect((await call(sim, '/tailnet/-/users')).status).toBe(200);
  });

  it('never applies a write that got a fault, and faults only the listed methods', async () => {
    sim.setKnobs({ faults: { rate: 1, seed: 3, kinds: ['500'], methods: ['POST'] } });
    expect((await call(sim, '/tailnet/-/users')).status).toBe(200);
    expect((await call(sim, '/users/100003/role', { body: { role: 'admin' } })).status).toBe(500);
    expect(sim.state.users.get('100003')?.role).toBe('member');
    expect(sim.requests.last()).toMatchObject({ write: true, applied: false, fault: '500' });
  });

  it('loses the answer but keeps the change with faultsAfterWrite', async () => {
    sim.setKnobs({ faultsAfterWrite: { rate: 1, seed: 3, kinds: ['502'] } });
    expect((await call(sim, '/tailnet/-/users')).status).toBe(200);
    expect((await call(sim, '/users/100003/role', { body: { role: 'admin' } })).status).toBe(502);
    expect(sim.state.users.get('100003')?.role).toBe('admin');
    expect(sim.requests.last()).toMatchObject({ applied: true, fault: '502' });
  });
});

describe('external writer', () => {
  it('edits the policy between a GET and the next POST, so that POST gets 412', async () => {
    sim.setKnobs({ externalWriter: (text) => `${text}// touched in the console\n` });
    const { text, etag } = await getPolicy(sim);
    const response = await postPolicy(sim, text.replace('group:old', 'group:older'), etag);
    expect(response.status).toBe(412);
    expect(sim.state.policy.text.endsWith('// touched in the console\n')).toBe(true);
    expect(sim.state.policy.externalEdits).toBe(1);
    expect(sim.knobs.externalWriter).toBeUndefined();
    const again = await getPolicy(sim);
    expect((await postPolicy(sim, again.text.replace('group:old', 'group:older'), again.etag)).status).toBe(200);
  });

  it('runs a scripted find/replace for a given number of windows', async () => {
    sim.setKnobs({
      externalWriter: { edit: { find: 'The old ops rota', replace: '(edited) The old ops rota' }, times: 2 },
    });
    const results: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { text, etag } = await getPolicy(sim);
      results.push((await postPolicy(sim, text, etag)).status);
    }
    expect(results).toEqual([412, 412, 200]);
    expect(sim.state.policy.text).toContain('/* (edited) (edited) The old ops rota');
    expect(sim.state.policy.externalEdits).toBe(2);
  });

  it('waits for a GET: a POST with no GET before it is not interfered with', async () => {
    sim.setKnobs({ externalWriter: (text) => `${text}\n` });
    expect((await postPolicy(sim, '{}\n', sim.state.policy.etag)).status).toBe(200);
    expect(sim.knobs.externalWriter).toBeDefined();
    expect(sim.state.policy.externalEdits).toBe(0);
  });
});

describe('request log', () => {
  it('records method, path, query, status, If-Match, Content-Type and write bodies', async () => {
    const { etag } = await getPolicy(sim);
    await call(sim, '/tailnet/-/users?type=all');
    await postPolicy(sim, '{}\n', etag);
    await call(sim, '/tailnet/-/acl/validate', { method: 'POST', body: '{}' });
    expect(sim.requests.entries.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
      ['GET', '/api/v2/tailnet/-/acl', 200],
      ['GET', '/api/v2/tailnet/-/users', 200],
      ['POST', '/api/v2/tailnet/-/acl', 200],
      ['POST', '/api/v2/tailnet/-/acl/validate', 200],
    ]);
    expect(sim.requests.entries[1]?.query).toEqual({ type: 'all' });
    expect(sim.requests.countWrites()).toBe(1);
    expect(sim.requests.writes()[0]).toMatchObject({
      ifMatch: etag,
      contentType: 'application/hujson',
      body: '{}\n',
      actor: 'api-key',
    });
    expect(sim.requests.entries[3]).not.toHaveProperty('body');
    expect(sim.requests.count({ method: 'GET', path: /\/acl$/ })).toBe(1);
    sim.requests.clear();
    await call(sim, '/tailnet/-/users');
    expect(sim.requests.entries.map((entry) => entry.seq)).toEqual([5]);
  });
});
