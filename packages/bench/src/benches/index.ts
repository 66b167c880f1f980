import type { Bench } from '../bench.js';
import type { Cell } from '../result.js';
import { engineBench } from './engine.js';
import { replicationBench } from './replication.js';
import { takeoverBench } from './takeover.js';
import { wireBench } from './wire.js';

type AnyBench = Bench<Record<string, Cell>>;

/** Every bench, in the order `npm run bench` runs them. */
export const BENCHES: readonly AnyBench[] = [wireBench, engineBench, replicationBench, takeoverBench];
