// How the simulator evaluates a policy's `tests`: decided when it can be, reported when it cannot.
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../src/simulator/index.js';
import type { JsonValue } from '../src/simulator/json.js';
import { checkPolicy } from '../src/simulator/policy-check.js';
import { runPolicyTests, type TestOutcome } from '../src/simulator/policy-tests.js';
import type { UserFacts } from '../src/simulator/policy-match.js';
import { callJson } from './fixtures/simulator/client.js';

const USERS: Record<string, UserFacts> = {
  'alice@example.com': { role: 'admin', type: 'member' },
  'bob@example.com': { role: 'member', type: 'member' },
  'frank@partner.org': { role: 'member', type: 'shared' },
};

function run(policy: Record<string, unknown>, tests: Record<string, unknown>[]): TestOutcome {
  const checked = checkPolicy(JSON.stringify(policy));
  return runPolicyTests(
    checked.value,
    checked.groups,
    JSON.parse(JSON.stringify(tests)) as JsonValue,
    (login) => USERS[login.toLowerCase()],
  );
}

const base = {
  groups: { 'group:eng': ['Alice@example.com'] },
  tagOwners: { 'tag:prod': ['autogroup:admin'], 'tag:db': ['autogroup:admin'] },
  hosts: { nas: '192.168.1.10', lan: '192.168.1.0/24' },
};

