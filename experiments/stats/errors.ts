/** Bad input to a statistic (empty or mismatched samples, NaN, bad parameters); the message names the value. One class with the simulator's statistics (`simulator/stats`), which hold the special functions. */
export { StatsError } from '../../simulator/stats/errors.ts';
