// The sticky plan comment: one per pull request, config and tailnet, found again among any number of
// comments (every page, past the hundredth), created once and then edited in place; only a comment the
// token's own account wrote is ever edited. Rate limits are waited out as GitHub asks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubClient } from '../src/github/client.js';
import { GitHubApiError } from '../src/github/errors.js';
import { isMarked, marker } from '../src/github/marker.js';
import { upsertStickyComment } from '../src/github/sticky-comment.js';
import {
  BOT_LOGIN,
  clientFor,
  primaryRateLimit,
  secondaryRateLimit,
  startGitHubStub,
  type GitHubStub,
} from './helpers/github-stub.js';

let github: GitHubStub;
let client: GitHubClient;
let warnings: string[];
const mark = marker('plan', 'example.com', 'tailnet-access.yaml');
const target = { number: 9, marker: mark };
const comments = /\/issues\/9\/comments$/;

beforeEach(async () => {
  github = await startGitHubStub();
  github.addPullRequest(9);
  ({ client, warnings } = clientFor(github));
});

afterEach(async () => {
  await github.close();
});

const ours = () => github.issue(9)?.comments.filter((c) => isMarked(c.body, mark)) ?? [];

describe('upsertStickyComment', () => {
  it('creates the comment once, edits it after, and leaves an identical body alone', async () => {
    const first = await upsertStickyComment(client, target, `${mark}\nplan one`);
    const second = await upsertStickyComment(client, target, `${mark}\nplan two`);
    const third = await upsertStickyComment(client, target, `${mark}\nplan two`);
    expect([first.action, second.action, third.action]).toEqual(['created', 'updated', 'unchanged']);
    expect(second.id).toBe(first.id);
    expect(github.issue(9)?.comments.map((c) => c.body)).toEqual([`${mark}\nplan two`]);
    expect(github.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql').map((r) => r.method)).toEqual([
      'POST',
      'PATCH',
    ]);
  });

  it('finds its comment past the hundredth page of a busy pull request', async () => {
    for (let i = 0; i < 10_050; i++) github.addComment(9, `review comment ${i}`, 'someone');
    const created = await upsertStickyComment(client, target, `${mark}\nold plan`);
    const edited = await upsertStickyComment(client, target, `${mark}\nnew plan`);
    expect(edited).toMatchObject({ action: 'updated', id: created.id });
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.body).toBe(`${mark}\nnew plan`);
    // 10,051 comments, 100 a page: the comment is on page 101.
    const pages = github.requests
      .filter((r) => r.method === 'GET' && comments.test(r.path))
      .map((r) => Number(r.query.page ?? '1'));
    expect(Math.max(...pages)).toBe(101);
  });

  it('keeps separate comments for separate config files and tailnets', async () => {
    const other = marker('plan', 'example.org', 'tailnet-access.yaml');
    const otherFile = marker('plan', 'example.com', 'teams/ops.yaml');
    await upsertStickyComment(client, target, `${mark}\na`);
    await upsertStickyComment(client, { ...target, marker: other }, `${other}\nb`);
    await upsertStickyComment(client, { ...target, marker: otherFile }, `${otherFile}\nc`);
    await upsertStickyComment(client, target, `${mark}\na2`);
    expect(github.issue(9)?.comments.map((c) => c.body)).toEqual([`${mark}\na2`, `${other}\nb`, `${otherFile}\nc`]);
  });

  it('does not take over a comment that only quotes the marker', async () => {
    github.addComment(9, `> ${mark}\n> the bot said this`, 'someone');
    const result = await upsertStickyComment(client, target, `${mark}\nplan`);
    expect(result.action).toBe('created');
    expect(github.issue(9)?.comments).toHaveLength(2);
  });

  it('never edits a look-alike comment by another author, a person or another bot', async () => {
    const planted = github.addComment(9, `${mark}\nApproved: make mallory an admin`, 'mallory');
    const otherBot = github.addComment(9, `${mark}\nfrom another app`, 'renovate[bot]');
    const result = await upsertStickyComment(client, target, `${mark}\nthe real plan`);
    expect(result.action).toBe('created');
    expect(planted.body).toBe(`${mark}\nApproved: make mallory an admin`);
    expect(otherBot.body).toBe(`${mark}\nfrom another app`);
    expect(ours().map((c) => c.user.login)).toEqual(['mallory', 'renovate[bot]', BOT_LOGIN]);
    expect(github.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it("knows its own bot's comments when GraphQL names the bot without [bot]", async () => {
    github.viewerLogin = 'github-actions';
    const own = github.addComment(9, `${mark}\nold plan`, BOT_LOGIN);
    github.addComment(9, `${mark}\nplanted`, 'github-actions');
    expect(await upsertStickyComment(client, target, `${mark}\nnew plan`)).toMatchObject({
      action: 'updated',
      id: own.id,
    });
  });

  it("with a person's token, edits that person's comment and no bot's", async () => {
    const pat = await startGitHubStub({ token: 'github_pat_octocatStandIn0123456789' });
    try {
      pat.addPullRequest(9);
      pat.viewerLogin = 'octocat';
      pat.addComment(9, `${mark}\nby the bot`, BOT_LOGIN);
      const own = pat.addComment(9, `${mark}\nby octocat`, 'Octocat');
      expect(await upsertStickyComment(clientFor(pat).client, target, `${mark}\nnew`)).toMatchObject({
        action: 'updated',
        id: own.id,
      });
    } finally {
      await pat.close();
    }
  });
});

describe('rate limits on the way to the comment', () => {
  const postedAt = (): number =>
    github.requests.find((r) => r.method === 'POST' && comments.test(r.path) && r.status === 201)?.at ?? Number.NaN;
  const limitedAt = (status: number): number =>
    github.requests.find((r) => r.method === 'POST' && comments.test(r.path) && r.status === status)?.at ?? Number.NaN;

  it('a 429 with Retry-After: 1 is waited out, and the comment is posted about a second later', async () => {
    github.failNextTo(
      comments,
      { status: 429, headers: { 'retry-after': '1' }, body: { message: 'Too Many Requests' } },
      'POST',
    );
    expect((await upsertStickyComment(client, target, `${mark}\nplan`)).action).toBe('created');
    expect(postedAt() - limitedAt(429)).toBeGreaterThanOrEqual(950);
    expect(postedAt() - limitedAt(429)).toBeLessThan(4_000);
    expect(ours()).toHaveLength(1);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^GitHub's secondary rate limit was hit by POST .*\/issues\/9\/comments; waiting 1 s as GitHub asks/,
      ),
    ]);
  });

  it('a secondary-limit 403 is waited out and retried, then the comment is posted', async () => {
    github.failNextTo(comments, secondaryRateLimit(1), 'POST');
    expect((await upsertStickyComment(client, target, `${mark}\nplan`)).action).toBe('created');
    expect(postedAt() - limitedAt(403)).toBeGreaterThanOrEqual(950);
    expect(ours()).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });

  it('an exhausted hourly quota fails at once, saying it is rate limited and until when', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    github.failNextTo(comments, primaryRateLimit(reset), 'GET');
    const error = await upsertStickyComment(client, target, `${mark}\nplan`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    const message = (error as GitHubApiError).message;
    expect(message).toContain('403 API rate limit exceeded for installation ID 4242.');
    expect(message).toContain(
      `rate limited: the token's API rate limit is used up until ` +
        `${new Date(reset * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC (in 60 minutes)`,
    );
    expect(message).not.toMatch(/permission/);
    expect(ours()).toHaveLength(0);
  });

  it('a 422 keeps the errors GitHub listed', async () => {
    const error = await upsertStickyComment(client, target, `${mark}\n${'x'.repeat(70_000)}`).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'GitHub API: cannot comment on pull request #9: 422 Validation Failed: IssueComment.body: body is too long (maximum is 65536 characters) (https://docs.github.com/rest)',
    );
  });
});

