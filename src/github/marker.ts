// The hidden HTML comment by which the action finds its own PR comment or drift issue again. It names
// the tailnet and the config file, so a repository that manages several tailnets (or several files)
// gets one comment and one issue for each.

export type MarkerKind = 'plan' | 'drift' | 'unreviewed';

// Percent-encoding keeps `<`, `>` and spaces out; a `-` followed by another `-` is encoded as well,
// because `--` would end the HTML comment early.
function encode(value: string): string {
  return encodeURIComponent(value).replace(/-(?=-)/g, '%2D');
}

export function marker(kind: MarkerKind, tailnet: string, configPath: string): string {
  return `<!-- tailnet-access:${kind} tailnet=${encode(tailnet)} config=${encode(configPath)} -->`;
}

/**
 * The marker with fields added before its end (`key=value`, values percent-encoded), e.g. the digest
 * of the plan a plan comment shows. `isMarked(body, mark)` still finds a body that starts with it.
 */
export function withFields(mark: string, fields: Readonly<Record<string, string>>): string {
  const extra = Object.entries(fields)
    .map(([key, value]) => ` ${key}=${encode(value).replace(/%3A/g, ':').replace(/%2C/g, ',')}`)
    .join('');
  return `${mark.slice(0, -' -->'.length)}${extra} -->`;
}

/**
 * Whether a comment or issue body is the one `mark` names (the marker is always its first line), with or without
 * fields.
 */
export function isMarked(body: string | null | undefined, mark: string): boolean {
  const text = body?.trimStart();
  if (text === undefined) return false;
  if (text.startsWith(mark)) return true;
  const open = `${mark.slice(0, -' -->'.length)} `;
  const line = text.split('\n', 1)[0] ?? '';
  return line.startsWith(open) && line.trimEnd().endsWith(' -->');
}

/** The fields of the marker line of `body` (undefined when `mark` does not name it), values decoded. */
export function markerFields(body: string | null | undefined, mark: string): Record<string, string> | undefined {
  if (!isMarked(body, mark)) return undefined;
  const line = (body?.trimStart().split('\n', 1)[0] ?? '').trimEnd();
  const inner = line.slice(mark.length - ' -->'.length, -' -->'.length);
  const fields: Record<string, string> = {};
  for (const part of inner.split(' ')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    try {
      fields[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1));
    } catch {
      // A damaged field is as good as none.
    }
  }
  return fields;
}
