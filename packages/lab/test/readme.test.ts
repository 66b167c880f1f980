// The scenario tables of both READMEs are the registry's own words: what each scenario
// injects and judges (`npm run chaos -- --list --markdown` prints the table).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioTable, SCENARIOS } from '../src/chaos/registry.js';
import { root } from './helpers.js';

describe('README scenario tables', () => {
  for (const file of ['README.md', join('packages', 'lab', 'README.md')]) {
    it(`${file} carries the registry's table`, () => {
      expect(readFileSync(join(root, file), 'utf8')).toContain(scenarioTable());
    });
  }

  it('names every scenario once', () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of SCENARIOS) {
      expect(s.summary.length, s.name).toBeGreaterThan(10);
      expect(s.judges.length, s.name).toBeGreaterThan(10);
    }
  });
});
