/** CLOCK_MONOTONIC in ms (process.hrtime): the clock srpd's probe log and receipt times use, comparable between processes on one host. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
