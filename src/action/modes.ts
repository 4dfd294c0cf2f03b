// One runner per mode. Each takes the settings and reports through the job summary, the outputs and
// the log; a failure is thrown and reported once, by main.ts.
//
// The runners are imported when their mode runs, not when the action starts: start-up time is paid on
// every workflow run, and most of the bundle (apply, check, the OAuth app and its libsodium) serves
// other modes. `webpackMode: "eager"` keeps each in the one bundled file (no chunk files next to
// dist/index.js) while still deferring its evaluation to the import() call.
import type { ActionSettings, Mode } from './settings.js';

type Runner = (settings: ActionSettings) => Promise<void>;

export const MODE_RUNNERS: Record<Mode, () => Promise<Runner>> = {
  plan: async () => (await import(/* webpackMode: "eager" */ './plan-mode.js')).runPlanMode,
  apply: async () => (await import(/* webpackMode: "eager" */ './apply-mode.js')).runApplyMode,
  drift: async () => (await import(/* webpackMode: "eager" */ './drift-mode.js')).runDriftMode,
  check: async () => (await import(/* webpackMode: "eager" */ './check-mode.js')).runCheckMode,
  'create-oauth-app': async () => (await import(/* webpackMode: "eager" */ './oauth-app-mode.js')).runOAuthAppMode,
};
