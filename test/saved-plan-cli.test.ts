// Saved plans end to end: `plan --save-plan FILE`, then `apply --plan FILE`,
// in-process through runCli against the simulator, with console edits made through its API between
// the two. Whatever is refused writes nothing: the simulator's write log and state say so.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeDifferences, compareVersions } from '../src/plan/saved-plan.js';
import type { Change, UserRoleChange } from '../src/domain/plan.js';
import type { Knobs, Simulator } from '../src/simulator/index.js';
import { VERSION } from '../src/version.js';
import { DEFAULT_POLICY } from '../src/simulator/index.js';
import { EXAMPLE_CONFIG, OWNER_KEY, roles, simulator } from './apply-helpers.js';
import { cli as runInProcess, type CliResult } from './import-helpers.js';

// The example (bob promoted, group:sre created, group:eng changed, group:old deleted), and dave, whom
// someone made an it-admin in the console, back to member.
const CONFIG = EXAMPLE_CONFIG.replace(
  '  carol@example.com: {}\n',
  '  carol@example.com: {}\n  dave@example.com: member\n',
);
const DAVE = '100005';
const ALICE = '100002';

const schema = (name: string): object =>
  JSON.parse(readFileSync(new URL(`../schema/${name}`, import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
ajv.addSchema(schema('plan.schema.json'), 'plan.schema.json');
const validateSaved = ajv.compile(schema('saved-plan.schema.json'));

let sim: Simulator;
let running = false;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-saved-plan-'));
});
afterEach(async () => {
  if (running) await sim.close();
  running = false;
  await rm(dir, { recursive: true, force: true });
});

async function start(knobs: Partial<Knobs> = {}): Promise<void> {
  sim = await simulator({ knobs });
  running = true;
  await writeFile(path.join(dir, 'tailnet-access.yaml'), CONFIG);
  await api('POST', `/users/${DAVE}/role`, { role: 'it-admin' });
  sim.requests.clear();
}

/** The simulator's API as the admin console would use it. */
async function api(
  method: string,
  route: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const response = await fetch(`${sim.apiBase}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${OWNER_KEY}`,
      'content-type': typeof body === 'string' ? 'application/hujson' : 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${route}: ${response.status}`).toBe(true);
  return response;
}

async function cli(...argv: string[]): Promise<CliResult> {
  const result = await runInProcess(argv, { TAILSCALE_API_KEY: OWNER_KEY, TAILSCALE_BASE_URL: sim.url }, dir);
  expect(result.stdout + result.stderr).not.toContain(OWNER_KEY);
  return result;
}

async function savedFile(name = 'plan.json'): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(dir, name), 'utf8')) as Record<string, unknown>;
}

async function editSaved(change: (saved: Record<string, unknown>) => void): Promise<void> {
  const saved = await savedFile();
  change(saved);
  await writeFile(path.join(dir, 'plan.json'), JSON.stringify(saved, null, 2));
}

/** What the tailnet holds: roles, and the policy text with its ETag. */
function snapshot(): { roles: Record<string, string>; policy: string; etag: string } {
  return { roles: roles(sim), policy: sim.state.policy.text, etag: sim.state.policy.etag };
}

async function save(): Promise<void> {
  const planned = await cli('plan', '--save-plan', 'plan.json');
  expect(planned.code, planned.stderr).toBe(0);
  expect(planned.stderr).toContain(
    'Saved the plan to plan.json; apply exactly this plan with: tailnet-access apply --plan plan.json',
  );
  expect(sim.requests.countWrites()).toBe(0);
}

describe('plan --save-plan FILE', () => {
  it('writes the plan JSON with its basis and no secret', async () => {
    await start();
    await save();
    const text = await readFile(path.join(dir, 'plan.json'), 'utf8');
    const saved = JSON.parse(text) as {
      basis: Record<string, string>;
      plannedAt: string;
      plan: { changes: unknown[] };
    };
    const json = await cli('plan', '--format', 'json');
    expect(validateSaved(saved), JSON.stringify(validateSaved.errors)).toBe(true);
    expect(saved).toMatchObject({
      kind: 'tailnet-access saved plan',
      format: 1,
      toolVersion: VERSION,
      tailnet: '-',
      plan: JSON.parse(json.stdout),
    });
    expect(saved.basis.policyEtag).toBe(sim.state.policy.etag);
    expect(saved.basis.configFile).toBe('tailnet-access.yaml');
    expect(saved.basis.configDigest).toBe(`sha256:${createHash('sha256').update(CONFIG).digest('hex')}`);
    expect(saved.basis.usersDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Math.abs(Date.parse(saved.plannedAt) - Date.now())).toBeLessThan(60_000);
    expect(saved.plan.changes).toContainEqual({
      type: 'user.role',
      login: 'dave@example.com',
      userId: DAVE,
      from: 'it-admin',
      to: 'member',
      reason: 'declared',
    });
    // No credential, and not the base URL either (one may carry a user and password).
    expect(text).not.toContain(OWNER_KEY);
    expect(text).not.toContain('kSimOwner1CNTRL');
    expect(text).not.toContain(sim.url);
  });

  it('records the moment planned for: --now', async () => {
    await start();
    expect((await cli('plan', '--save-plan', 'plan.json', '--now', '2026-06-01')).code).toBe(0);
    expect((await savedFile()).plannedAt).toBe('2026-06-01T00:00:00.000Z');
  });

  it('will not write over the config file, nor the --out file', async () => {
    await start();
    const onto = await cli('plan', '--save-plan', 'tailnet-access.yaml');
    expect(onto.code).toBe(1);
    expect(onto.stderr).toBe(
      'error: --save-plan tailnet-access.yaml is the config file tailnet-access.yaml; give --save-plan another file\n',
    );
    expect(await readFile(path.join(dir, 'tailnet-access.yaml'), 'utf8')).toBe(CONFIG);
    const out = await cli('plan', '--save-plan', 'p.json', '--out', 'p.json');
    expect(out.stderr).toBe('error: --save-plan p.json is the --out file p.json; give --save-plan another file\n');
    const missing = await cli('plan', '--save-plan', 'nowhere/plan.json');
    expect(missing.stderr).toBe(
      'error: --save-plan nowhere/plan.json: the folder nowhere does not exist; create it first, or give another ' +
        'path\n',
    );
    expect(sim.requests.entries).toEqual([]);
  });

  it('is not a flag of drift', async () => {
    await start();
    const run = await cli('drift', '--save-plan', 'plan.json');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: drift: unknown flag --save-plan; it is a flag of plan, not of drift\n');
  });
});

describe('apply --plan FILE', () => {
  it('applies a plan nothing has changed since, exactly as saved', async () => {
    await start();
    await save();
    const run = await cli('apply', '--plan', 'plan.json', '--format', 'json');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { applied: unknown[]; converged: boolean };
    expect(report.converged).toBe(true);
    expect(report.applied).toEqual(
      (await savedFile()).plan && ((await savedFile()).plan as { changes: unknown[] }).changes,
    );
    expect(roles(sim)).toMatchObject({ 'bob@example.com': 'admin', 'dave@example.com': 'member' });
    expect(sim.state.policy.text).toContain('"group:sre"');
    // Applied once: again, it finds nothing to do and says why it refuses.
    sim.requests.clear();
    const again = await cli('apply', '--plan', 'plan.json');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'and a fresh plan has no changes: the tailnet already matches the file (was this plan applied already?):\n',
    );
    expect(again.stderr).toMatch(
      /\n {2}bob@example\.com: member -> admin is no longer needed: changed in the console since the plan\n/,
    );
    expect(again.stderr).not.toContain('Review a fresh plan');
    expect(sim.requests.countWrites()).toBe(0);
  });

  it('applies a saved plan whose changes end (until), with its end dates kept', async () => {
    await start();
    const ending = CONFIG.replace(
      '  bob@example.com: admin\n',
      '  bob@example.com: { role: admin, until: 2099-12-31 }\n',
    ).replace(
      'members: [alice@example.com, carol@example.com]',
      'members: [alice@example.com, { login: carol@example.com, until: "2099-06-30T18:00:00Z" }]',
    );
    await writeFile(path.join(dir, 'tailnet-access.yaml'), ending);
    await save();
    const changes = ((await savedFile()).plan as { changes: { type: string; until?: unknown }[] }).changes;
    expect(changes.find((c) => c.type === 'user.role')?.until).toBe('2099-12-31');
    expect(changes.find((c) => c.type === 'group.create')?.until).toEqual({
      'carol@example.com': '2099-06-30T18:00:00Z',
    });
    const run = await cli('apply', '--plan', 'plan.json');
    expect(run.code, run.stderr).toBe(0);
    expect(roles(sim)['bob@example.com']).toBe('admin');
    expect(sim.state.policy.text).toContain('"group:sre"');
  });

  it('refuses when a console edit changed the plan: names each difference, writes nothing', async () => {
    await start();
    await save();
    // In the console: dave is made a member (his change is no longer needed), alice a member (a new change).
    await api('POST', `/users/${DAVE}/role`, { role: 'member' });
    await api('POST', `/users/${ALICE}/role`, { role: 'member' });
    const before = snapshot();
    sim.requests.clear();
    const run = await cli('apply', '--plan', 'plan.json');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'refused by the saved-plan safety rail: the tailnet changed since plan.json was planned at ',
    );
    expect(run.stderr).toContain('(the users changed), and a fresh plan differs from it:\n');
    expect(run.stderr).toContain(
      '  dave@example.com: it-admin -> member is no longer needed: changed in the console since the plan\n',
    );
    expect(run.stderr).toContain('  alice@example.com: member -> admin was not in the saved plan\n');
    expect(run.stderr).toContain(
      'Review a fresh plan (tailnet-access plan --save-plan plan.json), then apply that one.\nNothing was written.\n',
    );
    // The fresh plan is on standard output, said to be refused.
    expect(run.stdout).toContain('~ alice@example.com  member -> admin');
    expect(run.stdout).toContain('Not applied: refused for the reason below; nothing was written.');
    expect(sim.requests.countWrites()).toBe(0);
    expect(snapshot()).toEqual(before);
  });

  it('refuses when a group change moved in the console, naming the group', async () => {
    await start();
    await save();
    const edited = sim.state.policy.text.replace(
      '"dave@example.com", // on loan from support until Q3',
      '"ivan@example.com",',
    );
    await api('POST', '/tailnet/-/acl', edited, { 'if-match': sim.state.policy.etag });
    const before = snapshot();
    sim.requests.clear();
    const run = await cli('apply', '--plan', 'plan.json');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(the policy changed)');
    expect(run.stderr).toContain(
      '  group:eng: add bob@example.com; remove dave@example.com in the saved plan is now add bob@example.com; ' +
        'remove ivan@example.com: changed in the console since the plan\n',
    );
    expect(sim.requests.countWrites()).toBe(0);
    expect(snapshot()).toEqual(before);
  });

  it('applies after a console edit elsewhere in the policy: the ETag moved, the plan did not', async () => {
    await start();
    await save();
    const edited = sim.state.policy.text.replace('"grafana": "100.64.10.20"', '"grafana": "100.64.10.99"');
    await api('POST', '/tailnet/-/acl', edited, { 'if-match': sim.state.policy.etag });
    expect(sim.state.policy.etag).not.toBe(
      (await savedFile()).basis && ((await savedFile()).basis as { policyEtag: string }).policyEtag,
    );
    const run = await cli('apply', '--plan', 'plan.json');
    expect(run.code, run.stderr).toBe(0);
    expect(roles(sim)['dave@example.com']).toBe('member');
    // The console edit survives; the groups are the file's.
    expect(sim.state.policy.text).toContain('"grafana": "100.64.10.99"');
    expect(sim.state.policy.text).toContain('"group:sre"');
  });

  it('writes no policy when a read after a 412 shows other group changes than the saved ones', async () => {
    // Between apply's read and its policy write, someone puts bob into group:eng in the console.
    await start();
    await save();
    sim.setKnobs({
      externalWriter: {
        find: '"dave@example.com", // on loan from support until Q3',
        replace: '"dave@example.com", "bob@example.com",',
      },
    });
    const run = await cli('apply', '--plan', 'plan.json');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'refused by the saved-plan safety rail after reading the policy again: its group changes are no longer ' +
        'those of plan.json: group:eng: add bob@example.com; remove dave@example.com in the saved plan is now ' +
        'remove dave@example.com',
    );
    expect(sim.state.policy.text).not.toContain('"group:sre"');
    expect(sim.requests.writes().filter((w) => w.path.endsWith('/acl') && w.applied)).toEqual([]);
  });

  it('refuses a plan made for another config, before reading the tailnet', async () => {
    await start();
    await save();
    await writeFile(path.join(dir, 'tailnet-access.yaml'), `${CONFIG}# reviewed\n`);
    const run = await cli('apply', '--plan', 'plan.json');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^refused by the saved-plan safety rail: plan\.json was made for another config: it planned tailnet-access\.yaml \(sha256 [0-9a-f]{12}…\), and tailnet-access\.yaml is not that file \(sha256 [0-9a-f]{12}…\)\. Make the plan again \(tailnet-access plan --save-plan plan\.json\) and review it\. Nothing was written\.\n$/,
    );
    expect(sim.requests.countWrites()).toBe(0);
  });

  it('refuses a plan made for another tailnet: by the name asked, and by the ID read', async () => {
    await start();
    await save();
    await editSaved((saved) => {
      saved.tailnet = 'example.com';
    });
    const byName = await cli('apply', '--plan', 'plan.json', '--tailnet', 'other.example');
    expect(byName.code).toBe(1);
    expect(byName.stderr).toBe(
      'refused by the saved-plan safety rail: plan.json was made for another tailnet: example.com, and this apply ' +
        'is for other.example (--tailnet). Make the plan again (tailnet-access plan --save-plan plan.json) and ' +
        'review it. Nothing was written.\n',
    );
    expect(sim.requests.countWrites()).toBe(0);
    await editSaved((saved) => {
      saved.tailnet = '-';
      saved.tailnetId = 'T0THERCNTRL';
    });
    const byId = await cli('apply', '--plan', 'plan.json');
    expect(byId.code).toBe(1);
    expect(byId.stderr).toMatch(
      /^refused by the saved-plan safety rail: plan\.json was made for another tailnet: - \(ID T0THERCNTRL\), and this apply reads - \(ID [^)]+\)\.\nNothing was written\.\n$/,
    );
    expect(sim.requests.countWrites()).toBe(0);
  });

  it('refuses a plan made by a newer tailnet-access, or in a newer format; an older one applies', async () => {
    await start();
    await save();
    await editSaved((saved) => {
      saved.toolVersion = '99.0.0';
    });
    sim.requests.clear();
    const newer = await cli('apply', '--plan', 'plan.json');
    expect(newer.code).toBe(1);
    expect(newer.stderr).toBe(
      `refused by the saved-plan safety rail: plan.json was made by a newer version of tailnet-access (99.0.0) ` +
        `than this one (${VERSION}), which may plan differently. Apply it with tailnet-access 99.0.0 or newer, or ` +
        `make the plan again with this one. Nothing was written.\n`,
    );
    expect(sim.requests.entries).toEqual([]);
    await editSaved((saved) => {
      saved.toolVersion = VERSION;
      saved.format = 2;
    });
    const format = await cli('apply', '--plan', 'plan.json');
    expect(format.stderr).toBe(
      `refused by the saved-plan safety rail: plan.json is a saved plan of format 2, made by tailnet-access ` +
        `${VERSION}; this tailnet-access (${VERSION}) reads format 1 only. Apply it with tailnet-access ${VERSION} ` +
        `or newer. Nothing was written.\n`,
    );
    expect(sim.requests.entries).toEqual([]);
    await editSaved((saved) => {
      saved.toolVersion = '0.0.1';
      saved.format = 1;
    });
    expect((await cli('apply', '--plan', 'plan.json')).code).toBe(0);
  });

  it('names the file, and the line and column, of a malformed plan', async () => {
    await start();
    await save();
    const text = await readFile(path.join(dir, 'plan.json'), 'utf8');
    await writeFile(path.join(dir, 'plan.json'), text.replace('"format": 1,', '"format": 1'));
    const broken = await cli('apply', '--plan', 'plan.json');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe(
      'error: plan.json:4:3: expected \',\' between values, found "\\"toolVersion\\""; the saved plan is not ' +
        'valid JSON (make it again with tailnet-access plan --save-plan plan.json)\n',
    );
    await writeFile(path.join(dir, 'plan.json'), text.slice(0, text.indexOf('"basis"')));
    expect((await cli('apply', '--plan', 'plan.json')).stderr).toMatch(
      /^error: plan\.json:\d+:\d+: .*found the end of the file; the saved plan is not valid JSON/,
    );
    await writeFile(path.join(dir, 'plan.json'), (await cli('plan', '--format', 'json')).stdout);
    expect((await cli('apply', '--plan', 'plan.json')).stderr).toBe(
      'error: plan.json: it is not a saved plan of tailnet-access (make one with tailnet-access plan --save-plan ' +
        'FILE; the output of plan --format json is not one)\n',
    );
    await writeFile(path.join(dir, 'plan.json'), text.replace('"to": "member"', '"to": "boss"'));
    expect((await cli('apply', '--plan', 'plan.json')).stderr).toMatch(
      /^error: plan\.json: plan\.changes\[\d+\]\.to: expected one of owner, admin, .*, found "boss"; the saved plan is damaged/,
    );
    await rm(path.join(dir, 'plan.json'));
    sim.requests.clear();
    expect((await cli('apply', '--plan', 'plan.json')).stderr).toBe(
      'error: --plan: plan.json does not exist; save one with tailnet-access plan --save-plan FILE\n',
    );
    expect(sim.requests.entries).toEqual([]);
  });
});

