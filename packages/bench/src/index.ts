// Building blocks for benches (the CLI in cli/bench.ts runs the ones in benches/).
export { runBench, numberOption, listOption, parseDataShape, type Bench, type BenchContext, type BenchOptions } from './bench.js';
export { BENCHES } from './benches/index.js';
export { monotonicMs } from './clock.js';
export { APNS, DATA_SHAPES, LIFETIME_MS, Rng, SessionData, mix, opsBody, upsertJson, type DataShape, type SessionSpec, type UpdateSpec } from './data.js';
export { API_FORMAT, PROBE_PREFIX, SessionDriver, apiSender, probeLag, type Lag, type OpFormat } from './driver.js';
export { fullGc, memoryNow } from './gc.js';
export { CpuHog } from './hog.js';
export { EnginePair, WireEndpoint, captureActive, createSession, tick, updateSession, type Captured } from './inproc.js';
export { commit, load, machine, repoRoot, type Commit, type LoadAverage, type Machine } from './machine.js';
export { CpuMeter, cpuSeconds, eventLoopDelay, parseMetrics, type Samples } from './metrics.js';
export { DaemonPair, Srpd, freePort, mergeConfig, sleep, srpdPath, waitFor, type Config, type PairOptions, type SrpdOptions } from './pair.js';
export { fillMarkers, newest, readResults, renderResult, updateReadmes } from './readme.js';
export { RedisConnection, command } from './redis/resp.js';
export { RedisServer, findRedis } from './redis/server.js';
export {
  describe,
  markdownTable,
  measureRun,
  newResult,
  printRun,
  resultsDir,
  textTable,
  writeResult,
  type BenchResult,
  type Cell,
  type Column,
  type Run,
  type RunOutput,
  type Table,
} from './result.js';
export { percentile, round, summarize, type Summary } from './stats.js';
export { timeLoop, type Timed } from './timing.js';
export { runWriter, type Call, type CallReply, type ProbeSent, type WriterOptions, type WriterResult } from './writer.js';
