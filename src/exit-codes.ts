// The contract's exit codes (contract.md §2).
export const EXIT_OK = 0;
/** An error, or a refusal by a safety rail; nothing was written. */
export const EXIT_ERROR = 1;
/** Changes pending (`plan --detailed-exitcode`, `drift`). */
export const EXIT_CHANGES = 2;
