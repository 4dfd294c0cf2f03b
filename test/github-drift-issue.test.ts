// The drift issue: one open issue per tailnet and config, created on the first drift, edited after,
// closed with a comment when the drift is gone; an issue someone else opened with the marker is
// neither edited nor closed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubClient } from '../src/github/client.js';
import { DRIFT_LABEL, syncDriftIssue } from '../src/github/drift-issue.js';
import { GitHubApiError } from '../src/github/errors.js';
import { marker } from '../src/github/marker.js';
import { clientFor, startGitHubStub, type GitHubStub } from './helpers/github-stub.js';

let github: GitHubStub;
let client: GitHubClient;
const mark = marker('drift', '(file)', 'tailnet-access.yaml');
const target = { marker: mark, title: 'Tailnet access drift: example.com' };

beforeEach(async () => {
  github = await startGitHubStub();
  ({ client } = clientFor(github));
});

afterEach(async () => {
  await github.close();
});

describe('syncDriftIssue', () => {
  it('opens the issue once, edits it on later drift, and closes it with a comment when clean', async () => {
    expect(await syncDriftIssue(client, target, { drift: false, closingComment: 'clean' })).toEqual({ action: 'none' });
    const opened = await syncDriftIssue(client, target, { drift: true, body: `${mark}\n1 change` });
    expect(opened.action).toBe('created');
    const same = await syncDriftIssue(client, target, { drift: true, body: `${mark}\n1 change` });
    const edited = await syncDriftIssue(client, target, { drift: true, body: `${mark}\n2 changes` });
    expect([same.action, edited.action]).toEqual(['unchanged', 'updated']);
    const closed = await syncDriftIssue(client, target, { drift: false, closingComment: 'No drift any more.' });
    expect(closed).toMatchObject({ action: 'closed', number: opened.number });

    const issues = github.issues();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      state: 'closed',
      state_reason: 'completed',
      body: `${mark}\n2 changes`,
      labels: [{ name: DRIFT_LABEL }],
    });
    expect(issues[0]?.comments.map((c) => c.body)).toEqual(['No drift any more.']);

    // Drift again later: a new issue, since the old one is closed.
    expect((await syncDriftIssue(client, target, { drift: true, body: `${mark}\nagain` })).action).toBe('created');
    expect(github.issues().filter((i) => i.state === 'open')).toHaveLength(1);
  });

  it('tells one tailnet from another, and ignores pull requests that carry the label and marker', async () => {
    const pr = github.addPullRequest(40);
    pr.body = `${mark}\nquoted in a PR`;
    pr.labels.push({ name: DRIFT_LABEL });
    const otherMark = marker('drift', 'example.org', 'tailnet-access.yaml');
    await syncDriftIssue(client, { ...target, marker: otherMark }, { drift: true, body: `${otherMark}\nother` });
    expect((await syncDriftIssue(client, target, { drift: true, body: `${mark}\nours` })).action).toBe('created');
    expect(github.issues().filter((i) => i.state === 'open')).toHaveLength(2);
    expect(pr.body).toBe(`${mark}\nquoted in a PR`);
  });

  it('never edits or closes a look-alike issue someone else opened', async () => {
    const planted = github.addIssue({
      title: 'Tailnet access drift',
      body: `${mark}\nclose me`,
      labels: [DRIFT_LABEL],
      login: 'mallory',
    });
    expect((await syncDriftIssue(client, target, { drift: false, closingComment: 'No drift any more.' })).action).toBe(
      'none',
    );
    expect(planted).toMatchObject({ state: 'open', body: `${mark}\nclose me`, comments: [] });
    expect((await syncDriftIssue(client, target, { drift: true, body: `${mark}\nreal drift` })).action).toBe('created');
    expect(planted.body).toBe(`${mark}\nclose me`);
  });

  it('fails with the permission to add when the token may not write issues', async () => {
    github.denied.add('issues');
    const error = await syncDriftIssue(client, target, { drift: true, body: `${mark}\nx` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toContain(
      'permission missing: the token lacks "issues: write"; add `permissions: { issues: write }` to the job',
    );
  });
});
