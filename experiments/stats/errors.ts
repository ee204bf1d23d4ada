/** Bad input to a statistic (empty or mismatched samples, NaN, bad parameters); the message names the value. */
export class StatsError extends Error {
  override name = 'StatsError';
}
