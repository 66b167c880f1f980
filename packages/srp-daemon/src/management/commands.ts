// srpctl's commands as data: the words that name one, its trailing arguments, the API call it
// makes and how to render the answer; how a command line finds its command and runs it; and
// the SRP core's own commands. Each plane declares its commands next to its routes
// (replication/commands.ts, monitors/commands.ts, ...); cli/commands.ts puts the table together.
import type { ConfigValidationResult, SrpInfo, SrpStatistics, SwitchoverResult } from '../api/contract.js';
import type { FollowEventsOptions, FollowEventsResult } from './events.js';
import {
  configValidationRefusal,
  renderConfigValidation,
  renderEvent,
  renderInfo,
  renderStatistics,
  renderSwitchover,
  switchoverRefusal,
} from './render.js';

/** A trailing argument: a keyword from `choices`, or an integer in `int`'s range. */
export interface CommandArg {
  name: string;
  choices?: readonly string[];
  int?: { min: number; max: number };
  optional?: boolean;
}

export type ArgValues = Record<string, string | number | undefined>;

interface CommandBase {
  words: readonly string[];
  args?: readonly CommandArg[];
  summary: string;
  /**
   * Argument sets included in `show support details` (default: `[{}]` for `show` commands
   * whose arguments are all optional, none otherwise). `false` leaves the command out.
   */
  support?: readonly ArgValues[] | false;
}

export interface HttpCommand extends CommandBase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string | ((args: ArgValues) => string);
  body?: (args: ArgValues) => unknown;
  /** Human output of a 2xx (and 409) body. */
  render: (data: never, args: ArgValues) => string;
  /** One-line reason for a 409 (refused); default: the body's `reasons` or `error`. */
  refusal?: (data: never) => string;
}

/** What a command needs of the API client (SrpClient, client/client.ts). */
export interface CommandClient {
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  followEvents(opts: FollowEventsOptions): Promise<FollowEventsResult>;
}

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  json: boolean;
}

/** Options of srpctl itself that some commands read. */
export interface RunOptions {
  /** `--count N`: stop after N events. */
  count?: number | undefined;
  /** `--type a,b`: only these event types. */
  types?: string[] | undefined;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal | undefined;
}

export interface CustomCommand extends CommandBase {
  run(ctx: { client: CommandClient; io: CommandIO; args: ArgValues; commands: readonly CommandSpec[]; options: RunOptions }): Promise<number>;
}

export type CommandSpec = HttpCommand | CustomCommand;

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNREACHABLE = 3;