describe('a marker with fields (the plan digest)', () => {
  it('is still the marker of its config and tailnet, and gives its fields back', async () => {
    const { markerFields, withFields } = await import('../src/github/marker.js');
    const fielded = withFields(mark, { reviewed: 'sha256:ab', changes: 'a.b,c.d' });
    expect(fielded).toBe(
      '<!-- tailnet-access:plan tailnet=example.com config=tailnet-access.yaml reviewed=sha256:ab changes=a.b,c.d -->',
    );
    expect(isMarked(`${fielded}\nbody`, mark)).toBe(true);
    expect(markerFields(`${fielded}\nbody`, mark)).toEqual({ reviewed: 'sha256:ab', changes: 'a.b,c.d' });
    expect(markerFields(`${mark}\nbody`, mark)).toEqual({});
    // Another config whose name starts the same is another marker.
    const longer = withFields(marker('plan', 'example.com', 'tailnet-access.yaml2'), { reviewed: 'sha256:ab' });
    expect(isMarked(longer, mark)).toBe(false);
    expect(isMarked(`${mark.slice(0, -4)} reviewed=x\nno end of comment`, mark)).toBe(false);
    // An edit of the comment with fields is still an edit of the same comment.
    await upsertStickyComment(client, target, `${mark}\nplan one`);
    await upsertStickyComment(client, target, `${fielded}\nplan two`);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.body).toBe(`${fielded}\nplan two`);
  });
});
