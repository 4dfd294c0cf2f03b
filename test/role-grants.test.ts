// Role changes say what the role may do, so a promotion reads as a grant and a
// demotion as a loss.
import { describe, expect, it } from 'vitest';
import { ROLES } from '../src/domain/users.js';
import { describeRoleChange, ROLE_GRANTS } from '../src/render/role-grants.js';

describe('ROLE_GRANTS', () => {
  it('has one phrase for every role, each on one line and different from the others', () => {
    expect(Object.keys(ROLE_GRANTS).sort()).toEqual([...ROLES].sort());
    const phrases = Object.values(ROLE_GRANTS);
    expect(new Set(phrases).size).toBe(ROLES.length);
    for (const phrase of phrases) expect(phrase).toMatch(/^[^\n]{10,80}$/);
  });
});

describe('describeRoleChange', () => {
  it('reads a promotion as what is gained', () => {
    expect(describeRoleChange('member', 'admin')).toEqual({
      direction: 'grant',
      text: 'gains everything in the admin console but ownership, billing included',
    });
    expect(describeRoleChange('member', 'network-admin')).toEqual({
      direction: 'grant',
      text: 'gains the policy file, DNS and network settings (users and devices read-only)',
    });
    expect(describeRoleChange('auditor', 'admin').direction).toBe('grant');
    expect(describeRoleChange('admin', 'owner')).toEqual({
      direction: 'grant',
      text: 'gains everything, billing and transferring ownership included',
    });
  });

  it('reads a demotion as what is lost and what is left', () => {
    expect(describeRoleChange('it-admin', 'member')).toEqual({
      direction: 'loss',
      text:
        'loses users and devices (the policy file and network settings read-only); left with no admin rights, their ' +
        'own devices only',
    });
    expect(describeRoleChange('admin', 'billing-admin')).toEqual({
      direction: 'loss',
      text:
        'loses everything in the admin console but ownership, billing included; left with the pricing plan and ' +
        'billing',
    });
  });

  it('reads a move between roles of different powers as a loss and a gain', () => {
    expect(describeRoleChange('it-admin', 'network-admin')).toEqual({
      direction: 'lateral',
      text:
        'loses users and devices (the policy file and network settings read-only); gains the policy file, DNS and ' +
        'network settings (users and devices read-only)',
    });
    expect(describeRoleChange('auditor', 'billing-admin').direction).toBe('lateral');
  });

  it('says a role kept is kept', () => {
    expect(describeRoleChange('auditor', 'auditor')).toEqual({
      direction: 'none',
      text: 'keeps a read-only view of the whole admin console',
    });
  });

  it('is a grant one way exactly when it is a loss the other way', () => {
    for (const from of ROLES) {
      for (const to of ROLES) {
        const there = describeRoleChange(from, to).direction;
        const back = describeRoleChange(to, from).direction;
        const mirrored = { grant: 'loss', loss: 'grant', lateral: 'lateral', none: 'none' }[there];
        expect(`${from} -> ${to}: ${back}`).toBe(`${from} -> ${to}: ${mirrored}`);
      }
    }
  });
});
