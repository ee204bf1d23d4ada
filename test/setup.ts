// Tests must not print: any console output fails the test that made it (zod's rule).
// A test that expects output replaces the console method with vi.spyOn(...).mockImplementation.
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[method] = (...args: unknown[]): void => {
    throw new Error(`unexpected console.${method} in a test: ${args.map(String).join(' ').slice(0, 300)}`);
  };
}