describe('saved plans under settings.policyFile', () => {
  // A rule widened in git, and bob promoted.
  const WIDER = DEFAULT_POLICY.replace('"dst": ["tag:prod:22,443"]', '"dst": ["tag:prod:22,443,8443"]');
  const POLICY_CONFIG =
    'version: 1\nusers:\n  bob@example.com: admin\ngroups:\n  eng: [alice@example.com, ' +
    'dave@example.com]\nsettings:\n  policyFile: policy.hujson\n';

  async function startWithPolicyFile(): Promise<void> {
    sim = await simulator();
    running = true;
    await writeFile(path.join(dir, 'tailnet-access.yaml'), POLICY_CONFIG);
    await writeFile(path.join(dir, 'policy.hujson'), WIDER);
  }

  it('records the policy file, and applies the saved plan unchanged', async () => {
    await startWithPolicyFile();
    await save();
    const saved = (await savedFile()) as {
      basis: { policyFile: { file: string; digest: string } };
      plan: { policyFile: { changed: boolean } };
    };
    expect(saved.basis.policyFile.file).toBe('policy.hujson');
    const onto = await cli('plan', '--save-plan', 'policy.hujson');
    expect(onto.stderr).toBe(
      'error: --save-plan policy.hujson is the policy file policy.hujson; give --save-plan another file\n',
    );
    expect(await readFile(path.join(dir, 'policy.hujson'), 'utf8')).toBe(WIDER);
    expect(saved.basis.policyFile.digest).toBe(`sha256:${createHash('sha256').update(WIDER).digest('hex')}`);
    expect(saved.plan.policyFile.changed).toBe(true);
    expect(validateSaved(saved), JSON.stringify(validateSaved.errors)).toBe(true);
    const run = await cli('apply', '--plan', 'plan.json');
    expect(run.code, run.stderr).toBe(0);
    expect(sim.state.policy.text).toBe(WIDER);
    expect(roles(sim)['bob@example.com']).toBe('admin');
  });

  it('refuses when the policy file in git changed since the plan', async () => {
    await startWithPolicyFile();
    await save();
    await writeFile(path.join(dir, 'policy.hujson'), WIDER.replace('tag:prod:22,443,8443', 'tag:prod:22,443,9443'));
    sim.requests.clear();
    const run = await cli('apply', '--plan', 'plan.json');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'refused by the saved-plan safety rail: plan.json was made for another policy file: policy.hujson changed ' +
        'since the plan. Make the plan again (tailnet-access plan --save-plan plan.json) and review it. Nothing was ' +
        'written.\n',
    );
    expect(sim.requests.countWrites()).toBe(0);
  });

  it(
    'refuses when the live policy was edited since the plan: the whole-file write would undo an edit nobody ' +
      'reviewed',
    async () => {
      await startWithPolicyFile();
      await save();
      const edited = sim.state.policy.text.replace('"grafana": "100.64.10.20"', '"grafana": "100.64.10.99"');
      await api('POST', '/tailnet/-/acl', edited, { 'if-match': sim.state.policy.etag });
      const before = snapshot();
      sim.requests.clear();
      const run = await cli('apply', '--plan', 'plan.json');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        "  policy.hujson: the policy write differs from the saved plan's (the live policy was edited since the " +
          'plan; the fresh plan shows the write as it would be now)\n',
      );
      expect(sim.requests.countWrites()).toBe(0);
      expect(snapshot()).toEqual(before);
    },
  );
});