export function commandName(spec: CommandSpec): string {
  const args = (spec.args ?? []).map((a) => {
    const shape = a.choices ? a.choices.join('|') : a.name;
    return a.optional ? `[${shape}]` : a.choices && a.choices.length > 1 ? `{${shape}}` : shape;
  });
  return [...spec.words, ...args].join(' ');
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Finds the command named by `argv` (longest match of words) and parses its arguments. */
export function findCommand(commands: readonly CommandSpec[], argv: readonly string[]): { spec: CommandSpec; args: ArgValues } {
  const matches = commands
    .filter((c) => c.words.length <= argv.length && c.words.every((w, i) => w === argv[i]))
    .sort((a, b) => b.words.length - a.words.length);
  const spec = matches[0];
  if (!spec) {
    const said = argv.join(' ');
    const near = commands.filter((c) => c.words.slice(0, Math.min(argv.length, 2)).join(' ') === argv.slice(0, 2).join(' '));
    const hint = near.length > 0 ? `; did you mean: ${near.map(commandName).join(', ')}` : '; see srpctl --help';
    throw new UsageError(`unknown command "${said}"${hint}`);
  }
  return { spec, args: parseArgs(spec, argv.slice(spec.words.length)) };
}

function parseArgs(spec: CommandSpec, rest: readonly string[]): ArgValues {
  const defs = spec.args ?? [];
  const values: ArgValues = {};
  let i = 0;
  for (const def of defs) {
    const tok = rest[i];
    if (tok === undefined) {
      if (!def.optional) throw new UsageError(`"${spec.words.join(' ')}" needs ${def.name}: ${commandName(spec)}`);
      continue;
    }
    if (def.choices) {
      if (!def.choices.includes(tok)) {
        if (def.optional) continue;
        throw new UsageError(`${def.name} must be one of ${def.choices.join(', ')}, got "${tok}"`);
      }
      values[def.name] = tok;
    } else if (def.int) {
      const n = Number(tok);
      if (!/^-?\d+$/.test(tok) || n < def.int.min || n > def.int.max) {
        throw new UsageError(`${def.name} must be an integer from ${def.int.min} to ${def.int.max}, got "${tok}"`);
      }
      values[def.name] = n;
    } else {
      values[def.name] = tok;
    }
    i++;
  }
  if (i < rest.length) throw new UsageError(`unexpected "${rest.slice(i).join(' ')}" after "${spec.words.join(' ')}": ${commandName(spec)}`);
  return values;
}

function defaultRefusal(body: unknown): string {
  const b = body as { reasons?: unknown; error?: unknown } | null;
  if (b && Array.isArray(b.reasons) && b.reasons.length > 0) return `refused: ${b.reasons.join('; ')}`;
  if (b && typeof b.error === 'string') return b.error;
  return typeof body === 'string' && body !== '' ? body : 'refused';
}

function errorLine(status: number, body: unknown): string {
  const b = body as { error?: unknown; code?: unknown } | null;
  const msg = b && typeof b.error === 'string' ? b.error : typeof body === 'string' ? body.trim().split('\n')[0] : '';
  const code = b && typeof b.code === 'string' ? ` ${b.code}` : '';
  return `srpd answered ${status}${code}${msg ? `: ${msg}` : ''}`;
}

/** Runs one HTTP command; returns the exit code. Unreachable errors propagate. */
export async function runHttpCommand(spec: HttpCommand, args: ArgValues, client: CommandClient, io: CommandIO): Promise<number> {
  const path = typeof spec.path === 'function' ? spec.path(args) : spec.path;
  const res = await client.request(spec.method, path, spec.body?.(args));
  const ok = res.status >= 200 && res.status < 300;
  if (ok || res.status === 409) {
    io.out(io.json ? JSON.stringify(res.body, null, 2) : spec.render(res.body as never, args));
    if (ok) return EXIT_OK;
    io.err((spec.refusal ?? defaultRefusal)(res.body as never));
    return EXIT_REFUSED;
  }
  if (io.json) io.out(JSON.stringify(res.body, null, 2));
  io.err(errorLine(res.status, res.body));
  return EXIT_REFUSED;
}

export async function runCommand(
  spec: CommandSpec,
  args: ArgValues,
  client: CommandClient,
  io: CommandIO,
  commands: readonly CommandSpec[],
  options: RunOptions = {},
): Promise<number> {
  return 'run' in spec ? spec.run({ client, io, args, commands, options }) : runHttpCommand(spec, args, client, io);
}

/** The (command, args) pairs `show support details` runs, in table order. */
export function supportCommands(commands: readonly CommandSpec[]): Array<{ spec: HttpCommand; args: ArgValues; name: string }> {
  const list: Array<{ spec: HttpCommand; args: ArgValues; name: string }> = [];
  for (const spec of commands) {
    if ('run' in spec || spec.support === false) continue;
    const sets = spec.support ?? (spec.words[0] === 'show' && (spec.args ?? []).every((a) => a.optional) ? [{}] : []);
    for (const args of sets) {
      const extra = (spec.args ?? []).map((a) => args[a.name]).filter((v) => v !== undefined);
      list.push({ spec, args, name: [...spec.words, ...extra.map(String)].join(' ') });
    }
  }
  return list;
}

export const SUPPORT_DETAILS_COMMAND: CustomCommand = {
  words: ['show', 'support', 'details'],
  summary: 'every show command above in one bundle (for a bug report)',
  support: false,
  async run({ client, io, commands }) {
    const bundle: Record<string, unknown> = {};
    const texts: string[] = [];
    for (const { spec, args, name } of supportCommands(commands)) {
      const path = typeof spec.path === 'function' ? spec.path(args) : spec.path;
      const res = await client.request(spec.method, path, spec.body?.(args));
      // 404: a feature this srpd does not run (no `hardware:` section): leave it out.
      if (res.status === 404) continue;
      const ok = (res.status >= 200 && res.status < 300) || res.status === 409;
      bundle[name] = ok ? res.body : { error: errorLine(res.status, res.body), status: res.status };
      texts.push(`========== ${name} ==========\n${ok ? spec.render(res.body as never, args) : errorLine(res.status, res.body)}\n`);
    }
    io.out(io.json ? JSON.stringify(bundle, null, 2) : texts.join('\n'));
    return EXIT_OK;
  },
};

export const EVENTS_COMMAND: CustomCommand = {
  words: ['events'],
  summary: 'follow the event stream, one line per event (--json: raw JSON lines; --count N; --type a,b)',
  support: false,
  async run({ client, io, options }) {
    const { received, closedByServer } = await client.followEvents({
      onEvent: (event, raw) => io.out(io.json ? raw : renderEvent(event)),
      count: options.count,
      types: options.types,
      signal: options.signal,
    });
    if (closedByServer && (options.count === undefined || received < options.count)) {
      io.err(`event stream closed by srpd after ${received} event${received === 1 ? '' : 's'}`);
      return EXIT_REFUSED;
    }
    return EXIT_OK;
  },
};

/** show srp info / statistics, the switchover and the configuration check. */
export const SRP_COMMANDS: CommandSpec[] = [
  {
    words: ['show', 'srp', 'info'],
    summary: 'chassis state, mode, priority, route modifier, peer, link, last switchover',
    method: 'GET',
    path: '/v1/srp/info',
    render: (d: SrpInfo) => renderInfo(d),
  },
  {
    words: ['show', 'srp', 'statistics'],
    summary: 'hellos, switchovers, configuration validation, refused connections, link counters',
    method: 'GET',
    path: '/v1/srp/statistics',
    render: (d: SrpStatistics) => renderStatistics(d),
  },
  {
    words: ['srp', 'initiate-switchover'],
    args: [{ name: 'force', choices: ['force'], optional: true }],
    summary: 'hand the Active role to the peer (refused unless the peer is Standby and ready, or force)',
    method: 'POST',
    path: '/v1/srp/switchover',
    body: (a) => ({ force: a.force === 'force' }),
    render: (d: SwitchoverResult) => renderSwitchover('Switchover', d),
    refusal: (d: SwitchoverResult) => switchoverRefusal('switchover', d),
  },
  {
    words: ['srp', 'validate-switchover'],
    summary: 'say whether a switchover would be accepted now, and why not',
    method: 'GET',
    path: '/v1/srp/validate-switchover',
    render: (d: SwitchoverResult) => renderSwitchover('Switchover would be', d),
    refusal: (d: SwitchoverResult) => switchoverRefusal('switchover would be', d),
  },
  {
    words: ['srp', 'validate-configuration'],
    summary: "compare this chassis's configuration with the peer's",
    method: 'POST',
    path: '/v1/srp/validate-configuration',
    render: (d: ConfigValidationResult) => renderConfigValidation(d),
    refusal: (d: ConfigValidationResult) => configValidationRefusal(d),
  },
];
