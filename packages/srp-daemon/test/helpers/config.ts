// Config problems of a YAML text, as the tests compare them.
import { tmpdir } from 'node:os';
import { ConfigError, loadConfigText } from '../../src/config/config.js';

/** The issues loadConfigText reports for `yaml` (relative paths from `dir`), [] when valid. */
export function configIssues(yaml: string, dir = tmpdir()): { key: string; reason: string }[] {
  try {
    loadConfigText(yaml, dir);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}
