export type { ActionMode, EpisodeContext, Policy, BatchPolicy } from './policy.ts';
export { INTERFACE_OPTION_KEYS, interfaceOptions } from './policy.ts';
export * from './baselines/index.ts';
