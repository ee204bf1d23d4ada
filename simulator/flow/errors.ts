/** Thrown for invalid Hawkes parameters or arguments (the message names the value and what is allowed). */
export class FlowError extends Error {
  override name = 'FlowError';
}
