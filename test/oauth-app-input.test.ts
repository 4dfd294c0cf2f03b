// The OAuth app settings, checked as the API checks them, and the comparison with an existing app.
import { describe, expect, it } from 'vitest';
import { compareOAuthApp, formatDifferences, replacementFor } from '../src/oauth/app-compare.js';
import { OAuthAppInputError, splitList, validateOAuthAppInput, type OAuthAppDraft } from '../src/oauth/app-input.js';
import type { OAuthApp } from '../src/tailscale/types.js';

const GOOD: OAuthAppDraft = { name: 'device-provisioner', redirectURIs: ['https://tool.example.com/callback'] };

function problemsOf(draft: OAuthAppDraft): readonly string[] {
  try {
    validateOAuthAppInput(draft);
  } catch (error) {
    if (error instanceof OAuthAppInputError) return error.problems;
    throw error;
  }
  return [];
}

describe('validateOAuthAppInput', () => {
  it('fills in the device-provisioning scope and no attributes when none are given', () => {
    expect(validateOAuthAppInput(GOOD)).toEqual({
      ...GOOD,
      scopes: ['auth_keys:create:once'],
      allowedNodeAttributes: [],
    });
  });

  it('refuses each rule the API enforces, naming the value', () => {
    const cases: [Partial<OAuthAppDraft>, RegExp][] = [
      [{ name: 'ab' }, /name "ab" must be 3 to 50 characters long \(it has 2\)/],
      [{ name: 'x'.repeat(51) }, /must be 3 to 50 characters long \(it has 51\)/],
      [{ name: 'has space' }, /may contain only letters, digits/],
      [{ description: 'd'.repeat(301) }, /description must be at most 300 characters \(it has 301\)/],
      [{ redirectURIs: [] }, /at least one redirect URI is required/],
      [{ redirectURIs: ['http://tool.example.com/cb'] }, /must use https/],
      [{ redirectURIs: ['https://10.0.0.5/cb'] }, /raw IP address/],
      [{ redirectURIs: ['https://[2001:db8::1]/cb'] }, /raw IP address/],
      [{ redirectURIs: ['/callback'] }, /not an absolute URL/],
      [{ scopes: [] }, /scopes must not be empty/],
      [{ scopes: ['auth_keys:create:once devices:core'] }, /white space/],
      [{ allowedNodeAttributes: ['provisioned'] }, /must start with "custom:"/],
      [{ allowedNodeAttributes: ['custom:'] }, /must start with "custom:"/],
    ];
    for (const [change, message] of cases) {
      const problems = problemsOf({ ...GOOD, ...change });
      expect(problems, JSON.stringify(change).slice(0, 60)).toHaveLength(1);
      expect(problems[0]).toMatch(message);
    }
  });

  it('reports every problem at once, in a message that says nothing was sent', () => {
    const draft = { name: 'a', redirectURIs: ['http://example.com/cb'], scopes: [], allowedNodeAttributes: ['x'] };
    expect(() => validateOAuthAppInput(draft)).toThrow(/nothing was sent to Tailscale/);
    expect(problemsOf(draft)).toHaveLength(4);
  });

  it('lets loopback hosts use any scheme, as the API does', () => {
    const loopbacks = [
      'http://127.0.0.1:8976/callback',
      'http://[::1]:8976/callback',
      'http://localhost/cb',
      'myapp://localhost/cb',
    ];
    expect(problemsOf({ ...GOOD, redirectURIs: loopbacks })).toEqual([]);
    expect(
      problemsOf({
        ...GOOD,
        name: 'a.b_c-50',
        description: 'd'.repeat(300),
        allowedNodeAttributes: ['custom:provisioned'],
      }),
    ).toEqual([]);
  });
});

describe('splitList', () => {
  it('splits action inputs on commas and new lines, dropping blanks', () => {
    expect(splitList('https://a.example/cb, https://b.example/cb\n\n  http://127.0.0.1:8976/callback  \n')).toEqual([
      'https://a.example/cb',
      'https://b.example/cb',
      'http://127.0.0.1:8976/callback',
    ]);
    expect(splitList('')).toEqual([]);
    expect(splitList(undefined)).toEqual([]);
  });
});

describe('compareOAuthApp', () => {
  const live: OAuthApp = {
    id: 'a1CNTRL',
    name: 'device-provisioner',
    description: 'old',
    redirectURIs: ['https://a.example/cb', 'https://b.example/cb'],
    scopes: ['auth_keys:create:once'],
    allowedNodeAttributes: [],
  };

  it('sees no difference in reordered lists, nor in a description left unstated', () => {
    const wanted = validateOAuthAppInput({
      name: live.name,
      redirectURIs: ['https://b.example/cb', 'https://a.example/cb'],
    });
    expect(compareOAuthApp(live, wanted)).toEqual([]);
  });

  it('names what would be added and removed, field by field', () => {
    const wanted = validateOAuthAppInput({
      name: live.name,
      description: 'new',
      redirectURIs: ['https://a.example/cb', 'http://127.0.0.1:8976/callback'],
      allowedNodeAttributes: ['custom:provisioned'],
    });
    const differences = compareOAuthApp(live, wanted);
    expect(formatDifferences(differences)).toEqual([
      'description: "old" -> "new"',
      'redirectURIs: + http://127.0.0.1:8976/callback, - https://b.example/cb',
      'allowedNodeAttributes: + custom:provisioned',
    ]);
  });

  it('keeps the live description in a replacement that does not state one', () => {
    const wanted = validateOAuthAppInput({ name: live.name, redirectURIs: live.redirectURIs });
    expect(replacementFor(live, wanted).description).toBe('old');
    expect(replacementFor(live, { ...wanted, description: '' }).description).toBe('');
  });
});
