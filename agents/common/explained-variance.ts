/** Explained variance of a value function's predictions, as CleanRL and SB3 log it. */

/**
 * 1 − Var(y − ŷ) / Var(y) over the entries k with `mask[k] ≠ 0` (all entries without a mask):
 * 1 is a perfect prediction, 0 no better than the mean, negative worse. NaN for fewer than two
 * entries or when Var(y) = 0. Population variances (the ratio does not depend on the choice).
 */
export function explainedVariance(predicted: ArrayLike<number>, targets: ArrayLike<number>, mask?: ArrayLike<number>): number {
  const size = targets.length;
  let n = 0;
  let my = 0;
  let md = 0;
  for (let k = 0; k < size; k++) {
    if (mask !== undefined && mask[k] === 0) continue;
    n++;
    my += targets[k];
    md += targets[k] - predicted[k];
  }
  if (n < 2) return NaN;
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let k = 0; k < size; k++) {
    if (mask !== undefined && mask[k] === 0) continue;
    vy += (targets[k] - my) ** 2;
    const d = targets[k] - predicted[k];
    vd += (d - md) ** 2;
  }
  return vy === 0 ? NaN : 1 - vd / vy;
}
