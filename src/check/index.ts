// The connection check, for the `check` command and the action's `check` mode: run it with a client
// and its credential, then render the report.
export { checkConnection, type CheckOptions } from './check-connection.js';
export { checkVerdict, renderCheckJson, renderCheckMarkdown, renderCheckText } from '../render/check.js';
export type { CheckHint, CheckItem, CheckItemId, CheckMethod, CheckNeed, CheckOutcome, CheckReport, CheckedCredential } from './types.js';
