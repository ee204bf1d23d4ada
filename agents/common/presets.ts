/**
 * Looking up tuned hyperparameters. Each algorithm keeps its table in its config.ts (PPO_PRESETS,
 * SAC_PRESETS: the one place for tuned per-env configs), keyed by env id, or by
 * `<env id>:<action mode>` for a mode other than the env's default market orders, or
 * `<env id>:<action mode>:<action base>` for residual actions (the env's `actionBase` option).
 */

/**
 * The preset of `envId` with `envOptions`: `<envId>:<actionMode>` when the options ask for a mode
 * and the table has it; otherwise `<envId>` when no mode or 'market' is asked (the presets are tuned
 * for market-order actions); otherwise none ({}), so the schema's defaults apply.
 */
export function presetFor<T extends object>(table: Readonly<Record<string, T>>, envId: string, envOptions: Readonly<Record<string, unknown>> = {}): Partial<T> {
  const mode = envOptions.actionMode;
  // Residual actions (actionBase) mean something else by the same numbers: only their own preset.
  const base = envOptions.actionBase;
  if (typeof base === 'string' && base !== 'none') return table[`${envId}:${String(mode)}:${base}`] ?? {};
  if (typeof mode === 'string' && table[`${envId}:${mode}`] !== undefined) return table[`${envId}:${mode}`];
  if (mode === undefined || mode === 'market') return table[envId] ?? {};
  return {};
}
