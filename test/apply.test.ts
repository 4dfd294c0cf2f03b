// applyConfig against the simulator: what it writes, in what order, what it refuses (with no write),
// and how it reports conflicts, validation failures and partial failures.
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyConfig,
  ApplyRefusedError,
  CHANGED_DURING_APPLY,
  NO_ADMIN_LEFT,
  type ApplyOptions,
} from '../src/apply/index.js';
import type { ApplyEvent, ApplyReport } from '../src/domain/apply-report.js';
import { RefusedError } from '../src/errors.js';
import { readPolicyGroups, rewritePolicyGroups } from '../src/policy/index.js';
import type { Simulator } from '../src/simulator/index.js';
import { TailscaleNetworkError, type TailscaleClient } from '../src/tailscale/client.js';
import { ALICE_KEY, clientFor, config, EXAMPLE_CONFIG, fixture, QUICK, roles, simulator } from './apply-helpers.js';

const open: { sim: Simulator; client: TailscaleClient }[] = [];
afterEach(async () => {
  for (const { sim, client } of open.splice(0)) {
    await client.close();
    await sim.close();
  }
});

async function setUp(
  options: Parameters<typeof simulator>[0] = {},
  key?: string,
): Promise<{ sim: Simulator; client: TailscaleClient }> {
  const sim = await simulator(options);
  const client = clientFor(sim, key);
  open.push({ sim, client });
  return { sim, client };
}

const apply = (text: string, client: TailscaleClient, options: ApplyOptions = {}): Promise<ApplyReport> =>
  applyConfig(config(text), client, { ...QUICK, ...options });

/** The policy text from the first comment after the groups on: the part apply must never touch. */
const outsideGroups = (text: string): string => text.slice(text.indexOf('// Who may apply which tags.'));
const groupsOf = (sim: Simulator): Record<string, string[]> =>
  Object.fromEntries(readPolicyGroups(sim.state.policy.text).groups.map((g) => [g.name, g.members]));
const roleWrites = (sim: Simulator): string[] =>
  sim.requests.filter({ method: 'POST', path: /\/role$/ }).map((e) => e.path.split('/')[4] ?? '');

