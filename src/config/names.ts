// What counts as a login and as a group name. The JSON Schema carries the same patterns (a test keeps
// them equal), so editors and the loader agree.

/**
 * A Tailscale login: something@domain, where the domain need not have a dot (`alice@github`,
 * `alice@passkey`). No whitespace, no second `@`, and no `:` so that `group:`, `tag:` and
 * `autogroup:` names can never pass for a login.
 */
export const LOGIN_PATTERN = '^[^\\s@:,]+@[^\\s@:,]+$';

/** A group name as written in the file: the `group:` prefix is optional; letters, digits, `-`, `_`, `.`. */
export const GROUP_KEY_PATTERN = '^(group:)?[A-Za-z0-9._-]+$';

const LOGIN = new RegExp(LOGIN_PATTERN, 'u');
const GROUP_KEY = new RegExp(GROUP_KEY_PATTERN, 'u');

export function isLogin(value: unknown): value is string {
  return typeof value === 'string' && LOGIN.test(value);
}

export function isGroupKey(key: string): boolean {
  return GROUP_KEY.test(key);
}

/** `eng` and `group:eng` name the same group; the policy file always spells it `group:eng`. */
export function groupName(key: string): string {
  return key.startsWith('group:') ? key : `group:${key}`;
}
