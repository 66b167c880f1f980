import type { Bench } from '../bench.js';
import type { Cell } from '../result.js';
import { wireBench } from './wire.js';

/** Every bench, in the order `npm run bench` runs them. */
export const BENCHES: ReadonlyArray<Bench<Record<string, Cell>>> = [wireBench];
