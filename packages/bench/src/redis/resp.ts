// A minimal RESP2 client for the Redis baseline: pipelined commands over one TCP connection,
// replies parsed in order, and pattern subscriptions. Only what the baseline needs.
import { connect, type Socket } from 'node:net';

export type Reply = string | number | null | Error | Reply[];

/** One command in RESP (an array of bulk strings). */
export function command(args: readonly string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return s;
}

/** Parses one reply at `pos`; null when the buffer holds only part of it. */
function parse(buf: Buffer, pos: number): { value: Reply; next: number } | null {
  if (pos >= buf.length) return null;
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[pos] ?? 0);
  const line = buf.toString('utf8', pos + 1, eol);
  switch (type) {
    case '+':
      return { value: line, next: eol + 2 };
    case '-':
      return { value: new Error(line), next: eol + 2 };
    case ':':
      return { value: Number(line), next: eol + 2 };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, next: eol + 2 };
      if (eol + 2 + n + 2 > buf.length) return null;
      return { value: buf.toString('utf8', eol + 2, eol + 2 + n), next: eol + 2 + n + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, next: eol + 2 };
      const out: Reply[] = [];
      let at = eol + 2;
      for (let i = 0; i < n; i++) {
        const r = parse(buf, at);
        if (!r) return null;
        out.push(r.value);
        at = r.next;
      }
      return { value: out, next: at };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

export class RedisConnection {
  private buf: Buffer = Buffer.alloc(0);
  /** Pipelines waiting for replies, oldest first: replies still due, the first error, and the last reply. */
  private readonly waiting: Array<{ due: number; err: Error | null; resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  private head = 0;
  /** Pushed messages (pub/sub) go here instead of to a waiting command. */
  onPush: ((r: Reply[]) => void) | null = null;
  private subscribed = false;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (c: Buffer) => this.data(c));
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RedisConnection> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(new RedisConnection(s)));
      s.once('error', reject);
    });
  }

  private data(c: Buffer): void {
    this.buf = this.buf.length === 0 ? c : Buffer.concat([this.buf, c]);
    let pos = 0;
    for (;;) {
      const r = parse(this.buf, pos);
      if (!r) break;
      pos = r.next;
      if (this.subscribed && Array.isArray(r.value) && (r.value[0] === 'pmessage' || r.value[0] === 'message')) this.onPush?.(r.value);
      else this.reply(r.value);
    }
    if (this.head > 1024 && this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    }
    this.buf = pos === this.buf.length ? Buffer.alloc(0) : this.buf.subarray(pos);
  }

  private reply(v: Reply): void {
    const w = this.waiting[this.head];
    if (!w) return;
    if (v instanceof Error) w.err ??= v;
    if (--w.due > 0) return;
    this.head++;
    if (w.err) w.reject(w.err);
    else w.resolve(v);
  }

  /** Sends `n` commands already in RESP as one write; resolves with the last reply once all n are answered (rejects with the first error). */
  pipeline(resp: string, n: number): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ due: n, err: null, resolve, reject });
      this.socket.write(resp);
    });
  }

  call(...args: string[]): Promise<Reply> {
    return this.pipeline(command(args), 1);
  }

  /** PSUBSCRIBE; later messages go to onPush. */
  async psubscribe(pattern: string): Promise<void> {
    await this.call('PSUBSCRIBE', pattern);
    this.subscribed = true;
  }

  /** INFO section as key -> value. */
  async info(section: string): Promise<Record<string, string>> {
    const text = await this.call('INFO', section);
    const out: Record<string, string> = {};
    for (const line of String(text).split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
    }
    return out;
  }

  close(): void {
    this.socket.destroy();
  }
}
