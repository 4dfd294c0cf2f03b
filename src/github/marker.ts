// The hidden HTML comment by which the action finds its own PR comment or drift issue again. It names
// the tailnet and the config file, so a repository that manages several tailnets (or several files)
// gets one comment and one issue for each.

export type MarkerKind = 'plan' | 'drift';

// Percent-encoding keeps `<`, `>` and spaces out; a `-` followed by another `-` is encoded as well,
// because `--` would end the HTML comment early.
function encode(value: string): string {
  return encodeURIComponent(value).replace(/-(?=-)/g, '%2D');
}

export function marker(kind: MarkerKind, tailnet: string, configPath: string): string {
  return `<!-- tailnet-access:${kind} tailnet=${encode(tailnet)} config=${encode(configPath)} -->`;
}

/** Whether a comment or issue body is the one `mark` names (the marker is always its first line). */
export function isMarked(body: string | null | undefined, mark: string): boolean {
  return body?.trimStart().startsWith(mark) === true;
}
