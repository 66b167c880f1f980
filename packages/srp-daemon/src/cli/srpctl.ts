// srpctl: the operator's command line for srpd, over the management HTTP API.
//   srpctl [--api URL] [--token T] [--json] COMMAND...
// Exit status: 0 done, 1 refused or failed, 2 usage error, 3 srpd unreachable.
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_API_URL } from '../management/address.js';
import { ApiError, SrpClient } from '../client/client.js';
import {
  commandName,
  EXIT_OK,
  EXIT_UNREACHABLE,
  EXIT_USAGE,
  findCommand,
  runCommand,
  UsageError,
  type CommandIO,
  type CommandSpec,
} from '../management/commands.js';
import { SRPCTL_COMMANDS } from './commands.js';

export function usage(commands: readonly CommandSpec[] = SRPCTL_COMMANDS): string {
  const names = commands.map((c) => [commandName(c), c.summary] as const);
  const width = Math.max(...names.map(([n]) => n.length)) + 2;
  return [
    'usage: srpctl [--api URL] [--token T] [--json] [--timeout S] COMMAND...',
    '',
    'Commands:',
    ...names.map(([n, s]) => `  ${n.padEnd(width)}${s}`),
    '',
    'Options:',
    `  --api URL      management API of srpd (default: $SRPCTL_API or ${DEFAULT_API_URL})`,
    '  --token T      bearer token for mutating calls (default: $SRPCTL_TOKEN)',
    '  --json         print the API JSON instead of tables',
    '  --timeout S    seconds to wait for srpd (default 60)',
    '  --count N      events: exit after N events',
    '  --type A,B     events: only these event types',
    '  -h, --help     this text',
    '',
    'Exit status: 0 done, 1 refused or failed, 2 usage error, 3 srpd unreachable.',
  ].join('\n');
}

export interface MainIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
}

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name} must be a positive integer, got "${v}"`);
  return Number(v);
}

export async function main(argv: readonly string[], io: MainIO, commands: readonly CommandSpec[] = SRPCTL_COMMANDS): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        api: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        count: { type: 'string' },
        type: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.stderr(`srpctl: ${(err as Error).message}\n${usage(commands).split('\n')[0]}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help || (positionals.length === 1 && positionals[0] === 'help')) {
    io.stdout(usage(commands));
    return EXIT_OK;
  }
  if (positionals.length === 0) {
    io.stderr(`srpctl: no command given\n${usage(commands)}`);
    return EXIT_USAGE;
  }
  try {
    const timeoutS = positiveInt('timeout', values.timeout);
    const count = positiveInt('count', values.count);
    const { spec, args } = findCommand(commands, positionals);
    const baseUrl = values.api ?? io.env.SRPCTL_API ?? DEFAULT_API_URL;
    if (!/^https?:\/\/[^/]+/.test(baseUrl)) throw new UsageError(`--api must be an http:// URL, got "${baseUrl}"`);
    const token = values.token ?? io.env.SRPCTL_TOKEN;
    const client = new SrpClient(baseUrl, { token: token === '' ? undefined : token, timeoutMs: (timeoutS ?? 60) * 1000 });
    const cio: CommandIO = { out: io.stdout, err: (t) => io.stderr(`srpctl: ${t}`), json: values.json };
    const types = values.type?.split(',').map((t) => t.trim()).filter((t) => t !== '');
    try {
      return await runCommand(spec, args, client, cio, commands, { count, types, signal: io.signal });
    } finally {
      client.close();
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`srpctl: ${err.message}`);
      return EXIT_USAGE;
    }
    if (err instanceof ApiError && err.code === 'SRP_ERR_API_UNREACHABLE') {
      io.stderr(`srpctl: ${err.message}`);
      return EXIT_UNREACHABLE;
    }
    throw err;
  }
}

export async function cli(): Promise<void> {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  process.once('SIGTERM', () => ac.abort());
  const write = (stream: NodeJS.WriteStream) => (text: string) => {
    stream.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  try {
    process.exitCode = await main(process.argv.slice(2), { stdout: write(process.stdout), stderr: write(process.stderr), env: process.env, signal: ac.signal });
  } catch (err) {
    process.stderr.write(`srpctl: internal error: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
  // Nothing else should keep us alive (event stream closed, signal handlers registered).
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
}

// Run when executed directly or through bin/srpctl.js (which imports this module), not when a
// test or another module imports it for main() or usage().
if (/^srpctl(\.[cm]?js)?$/.test(basename(process.argv[1] ?? ''))) await cli();
