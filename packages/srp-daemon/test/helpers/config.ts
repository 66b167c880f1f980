// A minimal valid srpd config and the issues a YAML text raises, for the config tests.
import { tmpdir } from 'node:os';
import { ConfigError, loadConfigText } from '../../src/config/config.js';

/** The keys every config needs but the link keys (east, primary, 127.0.0.1:5701 -> :5702). */
export const CONFIG_WITHOUT_KEYS = `
chassis-id: east
mode: primary
priority: 10
cf-mac: 00-02-43-03-1C-2B
bind: 127.0.0.1:5701
peer: 127.0.0.1:5702
`;

/** A whole minimal config: CONFIG_WITHOUT_KEYS and an auth-key. */
export const BASE_CONFIG = `${CONFIG_WITHOUT_KEYS}auth-key: 0123456789abcdef0123
`;

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
