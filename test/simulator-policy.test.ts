// The simulator's policy endpoints: GET forms and ETag, POST with If-Match, the 400 texts, validate.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, defaultFixture, startSimulator, type Simulator } from '../src/simulator/index.js';
import { call, callJson, getPolicy, postPolicy } from './fixtures/simulator/client.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const withGroups = (groups: string): string => `{\n\t"groups": {${groups}},\n}\n`;

describe('GET /acl', () => {
  it('serves the stored HuJSON byte for byte, with a quoted sha256 ETag', async () => {
    const response = await call(sim, '/tailnet/-/acl', { headers: { Accept: 'application/hujson' } });
    expect(response.headers.get('content-type')).toBe('application/hujson');
    expect(await response.text()).toBe(DEFAULT_POLICY);
    expect(response.headers.get('etag')).toBe(`"${sha256(DEFAULT_POLICY)}"`);
    expect(sim.state.policy.etag).toBe(`"${sha256(DEFAULT_POLICY)}"`);
  });

  it('serves plain JSON (comments lost) for Accept: application/json, with the same ETag', async () => {
    const response = await call(sim, '/tailnet/-/acl', { headers: { Accept: 'application/json' } });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { groups: Record<string, string[]> };
    expect(body.groups['group:eng']).toEqual(['alice@example.com', 'dave@example.com']);
    expect(response.headers.get('etag')).toBe(`"${sha256(DEFAULT_POLICY)}"`);
  });

  it('answers details=true with base64 text and warnings for group members who are not users', async () => {
    const clean = await callJson<{ warnings: string[] | null }>(sim, '/tailnet/-/acl?details=true');
    expect(clean.body.warnings).toBeNull();
    sim.state.policy.text = withGroups('"group:eng": ["alice@example.com", "ghost@example.com"]');
    const { body } = await callJson<{ acl: string; warnings: string[]; errors: null }>(
      sim,
      '/tailnet/-/acl?details=true',
    );
    expect(Buffer.from(body.acl, 'base64').toString('utf8')).toBe(sim.state.policy.text);
    expect(body.warnings).toEqual(['"group:eng": user not found: "ghost@example.com"']);
    expect(body.errors).toBeNull();
  });
});

