// A PNG of a web page from headless Chromium (Debian's `chromium`): a fresh profile in a
// temporary directory, no background networking, no component updates, no sync, no first-run
// UI; --no-sandbox because the tests run as root. Virtual time lets the page's scripts fetch and
// draw before the picture is taken.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ContainerError, run, which } from './run.js';

export function chromiumPath(): string | null {
  return which('chromium') ?? which('chromium-browser');
}

export interface ScreenshotOptions {
  width?: number;
  height?: number;
  /** Virtual milliseconds the page may run before the picture (default 8000). */
  budgetMs?: number;
}

/** Width and height from a PNG's IHDR chunk; throws when `png` is not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new ContainerError('SRP_CTR_BAD_ARGUMENT', 'not a PNG file');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Opens `url` and writes a PNG to `out`; returns its size in pixels and bytes. */
export async function screenshot(url: string, out: string, opts: ScreenshotOptions = {}): Promise<{ width: number; height: number; bytes: number }> {
  const chromium = chromiumPath();
  if (chromium === null) throw new ContainerError('SRP_CTR_NOT_FOUND', 'chromium is not installed (Debian package chromium)');
  const width = opts.width ?? 1280;
  const height = opts.height ?? 720;
  const profile = mkdtempSync(join(tmpdir(), 'srp-chromium-'));
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  try {
    const r = await run(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--window-size=${width},${height}`,
        `--virtual-time-budget=${opts.budgetMs ?? 8000}`,
        `--screenshot=${out}`,
        url,
      ],
      { timeoutMs: 90_000, env: { HOME: profile } },
    );
    if (!existsSync(out)) throw new ContainerError('SRP_CTR_COMMAND_FAILED', `chromium wrote no screenshot (exit ${r.status}):\n${r.stderr.trim().split('\n').slice(-10).join('\n')}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const png = readFileSync(out);
  return { ...pngSize(png), bytes: png.length };
}
