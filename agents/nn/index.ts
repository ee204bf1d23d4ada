/**
 * Neural-network building blocks shared by the learning agents (PPO, SAC): backend selection,
 * MLPs with orthogonal initialization, action distributions, Adam with global-norm clipping, and
 * named tensors in and out of variables (checkpoints themselves are in agents/common). Call
 * `await initBackend(kind)` before the first tensor op.
 *
 * backend.ts imports Node modules; everything else here is plain TensorFlow.js. Modules that must
 * bundle for the browser (the algorithms' agent, checkpoint and policy files) import the files
 * they need directly rather than this index.
 */
export { initBackend, activeBackend, BackendError, BACKEND_KINDS } from './backend.ts';
export type { BackendKind, BackendChoice } from './backend.ts';
export { Mlp, NnError, orthogonal, forwardJs } from './mlp.ts';
export type { MlpSpec, Activation, MlpSnapshot } from './mlp.ts';
export {
  LOG_2PI,
  gaussianLogProb,
  gaussianEntropy,
  tanhLogDetJacobian,
  squashedGaussianLogProb,
  categoricalLogProb,
  categoricalEntropy,
  gaussianLogProbJs,
  gaussianEntropyJs,
  log1mTanhSq,
  sampleGaussianJs,
  categoricalLogProbJs,
  categoricalEntropyJs,
  sampleCategoricalJs,
  argmaxJs,
  BoxActionMap,
} from './distributions.ts';
export type { BoxActionMode } from './distributions.ts';
export { Adam, clipByGlobalNorm } from './adam.ts';
export type { AdamOptions } from './adam.ts';
export { variablesToTensors, assignFromTensors } from './weights.ts';
export { makeReadable, readsAsync } from './readback.ts';
export type { NamedTensor } from './weights.ts';
