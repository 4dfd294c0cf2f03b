// apply's public face: the CLI command and the GitHub Action call applyConfig and render its report.
export { applyConfig, CHANGED_DURING_APPLY } from './apply.js';
export { ApplyRefusedError } from './errors.js';
export { NO_ADMIN_LEFT } from './roles.js';
export type { ApplyOptions } from './types.js';
