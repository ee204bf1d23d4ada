export type { ActionMode, EpisodeContext, Policy, BatchPolicy } from './policy.ts';
export * from './baselines/index.ts';
