// src/plan/impact.ts: which groups a plan's impact is about, and which policy text it is found in.
import { describe, expect, it } from 'vitest';
import { changedGroups, impactSource, LIVE_POLICY, planImpact, withImpact } from '../src/plan/impact.js';
import type { Plan } from '../src/domain/plan.js';

const LIVE =
  '{"groups": {"group:eng": [], "group:old": []}, "acls": [{"action": "accept", "src": ["group:eng"], "dst": ' +
  '["*:22"]}], "tagOwners": {"tag:x": ["group:ops"]}}';
const DESIRED =
  '{\n  "groups": {"group:eng": []},\n  "acls": [\n    {"action": "accept", "src": ["group:new"], "dst": ' +
  '["*:80"]},\n  ],\n}\n';

function plan(changes: Plan['changes']): Plan {
  return { version: 1, tailnet: '-', policyEtag: '"e"', changes, warnings: [] };
}

const roleOnly = plan([
  { type: 'user.role', login: 'bob@example.com', userId: '1', from: 'member', to: 'admin', reason: 'declared' },
]);
const groups = plan([
  { type: 'user.role', login: 'bob@example.com', userId: '1', from: 'member', to: 'admin', reason: 'declared' },
  { type: 'group.update', group: 'group:eng', add: ['bob@example.com'], remove: [] },
  { type: 'group.create', group: 'group:new', members: ['bob@example.com'] },
  { type: 'group.delete', group: 'group:old', members: [] },
]);

describe('changedGroups', () => {
  it('names the groups created, updated and deleted, in the plan order, and no user', () => {
    expect(changedGroups(groups)).toEqual(['group:eng', 'group:new', 'group:old']);
    expect(changedGroups(roleOnly)).toEqual([]);
  });
});

describe('planImpact', () => {
  it('finds the changed groups only, in the text given, naming it', () => {
    expect(planImpact(groups, { text: LIVE, name: LIVE_POLICY })).toEqual({
      policy: 'the live policy',
      references: [
        {
          group: 'group:eng',
          section: 'acls',
          index: 0,
          line: 1,
          column: LIVE.indexOf('{"action"') + 1,
          rule: 'accept group:eng -> *:22',
          fields: ['src'],
        },
      ],
      unused: ['group:new', 'group:old'],
    });
  });

  it('is undefined for a plan that changes no group, and withImpact then leaves none behind', () => {
    expect(planImpact(roleOnly, { text: LIVE, name: LIVE_POLICY })).toBeUndefined();
    const stale = { ...roleOnly, impact: { policy: LIVE_POLICY, references: [], unused: ['group:x'] } };
    expect(withImpact(stale, { text: LIVE, name: LIVE_POLICY }).impact).toBeUndefined();
  });
});

describe('impactSource', () => {
  it('is the live policy without settings.policyFile, and the desired file with it', () => {
    expect(impactSource(LIVE)).toEqual({ text: LIVE, name: LIVE_POLICY });
    const source = impactSource(LIVE, { file: 'policy.hujson', desired: DESIRED });
    expect(source).toEqual({ text: DESIRED, name: 'policy.hujson' });
    const impact = withImpact(structuredClone(groups), source).impact;
    expect(impact?.references.map((r) => `${r.group} ${r.section}[${r.index}] line ${r.line}`)).toEqual([
      'group:new acls[0] line 4',
    ]);
    expect(impact?.unused).toEqual(['group:eng', 'group:old']);
  });
});

describe('withImpact on a policy it cannot read', () => {
  it('leaves the impact out with a warning that says where, and throws nothing', () => {
    const deep = `{\n  "acls": ${'['.repeat(600)}${']'.repeat(600)}\n}\n`;
    const out = withImpact(structuredClone(groups), { text: deep, name: LIVE_POLICY });
    expect(out.impact).toBeUndefined();
    expect(out.warnings).toEqual([
      {
        code: 'policy.impact-unread',
        message: expect.stringMatching(
          /^the live policy could not be read to find where the changed groups are used \(line 2, column \d+: nested too deeply: more than 500 levels of objects and lists\), so the plan does not say what they grant$/,
        ),
      },
    ]);
  });

  it('says nothing of a policy it cannot read when no group changes', () => {
    expect(withImpact(structuredClone(roleOnly), { text: '{', name: LIVE_POLICY }).warnings).toEqual([]);
  });
});
