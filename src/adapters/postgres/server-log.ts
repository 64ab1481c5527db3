/**
 * The embedded server's output (initdb and postgres write to stderr): appended to a file when one
 * is given, and its last lines kept so that a failed start can say why.
 */
import { appendFileSync } from 'node:fs';

export class ServerLog {
  private lines: string[] = [];

  constructor(
    private readonly file?: string,
    private readonly forward?: (text: string) => void,
  ) {}

  readonly write = (text: string): void => {
    // Synchronous so that a test reading the file right after a statement finds it there. Mode
    // 0600: with log_statement the log holds SQL (never a plaintext password, but still ours).
    if (this.file) appendFileSync(this.file, text, { mode: 0o600 });
    this.lines.push(...text.split('\n').filter((line) => line.trim() !== ''));
    if (this.lines.length > 200) this.lines = this.lines.slice(-100);
    this.forward?.(text);
  };

  /** Errors the library reports (e.g. from useradd) go to the same log. */
  readonly error = (error: unknown): void => {
    this.write(`${error instanceof Error ? error.message : String(error)}\n`);
  };

  /** Forgets the kept lines (not the file): tail() and includes() then see only what follows. */
  startSection(): void {
    this.lines = [];
  }

  tail(count = 15): string {
    return this.lines.slice(-count).join('\n');
  }

  includes(text: string): boolean {
    return this.lines.some((line) => line.includes(text));
  }
}
