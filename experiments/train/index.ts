/** Training runs: the algorithm registry, the run driver and the trained-policy loader. */
export { ALGOS, listAlgos, loadAlgo, AlgoError } from './algos.ts';
export type { AlgoModule } from './algos.ts';
export { runTraining, readConfigFile, TrainRunError } from './run.ts';
export type { RunTrainingOptions, RunTrainingIo, RunTrainingResult } from './run.ts';
