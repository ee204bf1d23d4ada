// Imported by the server in the stdio test: stray output must end up on stderr, never among the frames.
process.stdout.write('noise from process.stdout.write\n');
// eslint-disable-next-line no-console
(console.log as (...a: unknown[]) => void)('noise from console.log');
export const noisy = true;
