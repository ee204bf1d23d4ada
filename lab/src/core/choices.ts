/**
 * The Train view's choices, in a module free of TensorFlow.js so that the page (main thread) and
 * the worker share one list: the algorithms the lab trains (the names of `train --algo`) and the
 * TensorFlow.js backends it can start ('auto': the best available).
 */
export const LAB_ALGOS = ['ppo', 'sac'] as const;
export type LabAlgo = (typeof LAB_ALGOS)[number];

export const LAB_BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type LabBackend = (typeof LAB_BACKENDS)[number];
