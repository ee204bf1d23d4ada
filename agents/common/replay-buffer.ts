/**
 * A replay buffer of transitions (s, a, r, s', terminated, truncated) in preallocated typed arrays.
 *
 * Layout: a ring of `capacity` rows. Row i holds obs[i·obsDim ..], nextObs[i·obsDim ..],
 * actions[i·actionDim ..], rewards[i], terminated[i], truncated[i] (Float32 for numbers, Uint8 for
 * flags). `pos` is the next row to write; `size` the number of valid rows (≤ capacity); once full,
 * the oldest row is overwritten first.
 *
 * Why truncation is kept apart from termination: the soft Bellman target bootstraps through s'
 * unless the task itself ended. A time-limit cut (truncated) is not an end of the task, so its
 * target is r + γ·V(s'); a true end (terminated) has target r. `sample` fills `dones` with the
 * terminated flag only; `truncated` is stored for diagnostics and tests.
 *
 * Nothing is allocated per `add` or per `sample`: the batch arrays are allocated once and reused
 * (copy them if you keep them past the next `sample`).
 */
import type { Rng } from '../../simulator/random/index.ts';

export class ReplayError extends Error {
  override name = 'ReplayError';
}

/** One sampled minibatch; rows of flat Float32Arrays (reused across calls). */
export interface ReplayBatch {
  readonly size: number;
  readonly obs: Float32Array;
  readonly nextObs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  /** 1 where the transition ended the task (no bootstrap), else 0. */
  readonly dones: Float32Array;
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly obsDim: number;
  readonly actionDim: number;
  readonly obs: Float32Array;
  readonly nextObs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  private pos = 0;
  private count = 0;
  private batch: ReplayBatch | undefined;
  private batchIdx: Uint32Array | undefined;

  constructor(capacity: number, obsDim: number, actionDim: number) {
    for (const [k, v] of [['capacity', capacity], ['obsDim', obsDim], ['actionDim', actionDim]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ReplayError(`ReplayBuffer ${k} must be a positive integer, got ${String(v)}`);
    }
    this.capacity = capacity;
    this.obsDim = obsDim;
    this.actionDim = actionDim;
    this.obs = new Float32Array(capacity * obsDim);
    this.nextObs = new Float32Array(capacity * obsDim);
    this.actions = new Float32Array(capacity * actionDim);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Uint8Array(capacity);
    this.truncated = new Uint8Array(capacity);
  }

  /** Number of stored transitions. */
  get size(): number {
    return this.count;
  }

  /** Row the next `add` writes (for checkpoints). */
  get position(): number {
    return this.pos;
  }

  /**
   * Stores one transition read from row `row` of the batch arrays (`obs`, `nextObs`: obsDim per row;
   * `action`: actionDim per row). A transition cannot be both terminated and truncated-only: when
   * both flags are set, termination wins (the task ended; Gymnasium allows both).
   * @throws ReplayError on a non-finite value (the buffer is untouched then).
   */
  add(
    obs: ArrayLike<number>,
    action: ArrayLike<number>,
    reward: number,
    nextObs: ArrayLike<number>,
    terminated: boolean,
    truncated: boolean,
    row = 0,
  ): void {
    const od = this.obsDim;
    const ad = this.actionDim;
    const oOff = row * od;
    const aOff = row * ad;
    if (!Number.isFinite(reward)) throw new ReplayError(`ReplayBuffer.add: reward must be finite, got ${reward}`);
    for (let j = 0; j < od; j++) {
      if (!Number.isFinite(obs[oOff + j]) || !Number.isFinite(nextObs[oOff + j])) {
        throw new ReplayError(`ReplayBuffer.add: observation element ${j} must be finite, got obs ${obs[oOff + j]}, nextObs ${nextObs[oOff + j]}`);
      }
    }
    for (let j = 0; j < ad; j++) {
      if (!Number.isFinite(action[aOff + j])) throw new ReplayError(`ReplayBuffer.add: action element ${j} must be finite, got ${action[aOff + j]}`);
    }
    const p = this.pos;
    for (let j = 0; j < od; j++) {
      this.obs[p * od + j] = obs[oOff + j];
      this.nextObs[p * od + j] = nextObs[oOff + j];
    }
    for (let j = 0; j < ad; j++) this.actions[p * ad + j] = action[aOff + j];
    this.rewards[p] = reward;
    this.terminated[p] = terminated ? 1 : 0;
    this.truncated[p] = truncated && !terminated ? 1 : 0;
    this.pos = p + 1 === this.capacity ? 0 : p + 1;
    if (this.count < this.capacity) this.count++;
  }

  /**
   * Draws `batchSize` rows uniformly with replacement (as SB3 and CleanRL) into the reused batch.
   * @throws ReplayError when the buffer is empty or batchSize is not a positive integer.
   */
  sample(batchSize: number, rng: Rng): ReplayBatch {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ReplayError(`ReplayBuffer.sample: batchSize must be a positive integer, got ${String(batchSize)}`);
    if (this.count === 0) throw new ReplayError('ReplayBuffer.sample: the buffer is empty');
    let b = this.batch;
    let idx = this.batchIdx;
    if (b === undefined || b.size !== batchSize || idx === undefined) {
      b = {
        size: batchSize,
        obs: new Float32Array(batchSize * this.obsDim),
        nextObs: new Float32Array(batchSize * this.obsDim),
        actions: new Float32Array(batchSize * this.actionDim),
        rewards: new Float32Array(batchSize),
        dones: new Float32Array(batchSize),
      };
      idx = new Uint32Array(batchSize);
      this.batch = b;
      this.batchIdx = idx;
    }
    const n = this.count;
    for (let i = 0; i < batchSize; i++) idx[i] = Math.floor(rng.next() * n);
    this.gather(idx, b);
    return b;
  }

  /** Copies rows `idx` into `out` (exposed for tests that need chosen rows). */
  gather(idx: ArrayLike<number>, out: ReplayBatch): void {
    const od = this.obsDim;
    const ad = this.actionDim;
    for (let i = 0; i < out.size; i++) {
      const r = idx[i];
      if (!(r >= 0 && r < this.count)) throw new ReplayError(`ReplayBuffer.gather: row ${r} is not in [0, ${this.count})`);
      for (let j = 0; j < od; j++) {
        out.obs[i * od + j] = this.obs[r * od + j];
        out.nextObs[i * od + j] = this.nextObs[r * od + j];
      }
      for (let j = 0; j < ad; j++) out.actions[i * ad + j] = this.actions[r * ad + j];
      out.rewards[i] = this.rewards[r];
      out.dones[i] = this.terminated[r];
    }
  }

  /** A plain snapshot for checkpoints (only the filled rows' arrays, whole). */
  state(): { pos: number; count: number } {
    return { pos: this.pos, count: this.count };
  }

  /** Restores position and count after the arrays were filled from a checkpoint. */
  restore(pos: number, count: number): void {
    if (!Number.isInteger(count) || count < 0 || count > this.capacity) throw new ReplayError(`ReplayBuffer.restore: count ${count} is not in [0, ${this.capacity}]`);
    if (!Number.isInteger(pos) || pos < 0 || pos >= this.capacity) throw new ReplayError(`ReplayBuffer.restore: pos ${pos} is not in [0, ${this.capacity})`);
    this.pos = pos;
    this.count = count;
  }
}
