/** A LOBSTER file (or a row in it) is malformed: the message names the file, the line and the value. */
export class LobsterFormatError extends Error {
  override name = 'LobsterFormatError';
}

/** Invalid arguments to the replay tools (level counts, tick sizes, writer calls). */
export class ReplayError extends Error {
  override name = 'ReplayError';
}
