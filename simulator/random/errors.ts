/** Thrown for invalid arguments to the random streams and distributions. */
export class RandomError extends Error {
  override name = 'RandomError';
}
