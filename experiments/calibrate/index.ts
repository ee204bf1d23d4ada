/** Worker threads for the simulated sessions of `calibrate` (stage 2) and `realism`. */
export { SessionPool } from './pool.ts';
