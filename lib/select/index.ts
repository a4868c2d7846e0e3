/**
 * `select`: wait on several channel operations and complete exactly one, fairly and without
 * consuming anything from the branches that lose.
 *
 * @module
 */
export { select, type Branches, type BranchValue, type Select, type SelectOptions, type SelectResult } from './select.js';
export type { Branch } from './branches.js';