describe('POST /acl', () => {
  it('stores the new text when If-Match carries the current ETag, and answers it with the new ETag', async () => {
    const { text, etag } = await getPolicy(sim);
    const next = text.replace('"dave@example.com", // on loan', '"bob@example.com", // on loan');
    const response = await postPolicy(sim, next, etag);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(next);
    expect(response.headers.get('etag')).toBe(`"${sha256(next)}"`);
    expect((await getPolicy(sim)).text).toBe(next);
    expect(sim.requests.writes().map((entry) => entry.ifMatch)).toEqual([etag]);
  });

  it('answers 412 for a stale or unquoted If-Match and keeps the stored policy', async () => {
    const { etag } = await getPolicy(sim);
    sim.state.policy.text = `${DEFAULT_POLICY}// edited in the console\n`;
    for (const ifMatch of [etag, etag.slice(1, -1)]) {
      const { status, body } = await callJson<{ message: string }>(sim, '/tailnet/-/acl', {
        method: 'POST',
        body: '{}',
        headers: { 'If-Match': ifMatch },
      });
      expect(status).toBe(412);
      expect(body.message).toBe('precondition failed, invalid old hash');
    }
    expect(sim.state.policy.text).toBe(`${DEFAULT_POLICY}// edited in the console\n`);
    expect(sim.requests.countApplied()).toBe(0);
  });

  it('honours If-Match: "ts-default" only while the default policy is untouched', async () => {
    const fixture = { ...defaultFixture(), policyIsDefault: true };
    const fresh = await startSimulator({ fixture });
    try {
      expect((await postPolicy(fresh, '{}\n', '"ts-default"')).status).toBe(200);
      expect((await postPolicy(fresh, '{"groups": {}}\n', '"ts-default"')).status).toBe(412);
    } finally {
      await fresh.close();
    }
    expect((await postPolicy(sim, '{}\n', '"ts-default"')).status).toBe(412);
  });

  it('writes unconditionally without If-Match, and accepts a JSON body stored as sent', async () => {
    const json = '{"groups":{"group:eng":["alice@example.com"]}}';
    const response = await call(sim, '/tailnet/-/acl', {
      method: 'POST',
      body: json,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(sim.state.policy.text).toBe(json);
  });

  it('answers 400 "line N, column M: …" for text that does not parse', async () => {
    const { status, body } = await callJson<{ message: string }>(sim, '/tailnet/-/acl', {
      method: 'POST',
      body: '{\n\t"groups": {\n\t\t"group:a": ["x@example.com"]\n\t\t"group:b": [],\n\t},\n}\n',
    });
    expect(status).toBe(400);
    expect(body.message).toMatch(/^line 4, column 3: expected ','/);
    expect(sim.state.policy.text).toBe(DEFAULT_POLICY);
  });

  it('refuses groups inside groups with the live service text, and autogroups, tags and * as members', async () => {
    const cases: [string, string][] = [
      [
        '"group:outer": ["group:inner"], "group:inner": []',
        'groups["group:outer"]: "group:inner": group members cannot be recursive',
      ],
      ['"group:a": ["autogroup:admin"]', 'groups["group:a"]: "autogroup:admin": autogroups cannot be group members'],
      ['"group:a": ["tag:prod"]', 'groups["group:a"]: "tag:prod": tags cannot be group members'],
      ['"group:a": ["*"]', 'groups["group:a"]: "*": wildcards cannot be group members'],
    ];
    for (const [groups, message] of cases) {
      const response = await postPolicy(sim, withGroups(groups));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toBe(message);
    }
  });

  it('refuses rules that name undefined tags or groups, but not SCIM groups', async () => {
    const rule = (src: string, dst: string): string =>
      `{"acls": [{"action": "accept", "src": ["${src}"], "dst": ["${dst}"]}]}\n`;
    const tag = await callJson<{ message: string }>(sim, '/tailnet/-/acl', {
      method: 'POST',
      body: rule('tag:x', '*:*'),
    });
    expect(tag).toMatchObject({ status: 400, body: { message: 'src=tag not found: "tag:x"' } });
    const group = await callJson<{ message: string }>(sim, '/tailnet/-/acl', {
      method: 'POST',
      body: rule('*', 'group:nope:22'),
    });
    expect(group).toMatchObject({ status: 400, body: { message: 'dst=group not found: "group:nope"' } });
    expect((await postPolicy(sim, rule('group:sre@example.com', '*:*'))).status).toBe(200);
  });

  it('runs the policy tests and refuses the write when one fails', async () => {
    const broken = DEFAULT_POLICY.replace('"dst": ["tag:prod:22,443"]', '"dst": ["tag:prod:443"]');
    const { status, body } = await callJson<{ message: string; data: unknown[] }>(sim, '/tailnet/-/acl', {
      method: 'POST',
      body: broken,
    });
    expect(status).toBe(400);
    expect(body.message).toBe('test(s) failed');
    expect(body.data).toEqual([
      { user: 'alice@example.com', errors: ['address "tag:prod:22": want: Accept, got: Drop'] },
    ]);
  });
});

describe('POST /acl/validate', () => {
  it('answers 200 with an empty body when the policy passes, or {} when the knob says so', async () => {
    const ok = await call(sim, '/tailnet/-/acl/validate', {
      method: 'POST',
      body: DEFAULT_POLICY,
      headers: { 'Content-Type': 'application/hujson' },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('');
    sim.setKnobs({ validateSuccessBody: 'object' });
    const object = await callJson(sim, '/tailnet/-/acl/validate', { method: 'POST', body: DEFAULT_POLICY });
    expect(object).toMatchObject({ status: 200, body: {} });
  });

  it('answers 200 with the failure in the body: a parse error, a refused group, failing tests', async () => {
    const parse = await callJson<{ message: string }>(sim, '/tailnet/-/acl/validate', {
      method: 'POST',
      body: '{\n  "groups": {,}\n}\n',
    });
    expect(parse.status).toBe(200);
    expect(parse.body.message).toMatch(/^line 2, column \d+: /);
    const recursive = await callJson<{ message: string }>(sim, '/tailnet/-/acl/validate', {
      method: 'POST',
      body: withGroups('"group:a": ["group:b"]'),
    });
    expect(recursive.body.message).toMatch(/cannot be recursive/);
    const failing = DEFAULT_POLICY.replace('"deny":   ["tag:prod:22"]', '"deny":   ["tag:monitoring:9100"]');
    const tests = await callJson<{ message: string; data: unknown[] }>(sim, '/tailnet/-/acl/validate', {
      method: 'POST',
      body: failing,
    });
    expect(tests.status).toBe(200);
    expect(tests.body).toEqual({
      message: 'test(s) failed',
      data: [{ user: 'carol@example.com', errors: ['address "tag:monitoring:9100": want: Drop, got: Accept'] }],
    });
    expect(sim.state.policy.text).toBe(DEFAULT_POLICY);
    expect(sim.requests.countWrites()).toBe(0);
  });

  it('runs a JSON array of tests against the stored policy', async () => {
    const pass = await call(sim, '/tailnet/-/acl/validate', {
      method: 'POST',
      body: [{ src: 'dave@example.com', accept: ['tag:prod:22'] }],
    });
    expect(await pass.text()).toBe('');
    const fail = await callJson<{ message: string }>(sim, '/tailnet/-/acl/validate', {
      method: 'POST',
      body: [{ src: 'bob@example.com', accept: ['tag:prod:22'] }],
    });
    expect(fail.body.message).toBe('test(s) failed');
  });

  it('reports group members who are not users as warnings only when the knob asks', async () => {
    const policy = withGroups('"group:eng": ["alice@example.com", "grace@example.com"]');
    expect(await (await call(sim, '/tailnet/-/acl/validate', { method: 'POST', body: policy })).text()).toBe('');
    sim.setKnobs({ validateReportsWarnings: true });
    const { body } = await callJson(sim, '/tailnet/-/acl/validate', { method: 'POST', body: policy });
    expect(body).toEqual({
      message: 'warning(s) found',
      data: [{ user: 'group:eng', warnings: ['user not found: "grace@example.com"'] }],
    });
  });
});
