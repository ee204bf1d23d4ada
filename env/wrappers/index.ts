export { Wrapper, withInfo } from './wrapper.ts';
export { TimeLimit } from './time-limit.ts';
export { RecordEpisodeStatistics, type EpisodeStatistics } from './record-episode-statistics.ts';
export { NormalizeObservation, NormalizeReward, saveRunningMeanStd, loadRunningMeanStd } from './normalize.ts';
export { ClipAction, RescaleAction } from './action.ts';
export { FlattenObservation } from './flatten-observation.ts';
export { RunningMeanStd, RunningMeanStdError, type RunningMeanStdJSON } from './running-mean-std.ts';
