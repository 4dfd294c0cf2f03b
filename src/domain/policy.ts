// The policy as the planner, the client and the renderers share it: the stored document, Tailscale's
// verdict on a candidate, a group as it should be written, a rule that names a group, and an ETag as
// a sentence names it.

/** The policy file as stored: HuJSON text, comments included, and its quoted ETag. */
export interface PolicyDocument {
  text: string;
  /** With its double quotes, exactly as the server sent it, e.g. `"e0b2…"`. */
  etag: string;
}

/** `POST /acl/validate` answers 200 on failure; this is its body, normalised. */
export interface ValidateResult {
  ok: boolean;
  message?: string;
  data?: PolicyErrorData[];
}

export interface PolicyErrorData {
  user?: string;
  errors?: string[];
  warnings?: string[];
}

/** A group as it should stand in the policy file after a rewrite. */
export interface TargetGroup {
  name: string;
  members: string[];
  /** Written as a comment above the group when the group is created or its comment is absent. */
  description?: string;
}

/** One rule that names a group. Serialised as is into the plan's `impact` list. */
export interface GroupReference {
  /** The group as asked about, e.g. `group:eng`. */
  group: string;
  /**
   * The top-level key the rule is in (`acls`, `grants`, `ssh`, `tagOwners`, `nodeAttrs`, `tests`,
   * `sshTests`, …), or `autoApprovers.<key>` (`autoApprovers.routes`, `autoApprovers.exitNode`).
   */
  section: string;
  /**
   * Which rule of the section: its position (0-based) in a list section (`acls[3]`), its key in an
   * object section (`tagOwners["tag:server"]`, `autoApprovers.routes["10.0.0.0/8"]`), or null when the
   * section is itself one rule (`autoApprovers.exitNode`).
   */
  index: number | string | null;
  /** 1-based line and column (UTF-16 units) of the rule's first token: its `{`, or its key. */
  line: number;
  column: number;
  /** The rule on one line, e.g. `accept group:eng -> tag:server:22`; at most RULE_TEXT_MAX characters. */
  rule: string;
  /**
   * The rule's keys that name the group (`src`, `dst`, `users`, …), in text order; empty when the rule
   * is itself a list of names (tagOwners, autoApprovers).
   */
  fields: string[];
}

/** An ETag without its quotes, shortened: enough to tell two policies apart in a sentence. */
export function etagLabel(etag: string): string {
  const bare = etag.replace(/^W\//, '').replace(/^"|"$/g, '');
  return bare.length > 12 ? `${bare.slice(0, 12)}…` : bare;
}

/** The first 12 characters of an ETag without its quotes: enough to tell two policies apart. */
export function shortEtag(etag: string): string {
  const bare = etag.replace(/^W\//, '').replace(/^"|"$/g, '');
  if (bare === '') return '(none)';
  return bare.length > 12 ? `${bare.slice(0, 12)}…` : bare;
}
