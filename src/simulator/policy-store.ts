// The stored policy file: its text exactly as last written, its ETag (`"` + sha256 hex of the text +
// `"`), whether it is still the untouched default, and the parsed form, cached per text (reads far
// outnumber writes).
import { createHash } from 'node:crypto';
import { checkPolicy, PolicyRejection, type CheckedPolicy } from './policy-check.js';

export function etagOf(text: string): string {
  return `"${createHash('sha256').update(text, 'utf8').digest('hex')}"`;
}

export class PolicyStore {
  private current: string;
  private currentEtag: string | undefined;
  private checked: CheckedPolicy | PolicyRejection | undefined;
  /** While true, `If-Match: "ts-default"` succeeds. Any write clears it. */
  isDefault: boolean;
  /** How many times the external-writer knob edited the policy. */
  externalEdits = 0;
  private writerArmed = false;

  constructor(text: string, isDefault = false) {
    this.current = text;
    this.isDefault = isDefault;
  }

  get text(): string {
    return this.current;
  }

  /** Replaces the stored text (as a write would), clearing the default flag. */
  set text(text: string) {
    this.store(text);
  }

  store(text: string, checked?: CheckedPolicy): void {
    this.current = text;
    this.currentEtag = undefined;
    this.checked = checked;
    this.isDefault = false;
  }

  get etag(): string {
    this.currentEtag ??= etagOf(this.current);
    return this.currentEtag;
  }

  /** The stored policy parsed and checked; throws PolicyRejection if a test stored something invalid. */
  parsed(): CheckedPolicy {
    if (this.checked === undefined) {
      try {
        this.checked = checkPolicy(this.current);
      } catch (error) {
        if (!(error instanceof PolicyRejection)) throw error;
        this.checked = error;
      }
    }
    if (this.checked instanceof PolicyRejection) throw this.checked;
    return this.checked;
  }

  /** Called after a policy GET: the next POST is where an external writer may strike. */
  armExternalWriter(): void {
    this.writerArmed = true;
  }

  /** True once per GET→POST window. */
  takeArmedWindow(): boolean {
    const armed = this.writerArmed;
    this.writerArmed = false;
    return armed;
  }
}
