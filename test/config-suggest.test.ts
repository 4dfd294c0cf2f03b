import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggest } from '../src/config/suggest.js';

const SETTINGS = [
  'unmanagedUsers',
  'unmanagedGroups',
  'maxChanges',
  'policyFile',
  'onManualEdits',
  'inviteMissingUsers',
];
const COMMANDS = ['plan', 'apply', 'drift', 'import', 'check', 'create-oauth-app', 'provision', 'render', 'simulate'];

describe('suggest', () => {
  it('finds a dropped, doubled, wrong or swapped letter', () => {
    expect(suggest('admn', ['owner', 'admin', 'member'])).toBe('admin');
    expect(suggest('unmanagedUser', SETTINGS)).toBe('unmanagedUsers');
    expect(suggest('memebrs', ['description', 'members'])).toBe('members');
    expect(suggest('aplly', COMMANDS)).toBe('apply');
    expect(suggest('maxchanges', SETTINGS)).toBe('maxChanges');
  });

  it('ignores case, so a capitalised value points at the right spelling', () => {
    expect(suggest('Admin', ['owner', 'admin'])).toBe('admin');
  });

  it('suggests nothing for words that are not near any candidate', () => {
    expect(suggest('superuser', ['owner', 'admin', 'member'])).toBeUndefined();
    expect(suggest('usr', ['users', 'groups'])).toBeUndefined();
    expect(suggest('deploy', COMMANDS)).toBeUndefined();
  });

  it('prefers the closest candidate, then the earlier one', () => {
    expect(suggest('chek', ['check', 'chef'])).toBe('check');
    expect(suggest('unmanagedGroup', SETTINGS)).toBe('unmanagedGroups');
  });

  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('members', 'memebrs')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('phrases the suggestion, or nothing', () => {
    expect(didYouMean('rol', ['role'])).toBe('; did you mean "role"?');
    expect(didYouMean('xyz', ['role'])).toBe('');
  });
});
