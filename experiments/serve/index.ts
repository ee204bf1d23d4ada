/** `execution-gym serve --stdio`: envs served to another process over its standard streams (python/PROTOCOL.md). */
export { PROTOCOL_VERSION, MAGIC, KIND, HEADER_BYTES, WANT_INFO, TERMINATED, TRUNCATED, HAS_INFO, Encoder, Request, ServeError, type InfoMode } from './protocol.ts';
export { ServeSession, type SessionOptions } from './session.ts';
export { EvaluationSession } from './evaluation.ts';
export { FdFrameReader, writeAll, guardStdout, serveFds } from './stdio.ts';