describe('applying the example file', () => {
  it('changes the role, writes only the groups with If-Match, and reports what it did', async () => {
    const { sim, client } = await setUp();
    const before = sim.state.policy.text;
    const report = await apply(EXAMPLE_CONFIG, client);

    expect(roles(sim)['bob@example.com']).toBe('admin');
    expect(groupsOf(sim)).toEqual({
      'group:eng': ['alice@example.com', 'bob@example.com'],
      'group:sre': ['alice@example.com', 'carol@example.com'],
    });
    expect(outsideGroups(sim.state.policy.text)).toBe(outsideGroups(before));
    expect(sim.state.policy.text).toContain('\t\t// on-call rota\n\t\t"group:sre"');

    const write = sim.requests.filter({ method: 'POST', path: '/api/v2/tailnet/-/acl' });
    expect(write).toHaveLength(1);
    expect(write[0]).toMatchObject({ status: 200, contentType: 'application/hujson', ifMatch: report.plan.policyEtag });
    expect(sim.requests.writes().map((e) => `${e.method} ${e.path}`)).toEqual([
      'POST /api/v2/users/100003/role',
      'POST /api/v2/tailnet/-/acl',
    ]);

    expect(report.converged).toBe(true);
    expect(report.applied.map((c) => c.type)).toEqual(['user.role', 'group.create', 'group.update', 'group.delete']);
    expect(report.failed).toEqual([]);
    expect(report.policy).toEqual({
      status: 'written',
      etagBefore: report.plan.policyEtag,
      etagAfter: sim.state.policy.etag,
      attempts: 1,
    });
  });

  it('makes zero writes the second time', async () => {
    const { sim, client } = await setUp();
    await apply(EXAMPLE_CONFIG, client);
    sim.requests.clear();
    const again = await apply(EXAMPLE_CONFIG, client);
    expect(sim.requests.countWrites()).toBe(0);
    expect(sim.requests.count({ path: /\/acl\/validate$/ })).toBe(0);
    expect(again).toMatchObject({ applied: [], failed: [], skipped: [], converged: true });
    expect(again.plan.changes).toEqual([]);
    expect(again.policy).toBeUndefined();
  });

  it(
    'never has fewer admins than at the start or the end: promotions, then sideways moves, then ' + 'demotions',
    async () => {
      const { sim, client } = await setUp();
      // erin: auditor -> member, alice: admin -> member (demotions, listed first in the plan's
      // alphabetical order); carol: network-admin -> it-admin (sideways); bob: member -> admin.
      const text = `version: 1
users:
  alice@example.com: member
  bob@example.com: admin
  carol@example.com: it-admin
  erin@example.com: member
  olivia@example.com: owner
`;
      const report = await apply(text, client, { concurrency: 4 });
      expect(report.converged).toBe(true);
      const order = roleWrites(sim);
      const at = (id: string): number => order.indexOf(id);
      expect(order).toHaveLength(4);
      expect(at('100003')).toBe(0); // bob's promotion first
      expect(at('100004')).toBe(1); // carol sideways
      expect(new Set(order.slice(2))).toEqual(new Set(['100002', '100006'])); // then the demotions
    },
  );

  it('keeps at most `concurrency` role changes in flight', async () => {
    const { sim, client } = await setUp({
      fixture: fixture((f) =>
        f.users.push(...Array.from({ length: 12 }, (_, i) => ({ loginName: `u${i}@example.com` }))),
      ),
      knobs: { latencyMs: 15 },
    });
    let inFlight = 0;
    let most = 0;
    const counting: TailscaleClient = {
      ...client,
      tailnet: client.tailnet,
      stats: client.stats,
      setUserRole: async (user, role) => {
        most = Math.max(most, ++inFlight);
        try {
          await client.setUserRole(user, role);
        } finally {
          inFlight--;
        }
      },
    };
    const users = Array.from({ length: 12 }, (_, i) => `  u${i}@example.com: auditor`).join('\n');
    const report = await applyConfig(config(`version: 1\nusers:\n${users}\n`), counting, { ...QUICK, concurrency: 3 });
    expect(report.applied).toHaveLength(12);
    expect(most).toBe(3);
    expect(sim.requests.countWrites()).toBe(12);
  });
});

describe("role changes follow the client's rate gate", () => {
  it('keeps as many role changes in flight as the client lets through, asking again as each starts', async () => {
    const { client } = await setUp({
      fixture: fixture((f) =>
        f.users.push(...Array.from({ length: 12 }, (_, i) => ({ loginName: `u${i}@example.com` }))),
      ),
    });
    let inFlight = 0;
    const most: number[] = [];
    let window = 1;
    const gated: TailscaleClient = {
      ...client,
      tailnet: client.tailnet,
      stats: client.stats,
      get concurrency() {
        return window;
      },
      setUserRole: async (user, role) => {
        most.push(++inFlight);
        try {
          await new Promise((resolve) => setTimeout(resolve, 5));
          await client.setUserRole(user, role);
        } finally {
          inFlight--;
          // The window grows by one after each of the first two answers, as the gate grows it.
          if (window < 3) window++;
        }
      },
    };
    const users = Array.from({ length: 12 }, (_, i) => `  u${i}@example.com: auditor`).join('\n');
    const report = await applyConfig(config(`version: 1\nusers:\n${users}\n`), gated, QUICK);
    expect(report.applied).toHaveLength(12);
    expect(most[0]).toBe(1);
    expect(Math.max(...most)).toBe(3);
  });
});

