// Fixture (not a test): registers 'Faulty-AC-v0', an Almgren–Chriss env whose step throws for the
// action 4.5 and ends its (worker) thread for the action 4.75, to test WorkerVectorEnv's failures.
import { AlmgrenChrissEnv, type AcInfo } from '../../../env/ac/index.ts';
import { listEnvs, register, type GymEnv } from '../../../env/registry.ts';
import type { StepResult } from '../../../env/core.ts';

class FaultyEnv extends AlmgrenChrissEnv {
  override step(action: Float64Array): StepResult<Float64Array, AcInfo> {
    if (action[0] === 4.5) throw new Error('faulty env: action 4.5');
    if (action[0] === 4.75) process.exit(3);
    return super.step(action);
  }
}

if (!listEnvs().includes('Faulty-AC-v0')) register('Faulty-AC-v0', (o) => new FaultyEnv({ ...o, N: 1000 }, 'Faulty-AC-v0') as GymEnv);
