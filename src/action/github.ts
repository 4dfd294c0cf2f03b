// The action's side of GitHub: a REST client when there is a token and a repository to use it on,
// and the markers that identify this config's comment and issue.
import { marker, type MarkerKind } from '../github/marker.js';
import { GitHubRest } from '../github/rest.js';
import type { ActionSettings } from './settings.js';

// The marker must be the same on a run whose file does not parse, so it names the tailnet input
// (when given) rather than the file's `tailnet:`; the config path already tells files apart.
const FROM_FILE = '(file)';

export function markerFor(kind: MarkerKind, settings: ActionSettings): string {
  return marker(kind, settings.tailnet ?? FROM_FILE, settings.config.shownAs);
}

export function githubRest(settings: ActionSettings): GitHubRest | undefined {
  const { token, repository, apiUrl } = settings.github;
  return token && repository ? new GitHubRest({ apiUrl, token }) : undefined;
}
