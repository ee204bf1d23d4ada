/** Invalid arguments to the statistics functions (the message names the value and what is allowed). */
export class StatsError extends Error {
  override name = 'StatsError';
}