describe('the rails refuse before the first write', () => {
  async function refusal(
    text: string,
    options: ApplyOptions = {},
    setup: Parameters<typeof simulator>[0] = {},
    key?: string,
  ): Promise<{ error: ApplyRefusedError; sim: Simulator }> {
    const { sim, client } = await setUp(setup, key);
    const error = await apply(text, client, options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplyRefusedError);
    expect(error).toBeInstanceOf(RefusedError);
    expect(sim.requests.countWrites()).toBe(0);
    expect(sim.requests.count({ path: /\/acl\/validate$/ })).toBe(0);
    return { error: error as ApplyRefusedError, sim };
  }

  it('owner: a file that makes someone else owner', async () => {
    const { error } = await refusal(EXAMPLE_CONFIG.replace('olivia@example.com: owner', 'olivia@example.com: admin'));
    expect(error.rail).toBe('owner');
    expect(error.message).toContain(
      "tailnet-access.yaml:3:3: olivia@example.com is the tailnet owner; the owner's role is never changed",
    );
    expect(error.message.endsWith('\nNothing was written.')).toBe(true);
  });

  it('last-admin: demoting the only admin who can sign in', async () => {
    const setup = { fixture: fixture((f) => Object.assign(f.users[0] ?? {}, { status: 'suspended' })) };
    const { error } = await refusal('version: 1\nusers:\n  alice@example.com: member\n', {}, setup);
    expect(error.rail).toBe('last-admin');
    expect(error.message).toBe(
      'the plan would leave the tailnet without an active owner or admin: it demotes alice@example.com (admin -> ' +
        'member), and no other owner or admin can sign in (suspended users and users awaiting approval do not ' +
        'count). Edit the file to keep at least one active admin.\nNothing was written.',
    );
  });

  it("own-key: an API key changing its own user's role, found through the key's record", async () => {
    const { error, sim } = await refusal('version: 1\nusers:\n  alice@example.com: it-admin\n', {}, {}, ALICE_KEY);
    expect(error.rail).toBe('own-key');
    expect(error.message).toContain(
      "the API key in use belongs to alice@example.com, and the plan changes that user's role (admin -> it-admin)",
    );
    expect(sim.requests.filter({ path: '/api/v2/tailnet/-/keys/kSimAlice1CNTRL' }).map((e) => e.status)).toEqual([200]);
  });

  it('max-changes: a plan bigger than the file allows, unless --max-changes says otherwise', async () => {
    const small = EXAMPLE_CONFIG.replace('  unmanagedGroups: remove', '  unmanagedGroups: remove\n  maxChanges: 3');
    const { error } = await refusal(small);
    expect(error.rail).toBe('max-changes');
    expect(error.message).toContain(
      'the plan has 4 changes, more than the limit of 3 (settings.maxChanges at tailnet-access.yaml:14:3)',
    );
    expect(error.plan.changes).toHaveLength(4);

    const { client } = await setUp();
    expect((await apply(small, client, { maxChanges: 4 })).converged).toBe(true);
  });

  it('mass-demotion: more than half of the managed users, unless --force', async () => {
    const text =
      'version: 1\nusers:\n  olivia@example.com: owner\n  alice@example.com: member\n  carol@example.com: member\n';
    const { error } = await refusal(text);
    expect(error.rail).toBe('mass-demotion');
    expect(error.message).toContain(
      'demotes or removes from groups 2 of the 3 managed users (more than half): alice@example.com, carol@example.com.',
    );

    const { sim, client } = await setUp();
    expect((await apply(text, client, { force: true })).converged).toBe(true);
    expect(roles(sim)).toMatchObject({ 'alice@example.com': 'member', 'carol@example.com': 'member' });
  });
});

