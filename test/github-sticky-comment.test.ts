// The sticky plan comment: one per pull request, config and tailnet, found again among any number of
// comments, created once and then edited in place.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMarked, marker } from '../src/github/marker.js';
import { GitHubRest } from '../src/github/rest.js';
import { upsertStickyComment } from '../src/github/sticky-comment.js';
import { STUB_OWNER, STUB_REPO, startGitHubStub, type GitHubStub } from './helpers/github-stub.js';

let github: GitHubStub;
let rest: GitHubRest;
const repo = { owner: STUB_OWNER, repo: STUB_REPO };
const mark = marker('plan', 'example.com', 'tailnet-access.yaml');
const target = { repo, number: 9, marker: mark };

beforeEach(async () => {
  github = await startGitHubStub();
  github.addPullRequest(9);
  rest = new GitHubRest({ apiUrl: github.url, token: github.token });
});

afterEach(async () => {
  await github.close();
});

describe('upsertStickyComment', () => {
  it('creates the comment once, edits it after, and leaves an identical body alone', async () => {
    const first = await upsertStickyComment(rest, target, `${mark}\nplan one`);
    const second = await upsertStickyComment(rest, target, `${mark}\nplan two`);
    const third = await upsertStickyComment(rest, target, `${mark}\nplan two`);
    expect([first.action, second.action, third.action]).toEqual(['created', 'updated', 'unchanged']);
    expect(second.id).toBe(first.id);
    expect(github.issue(9)?.comments.map((c) => c.body)).toEqual([`${mark}\nplan two`]);
    expect(github.requests.filter((r) => r.method !== 'GET').map((r) => r.method)).toEqual(['POST', 'PATCH']);
  });

  it('finds its comment on the third page of a busy pull request', async () => {
    for (let i = 0; i < 230; i++) github.addComment(9, `review comment ${i}`, 'someone');
    const created = await upsertStickyComment(rest, target, `${mark}\nold plan`);
    for (let i = 0; i < 20; i++) github.addComment(9, `later comment ${i}`, 'someone');
    const edited = await upsertStickyComment(rest, target, `${mark}\nnew plan`);
    expect(edited).toMatchObject({ action: 'updated', id: created.id });
    expect(github.issue(9)?.comments.filter((c) => isMarked(c.body, mark))).toHaveLength(1);
  });

  it('keeps separate comments for separate config files and tailnets', async () => {
    const other = marker('plan', 'example.org', 'tailnet-access.yaml');
    const otherFile = marker('plan', 'example.com', 'teams/ops.yaml');
    await upsertStickyComment(rest, target, `${mark}\na`);
    await upsertStickyComment(rest, { ...target, marker: other }, `${other}\nb`);
    await upsertStickyComment(rest, { ...target, marker: otherFile }, `${otherFile}\nc`);
    await upsertStickyComment(rest, target, `${mark}\na2`);
    expect(github.issue(9)?.comments.map((c) => c.body)).toEqual([`${mark}\na2`, `${other}\nb`, `${otherFile}\nc`]);
  });

  it('does not take over a comment that only quotes the marker', async () => {
    github.addComment(9, `> ${mark}\n> the bot said this`, 'someone');
    const result = await upsertStickyComment(rest, target, `${mark}\nplan`);
    expect(result.action).toBe('created');
    expect(github.issue(9)?.comments).toHaveLength(2);
  });
});

describe('marker', () => {
  it('is a single HTML comment whatever the names hold', () => {
    const odd = marker('plan', 'a-->b', 'dir--x/<file> name.yaml');
    expect(odd).toMatch(/^<!--(?:(?!--)[\s\S])*-->$/);
    expect(odd).not.toBe(marker('plan', 'a-->b', 'dir--x/<file>_name.yaml'));
  });
});
