// The action's side of GitHub: one client per run for github-token on GITHUB_REPOSITORY, made when a
// mode first talks to GitHub, so a run that never does (check, a plan without a pull request, every
// run until its Tailscale read is done) never loads Octokit; and the markers that identify this
// config's comment and issue.
import type { GitHubClient } from '../github/client.js';
import { marker, type MarkerKind } from '../github/marker.js';
import { log } from './log.js';
import type { ActionSettings } from './settings.js';

// The marker must be the same on a run whose file does not parse, so it names the tailnet input
// (when given) rather than the file's `tailnet:`; the config path already tells files apart.
const FROM_FILE = '(file)';

export function markerFor(kind: MarkerKind, settings: ActionSettings): string {
  return marker(kind, settings.tailnet ?? FROM_FILE, settings.config.shownAs);
}

export type ConnectGitHub = () => Promise<GitHubClient>;

const clients = new WeakMap<ActionSettings, Promise<GitHubClient>>();

/** How to reach GitHub on this run; undefined without a token or a repository to use it on. */
export function githubFor(settings: ActionSettings): ConnectGitHub | undefined {
  const { token, repository, apiUrl } = settings.github;
  if (!token || !repository) return undefined;
  return () => {
    let client = clients.get(settings);
    if (client === undefined) {
      // `webpackMode: "eager"` keeps Octokit in the one bundled file while deferring its evaluation.
      client = import(/* webpackMode: "eager" */ '../github/client.js').then(({ createGitHubClient }) =>
        createGitHubClient({ token, baseUrl: apiUrl, repo: repository, warn: log.warning, debug: log.debug }),
      );
      clients.set(settings, client);
    }
    return client;
  };
}
