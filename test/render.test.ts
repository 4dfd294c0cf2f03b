import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../src/domain/users.js';
import { renderPlanJson } from '../src/render/plan-json.js';
import { renderPlanText } from '../src/render/plan-text.js';
import type { Plan } from '../src/domain/plan.js';
import { bigPlan, emptyPlan, representativePlan } from './render-plans.js';

const schema = JSON.parse(readFileSync(new URL('../schema/plan.schema.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

function schemaErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('renderPlanText', () => {
  it('lays a plan out by section, aligned, with warnings and a summary', () => {
    expect(renderPlanText(representativePlan(), { color: false })).toBe(
      [
        'Tailnet: -, policy ETag: e0b2c3d4e5f6…',
        '',
        'Users:',
        '  ~ bob@example.com         member -> admin',
        '      + gains everything in the admin console but ownership, billing included',
        '  ~ frank.long@example.com  admin  -> member  (not in the file)',
        '      - loses everything in the admin console but ownership, billing included; left with no admin ' +
          'rights, their own devices only',
        '',
        'Groups:',
        '  + group:sre  (alice@example.com, carol@example.com)',
        '  ~ group:eng',
        '      + bob@example.com',
        '      - dave@example.com',
        '  - group:old  (erin@example.com)',
        '',
        'What these groups grant (lines of the live policy):',
        '  group:sre is used nowhere in the policy',
        '  group:eng → tagOwners["tag:server"] line 9: tag:server owned by group:eng',
        '  group:eng → acls[0] line 16: accept group:eng -> tag:server:22',
        '  group:old → ssh[1] line 30: accept group:old -> tag:legacy as root',
        '',
        'Warnings:',
        '  ! tailnet-access.yaml:7:3: grace@example.com has not signed in to the tailnet yet',
        '  ! heidi@example.com is in the tailnet but not in the file',
        '',
        'Plan: 2 role changes, 1 group to create, 1 to update, 1 to delete.',
        '',
      ].join('\n'),
    );
  });

  it('says there is nothing to do, naming the config file', () => {
    expect(renderPlanText(emptyPlan(), { color: false, configPath: 'infra/tailnet.yaml' })).toBe(
      'Tailnet: example.com, policy ETag: e0b2c3d4e5f6…\n\nNo changes. The tailnet matches infra/tailnet.yaml.\n',
    );
    expect(renderPlanText(emptyPlan(), { color: false })).toContain('The tailnet matches tailnet-access.yaml.');
  });

  it('names the group noun once, with whichever group count comes first', () => {
    const plan = representativePlan();
    plan.changes = plan.changes.filter((c) => c.type === 'group.update' || c.type === 'group.delete');
    expect(renderPlanText(plan, { color: false })).toMatch(/^Plan: 1 group to update, 1 to delete\.$/m);
  });

  it('colours the marks only when asked, and the colours are the only difference', () => {
    const plain = renderPlanText(representativePlan(), { color: false });
    const coloured = renderPlanText(representativePlan(), { color: true });
    expect(plain).not.toContain('\x1b[');
    expect(coloured).toContain('\x1b[32m+\x1b[0m group:sre');
    expect(coloured).toContain('\x1b[33m~\x1b[0m bob@example.com');
    expect(coloured).toContain('\x1b[31m-\x1b[0m dave@example.com');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('keeps a hostile name on its own line and without terminal escapes', () => {
    const plan = representativePlan();
    plan.changes[0] = {
      ...representativePlan().changes[0],
      login: 'mallory\n  + group:admins\x1b[2J\u202e',
    } as Plan['changes'][number];
    const text = renderPlanText(plan, { color: false });
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\u202e');
    expect(text.split('\n')).toHaveLength(renderPlanText(representativePlan(), { color: false }).split('\n').length);
    expect(text).toContain('mallory\\u{000a}  + group:admins\\u{001b}[2J\\u{202e}');
  });
});

describe('renderPlanJson and schema/plan.schema.json', () => {
  it('writes the contract key order with 2-space indent and a final newline', () => {
    const plan = representativePlan();
    // Assembled in another order, with a property the contract does not have.
    plan.changes[0] = {
      reason: 'declared',
      to: 'admin',
      from: 'member',
      userId: '123',
      login: 'bob@example.com',
      type: 'user.role',
    };
    Object.assign(plan.changes[2] as object, { at: { line: 3 } });
    const json = renderPlanJson(plan);
    expect(json.endsWith('}\n')).toBe(true);
    expect(json).toContain(
      '\n  "changes": [\n    {\n      "type": "user.role",\n      "login": "bob@example.com",\n      "userId": "123",',
    );
    expect(json).not.toContain('"at"');
    const parsed = JSON.parse(json) as Plan;
    expect(Object.keys(parsed)).toEqual([
      'version',
      'tailnet',
      'policyEtag',
      'changes',
      'warnings',
      'impact',
      'unusedGroups',
    ]);
    expect(parsed.changes.map((c) => Object.keys(c))).toEqual([
      ['type', 'login', 'userId', 'from', 'to', 'reason'],
      ['type', 'login', 'userId', 'from', 'to', 'reason'],
      ['type', 'group', 'members'],
      ['type', 'group', 'add', 'remove'],
      ['type', 'group', 'members'],
    ]);
    expect(parsed.warnings.map((w) => Object.keys(w))).toEqual([
      ['code', 'message', 'path'],
      ['code', 'message'],
    ]);
  });

  it('validates every plan it writes against the schema', () => {
    for (const plan of [representativePlan(), emptyPlan(), bigPlan(2_000)]) {
      expect(schemaErrors(JSON.parse(renderPlanJson(plan)))).toEqual([]);
    }
  });

  it('refuses plans that break the contract', () => {
    const good = JSON.parse(renderPlanJson(representativePlan())) as Record<string, unknown> & {
      changes: Record<string, unknown>[];
    };
    const broken = (edit: (p: typeof good) => void): unknown => {
      const copy = structuredClone(good);
      edit(copy);
      return copy;
    };
    expect(schemaErrors(broken((p) => (p.version = 2)))).not.toEqual([]);
    expect(schemaErrors(broken((p) => (p.extra = true)))).not.toEqual([]);
    expect(schemaErrors(broken((p) => delete p.policyEtag))).not.toEqual([]);
    expect(schemaErrors(broken((p) => delete p.changes[0]?.reason))).not.toEqual([]);
    expect(schemaErrors(broken((p) => Object.assign(p.changes[0] ?? {}, { to: 'superuser' })))).not.toEqual([]);
    expect(schemaErrors(broken((p) => Object.assign(p.changes[0] ?? {}, { reason: 'removed' })))).not.toEqual([]);
    expect(schemaErrors(broken((p) => Object.assign(p.changes[2] ?? {}, { group: 'sre' })))).not.toEqual([]);
    expect(schemaErrors(broken((p) => Object.assign(p.changes[3] ?? {}, { add: [], remove: [] })))).not.toEqual([]);
    expect(schemaErrors(broken((p) => Object.assign(p.changes[4] ?? {}, { type: 'group.rename' })))).not.toEqual([]);
    expect(schemaErrors(broken((p) => Object.assign(p.changes[4] ?? {}, { add: ['x@example.com'] })))).not.toEqual([]);
    expect(schemaErrors(broken((p) => (p.warnings = [{ message: 'no code' }])))).not.toEqual([]);
  });

  it('knows the same roles as the config', () => {
    const defs = schema.$defs as { role: { enum: string[] } };
    expect(defs.role.enum).toEqual([...ROLES]);
  });
});
