// Fixture (not a test): a module that registers an env on import, for WorkerVectorEnv's `modules`.
import { AlmgrenChrissEnv } from '../../../env/ac/index.ts';
import { listEnvs, register, type GymEnv } from '../../../env/registry.ts';

if (!listEnvs().includes('Custom-AC-v0')) register('Custom-AC-v0', (o) => new AlmgrenChrissEnv({ ...o, N: 2 }, 'Custom-AC-v0') as GymEnv);
