/** Schedules of a hyperparameter over training progress. */

/**
 * Linear interpolation from `start` (progress 0) to `end` (progress 1); progress is clamped to
 * [0, 1]. CleanRL's learning-rate annealing is `linearSchedule(lr, 0, (iteration − 1) / numIterations)`.
 */
export function linearSchedule(start: number, end: number, progress: number): number {
  const p = progress < 0 ? 0 : progress > 1 ? 1 : progress;
  return start + (end - start) * p;
}
