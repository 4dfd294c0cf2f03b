// The connection check, for the `check` command and the action's `check` mode: run it with a client
// and its credential (src/render/check.ts renders the report).
export { checkConnection, type CheckOptions } from './check-connection.js';
export type {
  CheckHint,
  CheckItem,
  CheckItemId,
  CheckMethod,
  CheckNeed,
  CheckOutcome,
  CheckReport,
  CheckedCredential,
} from './types.js';
