// Every request the simulator saw, for tests to assert on ("apply made exactly two writes", "the
// client sent If-Match with quotes"). The Authorization header is recorded as its kind only, and only
// bodies of writes are kept (never token-endpoint forms), so the log can be printed or snapshotted safely.
import type { AuthorizationKind, RequestLogEntry } from './types.js';

export function authorizationKind(header: string | undefined): AuthorizationKind {
  if (!header) return 'none';
  const scheme = header.split(' ')[0]?.toLowerCase();
  if (scheme === 'bearer') return 'bearer';
  if (scheme === 'basic') return 'basic';
  return 'other';
}

export interface LogFilter {
  method?: string;
  /** Exact path, or a pattern tested against it. */
  path?: string | RegExp;
  status?: number;
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  filter(filter: LogFilter = {}): RequestLogEntry[] {
    return this.entries.filter((entry) => {
      if (filter.method !== undefined && entry.method !== filter.method.toUpperCase()) return false;
      if (filter.status !== undefined && entry.status !== filter.status) return false;
      if (typeof filter.path === 'string' && entry.path !== filter.path) return false;
      if (filter.path instanceof RegExp && !filter.path.test(entry.path)) return false;
      return true;
    });
  }

  count(filter: LogFilter = {}): number {
    return this.filter(filter).length;
  }

  /** Requests that would change state (POST/PUT/PATCH/DELETE to the API, not validate or token calls). */
  writes(): RequestLogEntry[] {
    return this.entries.filter((entry) => entry.write);
  }

  countWrites(): number {
    return this.writes().length;
  }

  /** Writes that did change state. */
  countApplied(): number {
    return this.entries.filter((entry) => entry.applied).length;
  }

  last(): RequestLogEntry | undefined {
    return this.entries.at(-1);
  }

  clear(): void {
    this.entries.length = 0;
  }
}
