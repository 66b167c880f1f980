/** Resolves in the event loop's next check phase: lets I/O and timers run between two slices of work. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
