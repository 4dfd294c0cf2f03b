// The groups of a policy file, as read from its HuJSON text.

export interface PolicyGroup {
  /** Exactly as written in the file, e.g. `group:eng` (case-sensitive). */
  name: string;
  /** Members as written, in file order (a member that is not a string makes the file unreadable). */
  members: string[];
  /** The text of the comments directly above the group's key, markers stripped, or undefined. */
  comment?: string;
}

export interface PolicyGroups {
  /** False when the policy file has no top-level `groups` key at all. */
  present: boolean;
  /** In file order. */
  groups: PolicyGroup[];
}