describe('policy tests', () => {
  it('expands groups (logins without case) and role autogroups, and defaults to Drop', () => {
    const policy = {
      ...base,
      acls: [
        { action: 'accept', src: ['group:eng'], dst: ['tag:prod:22'] },
        { action: 'accept', src: ['autogroup:member'], dst: ['tag:db:5432'] },
      ],
    };
    const outcome = run(policy, [
      { src: 'alice@example.com', accept: ['tag:prod:22', 'tag:db:5432'], deny: ['tag:prod:23'] },
      { src: 'bob@example.com', accept: ['tag:prod:22'] },
      { src: 'frank@partner.org', deny: ['tag:db:5432'] },
    ]);
    expect(outcome).toEqual({
      failures: [{ user: 'bob@example.com', errors: ['address "tag:prod:22": want: Accept, got: Drop'] }],
      unevaluable: [],
    });
  });

  it('matches grants by protocol and port, and a test without proto as TCP or UDP', () => {
    const policy = {
      ...base,
      grants: [
        { src: ['*'], dst: ['tag:prod'], ip: ['tcp:443', '8000-8100'] },
        { src: ['*'], dst: ['tag:db'], ip: ['icmp:*'] },
        { src: ['*'], dst: ['tag:db'], app: { 'example.com/cap': [{}] } },
      ],
    };
    const outcome = run(policy, [
      { src: 'bob@example.com', accept: ['tag:prod:443', 'tag:prod:8050'], deny: ['tag:prod:444', 'tag:db:0'] },
      { src: 'bob@example.com', proto: 'udp', deny: ['tag:prod:443'] },
      { src: 'bob@example.com', proto: 'icmp', accept: ['tag:db:0'] },
    ]);
    expect(outcome).toEqual({ failures: [], unevaluable: [] });
  });

  it('reads legacy users/ports, autogroup:self and IPv4 ranges through host aliases', () => {
    const policy = {
      ...base,
      acls: [{ action: 'accept', users: ['bob@example.com'], ports: ['autogroup:self:*', 'lan:80'] }],
    };
    const outcome = run(policy, [
      {
        src: 'bob@example.com',
        accept: ['bob@example.com:22', 'nas:80', '192.168.1.77:80'],
        deny: ['alice@example.com:22', '10.0.0.1:80', 'nas:81'],
      },
    ]);
    expect(outcome).toEqual({ failures: [], unevaluable: [] });
  });

  it('reports what it cannot decide instead of passing it: addresses of devices, posture, via, sshTests', () => {
    const policy = {
      ...base,
      acls: [
        { action: 'accept', src: ['100.64.0.0/10'], dst: ['tag:prod:22'] },
        { action: 'accept', src: ['*'], srcPosture: ['posture:x'], dst: ['tag:db:5432'] },
      ],
      grants: [{ src: ['*'], dst: ['tag:prod'], ip: ['443'], via: ['tag:exit'] }],
      postures: { 'posture:x': ["node:os == 'macos'"] },
      sshTests: [{ src: 'bob@example.com', dst: ['tag:prod'], accept: ['root'] }],
    };
    const outcome = run(policy, [
      { src: 'bob@example.com', accept: ['tag:prod:22', 'tag:db:5432', 'tag:prod:443'] },
      { src: '100.64.0.1', accept: ['tag:prod:22'] },
    ]);
    expect(outcome.failures).toEqual([]);
    const reasons = outcome.unevaluable.flatMap((entry) => entry.errors ?? []);
    expect(reasons).toEqual([
      expect.stringMatching(/^address "tag:prod:22": the simulator cannot evaluate this test: .*no device addresses/),
      expect.stringMatching(/^address "tag:db:5432": .*srcPosture/),
      expect.stringMatching(/^address "tag:prod:443": .*via/),
      expect.stringMatching(/^address "tag:prod:22": .*src "100\.64\.0\.1" is an address/),
      'sshTests are not evaluated by the simulator',
    ]);
  });

  it('still decides when one rule surely matches, whatever the undecided ones say', () => {
    const policy = {
      ...base,
      acls: [
        { action: 'accept', src: ['100.64.0.0/10'], dst: ['tag:prod:22'] },
        { action: 'accept', src: ['bob@example.com'], dst: ['tag:prod:22'] },
      ],
    };
    expect(run(policy, [{ src: 'bob@example.com', accept: ['tag:prod:22'] }])).toEqual({
      failures: [],
      unevaluable: [],
    });
  });

  it('knows device addresses lie in 100.64.0.0/10, so other ranges surely miss users and tags', () => {
    const policy = {
      ...base,
      acls: [
        { action: 'accept', src: ['10.0.0.0/8', '2001:db8::/32'], dst: ['tag:prod:22'] },
        { action: 'accept', src: ['*'], dst: ['tag:db:5432'] },
      ],
    };
    const outcome = run(policy, [
      { src: 'bob@example.com', deny: ['tag:prod:22', '192.168.5.5:5432'] },
      { src: 'bob@example.com', deny: ['100.70.1.2:5432'] },
    ]);
    expect(outcome.failures).toEqual([]);
    expect(outcome.unevaluable).toEqual([
      {
        user: 'bob@example.com',
        errors: [expect.stringMatching(/"100\.70\.1\.2:5432".*tag:db against the address 100\.70\.1\.2/)],
      },
    ]);
  });

  it('makes validate fail with a message when tests cannot be evaluated, unless the knob passes them', async () => {
    const sim = await startSimulator();
    try {
      const policy = JSON.stringify({
        acls: [{ action: 'accept', src: ['100.64.0.0/10'], dst: ['*:*'] }],
        tests: [{ src: 'bob@example.com', deny: ['10.1.2.3:22'] }],
      });
      const { body } = await callJson<{ message: string; data: { errors: string[] }[] }>(
        sim,
        '/tailnet/-/acl/validate',
        { method: 'POST', body: policy },
      );
      expect(body.message).toMatch(/cannot evaluate some policy tests/);
      expect(body.data[0]?.errors[0]).toMatch(/no device addresses/);
      expect((await callJson(sim, '/tailnet/-/acl', { method: 'POST', body: policy })).status).toBe(400);
      sim.setKnobs({ unevaluableTests: 'pass' });
      expect((await callJson(sim, '/tailnet/-/acl', { method: 'POST', body: policy })).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('refuses malformed tests with a message naming the test', () => {
    expect(() => run(base, [{ accept: ['tag:prod:22'] }])).toThrow(/tests\[0\]: "src"/);
    expect(() => run(base, [{ src: 'bob@example.com', accept: 'tag:prod:22' }])).toThrow(/tests\[0\]: "accept"/);
  });
});
