// A helper process beside one chassis, for the scenarios that need something on its network:
// real FreeRADIUS servers it probes, an attacker that records, replays and floods on its SRP
// port. In the chassis' network namespace when the link is in the kernel (a server on the
// namespace's loopback, connections from the chassis' own SRP address), on the host's loopback
// otherwise. agent-main.ts is the process; this is its handle: one request, one answer.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wrapFor, type NetnsPlan } from '../lab/netns.js';

interface Answer {
  id: number;
  ok: boolean;
  error?: string;
  [k: string]: unknown;
}

/** The built agent-main.js (vitest runs this file from src/: the process runs the built one). */
function mainPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return here.replace(/\/src\/chaos\/agent\.ts$/, '/dist/src/chaos/agent-main.js');
  return join(dirname(here), 'agent-main.js');
}

export class AgentError extends Error {
  override readonly name = 'AgentError';
  readonly code = 'SRP_LAB_AGENT';
}

export class Agent {
  private seq = 0;
  private readonly waiting = new Map<number, (a: Answer) => void>();
  private readonly exited: Promise<void>;
  private stderr = '';

  private constructor(
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      for (const [, settle] of this.waiting) settle({ id: -1, ok: false, error: `agent ${label} exited: ${this.stderr.slice(-400)}` });
      this.waiting.clear();
    });
    let buf = '';
    child.stdout?.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const line of parts) {
        let a: Answer;
        try {
          a = JSON.parse(line) as Answer;
        } catch {
          continue;
        }
        this.waiting.get(a.id)?.(a);
        this.waiting.delete(a.id);
      }
    });
    child.stderr?.on('data', (c: Buffer) => void (this.stderr = (this.stderr + c.toString('utf8')).slice(-4000)));
  }

  /** Starts an agent under `wrap` (a namespace's `ip netns exec NS`, or nothing); resolves once it answers. */
  static async start(label: string, wrap: readonly string[] = []): Promise<Agent> {
    const cmd = [...wrap, process.execPath, mainPath()];
    const child = spawn(cmd[0] ?? process.execPath, cmd.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    child.once('error', () => undefined);
    const agent = new Agent(label, child);
    const ready = await agent.answer(0, 15_000);
    if (!ready.ok) throw new AgentError(`agent ${label} did not start: ${ready.error ?? ''}`);
    return agent;
  }

  private answer(id: number, timeoutMs: number): Promise<Answer> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ id, ok: false, error: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
      this.waiting.set(id, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
    });
  }

  /** Sends one request; its answer, or an AgentError naming the command and why. */
  async request<T extends object>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
    const id = ++this.seq;
    const reply = this.answer(id, timeoutMs);
    this.child.stdin?.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    const a = await reply;
    if (!a.ok) throw new AgentError(`agent ${this.label}: ${cmd}: ${a.error ?? 'failed'}`);
    return a as unknown as T;
  }

  /** Closes its stdin (it stops what it started and exits); SIGKILL after 5 s. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** One agent beside each chassis ('a', 'b'): in its namespace under `netns`, else on loopback. */
export async function agentsBeside(netns: NetnsPlan | null, what: string): Promise<Record<'a' | 'b', Agent>> {
  const a = await Agent.start(`${what} beside a`, netns ? wrapFor(netns, 0) : []);
  try {
    return { a, b: await Agent.start(`${what} beside b`, netns ? wrapFor(netns, 1) : []) };
  } catch (err) {
    await a.close();
    throw err;
  }
}
