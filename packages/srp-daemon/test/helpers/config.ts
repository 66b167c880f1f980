// A minimal valid srpd config and the issues a YAML text raises, for the config tests.
import { tmpdir } from 'node:os';
import { ConfigError, loadConfigText } from '../../src/config/config.js';

export const BASE_CONFIG = `
chassis-id: east
mode: primary
priority: 10
cf-mac: 00-02-43-03-1C-2B
bind: 127.0.0.1:5701
peer: 127.0.0.1:5702
auth-key: 0123456789abcdef0123
`;

/** The ConfigError issues of `yaml`, or [] when it loads. */
export function configIssues(yaml: string): { key: string; reason: string }[] {
  try {
    loadConfigText(yaml, tmpdir());
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}
