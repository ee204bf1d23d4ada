/** Registers 'Crash-v0' for the crash test: its step writes to stderr and exits the server with code 3. */
import { register, make } from '../../../env/index.ts';

register('Crash-v0', (o) => {
  const env = make('Liquidate-AC-v0', o);
  const step = env.step.bind(env);
  env.step = (a) => {
    if (typeof a !== 'number' && a[0] === 4) {
      process.stderr.write('crash-env: boom, exiting on purpose\n');
      process.exit(3);
    }
    return step(a);
  };
  return env;
});
