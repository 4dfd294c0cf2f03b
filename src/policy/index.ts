export { HujsonSyntaxError, parseHujson, type HujsonDocument } from './hujson.js';
export { PolicyShapeError, isScimGroup, readPolicyGroups } from './groups.js';
export { PolicyRewriteError, rewritePolicyGroups } from './rewrite.js';
export type { PolicyGroup, PolicyGroups } from './types.js';
