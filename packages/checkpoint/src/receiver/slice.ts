/**
 * Work slice of the receiver before it yields to the event loop, in real milliseconds. 2 ms,
 * like the link's decoding slice: both run in the same loop turn (one socket read decoded, then
 * the queue), and a scavenge of the bulk sync (10-20 ms on a busy 2-core box) lands on top of
 * both. The Standby's event-loop delay p99 during a 1M bulk sync was 29-30 ms with 8 ms slices,
 * 21-23 with 4, and 13-20 ms with 4 against 12-16 with 2 on 2026-12-03 (docs/perf/checkpoint.md).
 */
export const SLICE_MS = 2;