describe('a plan that cannot be carried out', () => {
  it('is not saved', async () => {
    sim = await simulator();
    running = true;
    // olivia is the owner; the file says carol is.
    await writeFile(path.join(dir, 'tailnet-access.yaml'), 'version: 1\nusers:\n  carol@example.com: owner\n');
    const run = await cli('plan', '--save-plan', 'plan.json');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The plan was not saved to plan.json: it cannot be carried out (see below).\n');
    await expect(readFile(path.join(dir, 'plan.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('changeDifferences', () => {
  const role: UserRoleChange = {
    type: 'user.role',
    login: 'dave@example.com',
    userId: '5',
    from: 'it-admin',
    to: 'member',
    reason: 'declared',
  };
  it('is empty for the same changes in another order', () => {
    const group: Change = { type: 'group.delete', group: 'group:old', members: ['erin@example.com'] };
    expect(changeDifferences([role, group], [group, role])).toEqual([]);
  });
  it('says a change moved, and a new one that an end date caused', () => {
    expect(changeDifferences([role], [{ ...role, from: 'auditor' }])).toEqual([
      'dave@example.com: it-admin -> member in the saved plan is now auditor -> member: changed in the console ' +
        'since the plan',
    ]);
    expect(changeDifferences([], [{ ...role, reason: 'expired' }])).toEqual([
      'dave@example.com: it-admin -> member was not in the saved plan (an end date in the file has passed since ' +
        'the plan)',
    ]);
  });
});

describe('compareVersions', () => {
  it('orders releases and pre-releases as semantic versions do', () => {
    expect(compareVersions('0.10.0', '0.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBeLessThan(0);
    expect(compareVersions('1.0.0-rc.2', '1.0.0-rc.10')).toBeLessThan(0);
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
  });
});
