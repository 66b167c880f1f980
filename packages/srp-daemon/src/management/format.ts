// Plain-text layout for srpctl: key-value blocks and column tables, StarOS style.

export type Row = readonly [label: string, value: string | number | boolean | null | undefined];

export function value(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined || v === '') return 'n/a';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return String(v);
}

/** "Label:   value" lines with the values aligned; a row whose label is '' is a blank line. */
export function keyValues(rows: readonly Row[], indent = 0): string {
  const width = Math.max(0, ...rows.filter(([l]) => l !== '').map(([l]) => l.length)) + 2;
  const pad = ' '.repeat(indent);
  return rows.map(([l, v]) => (l === '' ? '' : `${pad}${`${l}:`.padEnd(width)}${value(v)}`)).join('\n');
}

export function heading(title: string): string {
  return `${title}\n${'-'.repeat(Math.max(title.length, 40))}`;
}

/** Column table; numbers are right-aligned. */
export function table(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  const cells = rows.map((r) => r.map((c) => value(c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'n/a';
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [d > 0 ? `${d}d` : '', `${String(h).padStart(2, '0')}h`, `${String(m).padStart(2, '0')}m`, `${String(s % 60).padStart(2, '0')}s`];
  return parts.filter((p) => p !== '').join(' ');
}

export function ms(msValue: number): string {
  return msValue % 1000 === 0 ? `${msValue / 1000} s` : `${msValue} ms`;
}

export function titleCase(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}