describe('when the own-key rail cannot be checked', () => {
  const setup = { knobs: { withheldScopes: ['api_access_tokens:read'] } };

  it('refuses a change to a user who could own the key, and with --force reports the API refusing it', async () => {
    const text = 'version: 1\nusers:\n  alice@example.com: auditor\n  bob@example.com: admin\n';
    const { sim, client } = await setUp(setup, ALICE_KEY);
    const error = await apply(text, client).catch((e: unknown) => e);
    expect(error).toMatchObject({ rail: 'own-key' });
    expect((error as Error).message).toContain(
      "could not tell which user the API key belongs to (reading the key's record GET " +
        '/api/v2/tailnet/-/keys/kSimAlice1CNTRL was answered 403',
    );
    expect(sim.requests.countWrites()).toBe(0);

    const forced = await apply(text, client, { force: true });
    expect(forced.applied.map((c) => c.type === 'user.role' && c.login)).toEqual(['bob@example.com']);
    expect(forced.failed).toEqual([
      {
        change: expect.objectContaining({ login: 'alice@example.com' }),
        error: expect.stringContaining("403 user-based access tokens cannot update their own user's role"),
      },
    ]);
    expect(forced.warnings.map((w) => w.code)).toContain('rail.own-key-unchecked');
    expect(forced.converged).toBe(false);
  });

  it('goes ahead, with a warning, when no change touches an admin', async () => {
    const { sim, client } = await setUp(setup, ALICE_KEY);
    const report = await apply('version: 1\nusers:\n  bob@example.com: auditor\n', client);
    expect(report.converged).toBe(true);
    expect(report.warnings).toEqual([expect.objectContaining({ code: 'rail.own-key-unchecked' })]);
    expect(roles(sim)['bob@example.com']).toBe('auditor');
  });
});

describe('partial failure', () => {
  const TWO_PROMOTIONS = EXAMPLE_CONFIG.replace('  carol@example.com: {}', '  carol@example.com: admin');

  it('a failed role change stops neither the others nor the policy write, and the report says why', async () => {
    const { sim, client } = await setUp({ knobs: { refuseRoleChangesOf: ['carol@example.com'] } });
    const report = await apply(TWO_PROMOTIONS, client);
    expect(report.converged).toBe(false);
    expect(report.applied.map((c) => ('login' in c ? c.login : c.group))).toEqual([
      'bob@example.com',
      'group:sre',
      'group:eng',
      'group:old',
    ]);
    expect(report.failed).toEqual([
      {
        change: expect.objectContaining({ login: 'carol@example.com', from: 'network-admin', to: 'admin' }),
        error: expect.stringMatching(
          /^change the role of carol@example\.com to admin \(POST \/api\/v2\/users\/100004\/role\): 403 calling actor does not have enough permissions/,
        ),
      },
    ]);
    expect(report.policy?.status).toBe('written');

    sim.setKnobs({ refuseRoleChangesOf: [] });
    sim.requests.clear();
    const rerun = await apply(TWO_PROMOTIONS, client);
    expect(rerun.converged).toBe(true);
    expect(rerun.applied).toEqual([expect.objectContaining({ login: 'carol@example.com' })]);
    expect(sim.requests.countWrites()).toBe(1);
  });

  it('reports a user deleted between the read and the write', async () => {
    const { sim, client } = await setUp();
    const deleteBob = (event: ApplyEvent): void => {
      if (event.type === 'planned')
        sim.state.users.replaceAll(sim.state.users.all().filter((u) => u.loginName !== 'bob@example.com'));
    };
    const report = await apply(EXAMPLE_CONFIG, client, { onProgress: deleteBob });
    expect(report.failed[0]?.error).toContain('no user with ID "100003" (deleted since it was listed?)');
    expect(report.converged).toBe(false);
  });

  it('does not make a demotion that, after a failed promotion, would leave no active admin', async () => {
    const setup = {
      fixture: fixture((f) => Object.assign(f.users[0] ?? {}, { status: 'suspended' })),
      knobs: { refuseRoleChangesOf: ['bob@example.com'] },
    };
    const { sim, client } = await setUp(setup);
    const report = await apply('version: 1\nusers:\n  alice@example.com: member\n  bob@example.com: admin\n', client);
    expect(report.failed.map((f) => f.change)).toEqual([expect.objectContaining({ login: 'bob@example.com' })]);
    expect(report.skipped).toEqual([
      { change: expect.objectContaining({ login: 'alice@example.com' }), reason: NO_ADMIN_LEFT },
    ]);
    expect(roles(sim)['alice@example.com']).toBe('admin');
    expect(roleWrites(sim)).toEqual(['100003']);
  });
});

