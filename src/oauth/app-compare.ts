// How an existing OAuth app differs from the one asked for. Lists compare as sets: the order of
// redirect URIs, scopes or attributes means nothing to the API, and a reordered list must not make a
// re-run look like a change.
import type { OAuthApp, OAuthAppInput } from '../tailscale/types.js';

export type ComparedField = 'description' | 'redirectURIs' | 'scopes' | 'allowedNodeAttributes';

export type AppDifference =
  | { field: 'description'; live: string; wanted: string }
  | { field: Exclude<ComparedField, 'description'>; add: string[]; remove: string[] };

function listDifference(live: readonly string[], wanted: readonly string[]): { add: string[]; remove: string[] } {
  const liveSet = new Set(live);
  const wantedSet = new Set(wanted);
  return { add: wanted.filter((v) => !liveSet.has(v)), remove: live.filter((v) => !wantedSet.has(v)) };
}

/** Differences in the fields a user sets; an input without a description leaves the live one alone. */
export function compareOAuthApp(live: OAuthApp, wanted: OAuthAppInput): AppDifference[] {
  const differences: AppDifference[] = [];
  const liveDescription = live.description ?? '';
  if (wanted.description !== undefined && wanted.description !== liveDescription) {
    differences.push({ field: 'description', live: liveDescription, wanted: wanted.description });
  }
  const lists: [Exclude<ComparedField, 'description'>, readonly string[], readonly string[]][] = [
    ['redirectURIs', live.redirectURIs, wanted.redirectURIs],
    ['scopes', live.scopes, wanted.scopes],
    ['allowedNodeAttributes', live.allowedNodeAttributes ?? [], wanted.allowedNodeAttributes ?? []],
  ];
  for (const [field, liveList, wantedList] of lists) {
    const { add, remove } = listDifference(liveList, wantedList);
    if (add.length > 0 || remove.length > 0) differences.push({ field, add, remove });
  }
  return differences;
}

/** One line per difference, e.g. `scopes: + auth_keys:create:once, - devices:core`. */
export function formatDifferences(differences: readonly AppDifference[]): string[] {
  return differences.map((d) => {
    if (d.field === 'description') return `description: ${JSON.stringify(d.live)} -> ${JSON.stringify(d.wanted)}`;
    const parts = [...d.add.map((v) => `+ ${v}`), ...d.remove.map((v) => `- ${v}`)];
    return `${d.field}: ${parts.join(', ')}`;
  });
}

/** The PUT body for an update: a full replacement, so an unstated description keeps the live one. */
export function replacementFor(live: OAuthApp, wanted: OAuthAppInput): OAuthAppInput {
  const description = wanted.description ?? live.description;
  return description === undefined ? { ...wanted } : { ...wanted, description };
}