describe('the policy write', () => {
  it(
    'writes nothing at all, no role either, when Tailscale validates the policy it would write as ' + 'invalid',
    async () => {
      const { sim, client } = await setUp();
      const before = sim.state.policy.etag;
      // alice's test in the policy needs group:eng to reach tag:prod; the plan also promotes bob.
      const error = await apply(
        EXAMPLE_CONFIG.replace('eng: [alice@example.com, bob@example.com]', 'eng: [bob@example.com]'),
        client,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplyRefusedError);
      expect(error).toMatchObject({ rail: 'validation' });
      expect((error as Error).message).toContain(
        "Tailscale's validator refuses the policy file this plan would write (the live policy with its groups " +
          'changed as planned): test(s) failed; alice@example.com: address "tag:prod:22": want: Accept, got: Drop; ' +
          'alice@example.com: address "tag:ci:443": want: Accept, got: Drop',
      );
      expect((error as Error).message).toMatch(
        /Apply changes nothing, no role and no invite either, .*\nNothing was written\.$/,
      );
      expect((error as ApplyRefusedError).plan.changes.map((c) => c.type)).toEqual([
        'user.role',
        'group.create',
        'group.update',
        'group.delete',
      ]);
      expect(sim.requests.countWrites()).toBe(0);
      expect(sim.state.policy.etag).toBe(before);
      expect(roles(sim)['bob@example.com']).toBe('member');
    },
  );

  it('validates the policy once, before the role changes, and writes it after them', async () => {
    const { sim, client } = await setUp();
    const report = await apply(EXAMPLE_CONFIG, client);
    expect(report.converged).toBe(true);
    const validated = sim.requests.filter({ method: 'POST', path: '/api/v2/tailnet/-/acl/validate' });
    expect(validated).toHaveLength(1);
    expect(sim.requests.writes().map((e) => `${e.method} ${e.path}`)).toEqual([
      'POST /api/v2/users/100003/role',
      'POST /api/v2/tailnet/-/acl',
    ]);
    expect(validated[0]?.seq).toBeLessThan(sim.requests.writes()[0]?.seq ?? 0);
  });

  it('says why when the write is refused after its role changes made a test in the policy fail', async () => {
    const { sim, client } = await setUp();
    // The policy's test wants carol (network-admin) to reach tag:monitoring through autogroup:network-admin.
    // Validated before the role change, the policy passes; once carol is an auditor, it fails.
    const report = await apply(EXAMPLE_CONFIG.replace('carol@example.com: {}', 'carol@example.com: auditor'), client);
    expect(roles(sim)['carol@example.com']).toBe('auditor');
    expect(report.policy).toMatchObject({ status: 'failed', attempts: 1 });
    expect(report.policy?.status === 'failed' && report.policy.error).toMatch(
      /^Tailscale refused the new policy file, so it was not written: .*\. It passed Tailscale's validation before this run changed roles, so a test in the policy most likely depends on a role this run changed/,
    );
    expect(report.converged).toBe(false);
  });

  it('after a 412, writes the groups into the fresh text, so an edit elsewhere survives', async () => {
    const edit = { find: '"grafana": "100.64.10.20"', replace: '"grafana": "100.64.10.99"' };
    const { sim, client } = await setUp({ knobs: { externalWriter: edit } });
    const report = await apply(EXAMPLE_CONFIG, client);
    expect(report.converged).toBe(true);
    expect(report.policy).toMatchObject({ status: 'written', attempts: 2 });
    expect(sim.requests.filter({ method: 'POST', path: '/api/v2/tailnet/-/acl' }).map((e) => e.status)).toEqual([
      412, 200,
    ]);
    expect(sim.state.policy.text).toContain('"grafana": "100.64.10.99"');
    expect(Object.keys(groupsOf(sim))).toEqual(['group:eng', 'group:sre']);
    expect(report.warnings).toEqual([]);
    expect(report.plan.policyEtag).not.toBe(report.policy?.etagBefore);
  });

  it('after a 412, reports an edit to a managed group, and the file wins', async () => {
    const edit = {
      find: '"dave@example.com", // on loan',
      replace: '"dave@example.com", "ivan@example.com", // on loan',
    };
    const { sim, client } = await setUp({ knobs: { externalWriter: edit } });
    const report = await apply(EXAMPLE_CONFIG, client);
    expect(report.converged).toBe(true);
    expect(report.warnings).toEqual([
      { code: 'group.edited-in-console', message: 'group:eng was edited in the console since the plan; the file wins' },
    ]);
    expect(groupsOf(sim)['group:eng']).toEqual(['alice@example.com', 'bob@example.com']);
    expect(report.plan.changes).toContainEqual({
      type: 'group.update',
      group: 'group:eng',
      add: ['bob@example.com'],
      remove: ['dave@example.com', 'ivan@example.com'],
    });
  });

  it('does not chase a role changed in the console while it ran, and says so', async () => {
    const { sim, client } = await setUp();
    const writer = (text: string): string => {
      sim.state.users.update('100009', { role: 'admin' });
      return text.replace('100.64.10.20', '100.64.10.21');
    };
    sim.setKnobs({ externalWriter: writer });
    const report = await apply(
      EXAMPLE_CONFIG.replace('  carol@example.com: {}', '  carol@example.com: {}\n  ivan@example.com: member'),
      client,
    );
    expect(report.policy?.status).toBe('written');
    expect(report.skipped).toEqual([
      {
        change: expect.objectContaining({ login: 'ivan@example.com', from: 'admin', to: 'member' }),
        reason: CHANGED_DURING_APPLY,
      },
    ]);
    expect(report.converged).toBe(false);
    expect(roles(sim)['ivan@example.com']).toBe('admin');
  });

  it('reports groups someone else already made match the file, without claiming the write', async () => {
    const wanted = [
      { name: 'group:eng', members: ['alice@example.com', 'bob@example.com'] },
      { name: 'group:sre', members: ['alice@example.com', 'carol@example.com'] },
    ];
    const { sim, client } = await setUp({
      knobs: { externalWriter: (text) => rewritePolicyGroups(text, wanted).replace('100.64.10.20', '100.64.10.21') },
    });
    const report = await apply(EXAMPLE_CONFIG, client);
    expect(report.policy).toMatchObject({ status: 'matched', attempts: 1, etagAfter: sim.state.policy.etag });
    expect(report.applied.map((c) => c.type)).toEqual(['user.role']);
    expect(report.warnings.map((w) => w.code)).toEqual(['policy.matched']);
    expect(report.converged).toBe(true);
    expect(sim.requests.filter({ method: 'POST', path: '/api/v2/tailnet/-/acl' }).map((e) => e.status)).toEqual([412]);
  });

  it('gives up after maxPolicyAttempts conflicts, having written nothing of its own to the policy', async () => {
    let n = 0;
    const writer = {
      edit: (text: string) => text.replace(/"grafana": "[^"]*"/, `"grafana": "100.64.10.${++n}"`),
      times: 10,
    };
    const { sim, client } = await setUp({ knobs: { externalWriter: writer } });
    const report = await apply(EXAMPLE_CONFIG, client, { maxPolicyAttempts: 3 });
    expect(report.policy).toMatchObject({ status: 'failed', attempts: 3 });
    expect(report.policy?.status === 'failed' && report.policy.error).toBe(
      'the policy file was changed by someone else 3 times while apply was writing it (412 each time); nothing ' +
        'was written. Run apply again once the edits stop.',
    );
    expect(sim.requests.filter({ method: 'POST', path: '/api/v2/tailnet/-/acl' }).map((e) => e.status)).toEqual([
      412, 412, 412,
    ]);
    expect(groupsOf(sim)['group:old']).toEqual(['erin@example.com']);
    expect(report.converged).toBe(false);
  });

  it('waits a jittered, growing delay between conflicts', async () => {
    let n = 0;
    const { client } = await setUp({
      knobs: { externalWriter: { edit: (text) => `${text}// edit ${++n}\n`, times: 2 } },
    });
    const waits: number[] = [];
    await apply(EXAMPLE_CONFIG, client, {
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
      conflictDelayMs: 100,
    });
    expect(waits).toEqual([50, 100]);
  });

  it('sees its own write on a re-read when the answer to it was lost', async () => {
    const { sim, client } = await setUp({
      knobs: { faultsAfterWrite: { rate: 1, seed: 1, kinds: ['reset'], methods: ['POST'] } },
    });
    const report = await apply(EXAMPLE_CONFIG, client);
    expect(report.converged).toBe(true);
    expect(report.policy).toMatchObject({ status: 'written', attempts: 1, etagAfter: sim.state.policy.etag });
    expect(report.applied).toHaveLength(4);
    expect(sim.requests.filter({ method: 'POST', path: '/api/v2/tailnet/-/acl' }).map((e) => e.status)).toEqual([
      0, 412,
    ]);
  });

  describe('when a write gets no answer even after the client retried', () => {
    const lost = new TailscaleNetworkError(
      { operation: 'write the policy file', method: 'POST', path: '/api/v2/tailnet/-/acl' },
      { host: '127.0.0.1', code: 'ECONNRESET', reason: 'the connection was reset (ECONNRESET)', attempts: 5 },
    );
    const withSetPolicy = (client: TailscaleClient, setPolicy: TailscaleClient['setPolicy']): TailscaleClient => ({
      ...client,
      tailnet: client.tailnet,
      stats: client.stats,
      setPolicy,
    });

    it('reads again, and reports the write when it was stored after all', async () => {
      const { sim, client } = await setUp();
      const storedThenLost = withSetPolicy(client, async (text, etag) => {
        await client.setPolicy(text, etag);
        throw lost;
      });
      const report = await applyConfig(config(EXAMPLE_CONFIG), storedThenLost, QUICK);
      expect(report.converged).toBe(true);
      expect(report.policy).toEqual({
        status: 'written',
        etagBefore: report.policy?.etagBefore,
        etagAfter: sim.state.policy.etag,
        attempts: 1,
      });
      expect(report.applied).toHaveLength(4);
    });

    it('reports the failure, and that the policy is unchanged, when it was not', async () => {
      const { sim, client } = await setUp();
      const before = sim.state.policy.text;
      const report = await applyConfig(
        config(EXAMPLE_CONFIG),
        withSetPolicy(client, () => Promise.reject(lost)),
        QUICK,
      );
      expect(sim.state.policy.text).toBe(before);
      expect(report.converged).toBe(false);
      expect(report.policy).toMatchObject({
        status: 'failed',
        error:
          'writing the policy file failed: write the policy file (POST /api/v2/tailnet/-/acl): no answer from ' +
          '127.0.0.1: the connection was reset (ECONNRESET) (5 attempts) — check the network, any proxy, and the ' +
          'base URL; a re-read shows it was not stored',
      });
      expect(report.failed.map((f) => f.change.type)).toEqual(['group.create', 'group.update', 'group.delete']);
    });
  });
});
