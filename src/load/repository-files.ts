/**
 * Reads the files under `databases/` and `instances/`, and nothing that is not plainly one of them.
 *
 * Symbolic links are refused, never followed (a link could point anywhere outside the repository);
 * files are opened with O_NOFOLLOW and checked again after opening, so a link swapped in between
 * is refused too. `.yml` files are read like `.yaml` so that all their problems are reported, and
 * are also an error: one spelling keeps file names, and so database names, unique. Anything else in
 * those folders is reported, never silently skipped.
 *
 * The calls are synchronous on purpose: for a thousand small files they are several times faster
 * than the thread-pool round trips of fs/promises, and a CLI has nothing else to do meanwhile.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { MAX_FILE_BYTES } from './limits.js';

export type FileKind = 'database' | 'instance';

export interface SourceFile {
  /** Relative to the repository root, forward slashes: `databases/studentweb.yaml`. */
  readonly path: string;
  readonly kind: FileKind;
  readonly bytes: Uint8Array;
}

export interface RepositoryFiles {
  readonly files: readonly SourceFile[];
  readonly diagnostics: readonly Diagnostic[];
}

const FOLDERS: readonly { readonly folder: string; readonly kind: FileKind }[] = [
  { folder: 'databases', kind: 'database' },
  { folder: 'instances', kind: 'instance' },
];

/** Placeholders git needs to keep an empty folder; nothing else is skipped quietly. */
const IGNORED = new Set(['.gitkeep']);

export function readRepositoryFiles(root: string): RepositoryFiles {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const report = (path: string, severity: Diagnostic['severity'], code: string, message: string, hint?: string) =>
    diagnostics.push({ file: path, line: 1, column: 1, severity, code, message, ...(hint === undefined ? {} : { hint }) });

  for (const { folder, kind } of FOLDERS) {
    const entries = listFolder(root, folder, report);
    for (const entry of entries) {
      const path = `${folder}/${entry.name}`;
      const { read, problem } = triage(entry, kind);
      if (problem) report(path, problem.severity, problem.code, problem.message, problem.hint);
      if (!read) continue;
      const content = readBounded(join(root, folder, entry.name));
      if ('bytes' in content) files.push({ path, kind, bytes: content.bytes });
      else report(path, 'error', content.code, content.message, content.hint);
    }
  }
  return { files, diagnostics };
}

type Report = (path: string, severity: Diagnostic['severity'], code: string, message: string, hint?: string) => void;

function listFolder(root: string, folder: string, report: Report): Dirent[] {
  const at = join(root, folder);
  try {
    const stat = lstatSync(at);
    if (stat.isSymbolicLink()) {
      report(folder, 'error', 'file.symlink', `${folder}/ is a symbolic link; platon-db never follows links`, `make ${folder}/ a real folder`);
      return [];
    }
    if (!stat.isDirectory()) {
      report(folder, 'error', 'repo.missing-folder', `${folder} is not a folder`);
      return [];
    }
    return readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      report(folder, 'error', 'repo.missing-folder', `there is no ${folder}/ folder under the repository root`, 'run platon-db in the repository, or pass --root with its path');
    } else {
      report(folder, 'error', 'file.unreadable', `${folder}/ cannot be read (${errorCode(error) ?? 'unknown error'})`);
    }
    return [];
  }
}

interface EntryProblem {
  readonly severity: Diagnostic['severity'];
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/** Whether to read a folder entry, and what to say about it. */
function triage(entry: Dirent, kind: FileKind): { readonly read: boolean; readonly problem?: EntryProblem } {
  const { name } = entry;
  const folder = kind === 'database' ? 'databases' : 'instances';
  const refuse = (problem: EntryProblem) => ({ read: false, problem });
  if (entry.isSymbolicLink()) {
    return refuse({ severity: 'error', code: 'file.symlink', message: `${name} is a symbolic link; platon-db never follows links`, hint: 'replace the link with a real file' });
  }
  if (entry.isDirectory()) {
    return refuse({ severity: 'error', code: 'file.unexpected', message: `${folder}/ must not contain folders; ${name}/ is not read`, hint: `put files directly in ${folder}/` });
  }
  if (!entry.isFile()) return refuse({ severity: 'error', code: 'file.not-regular', message: `${name} is not a regular file` });
  if (name.endsWith('.yaml')) return { read: true };
  const stem = name.replace(/\.[^.]*$/, '');
  if (name.endsWith('.yml')) {
    // Still read, so that one run reports everything wrong with it.
    return { read: true, problem: { severity: 'error', code: 'file.yml-extension', message: `${name} ends in .yml; platon-db files end in .yaml`, hint: `rename it to ${stem}.yaml` } };
  }
  if (IGNORED.has(name)) return { read: false };
  if (name.startsWith('.')) {
    return refuse({ severity: 'warning', code: 'file.unexpected', message: `${name} is not a platon-db file and is not read`, hint: 'remove it from the folder' });
  }
  return refuse({
    severity: 'error',
    code: 'file.unexpected',
    message: `${folder}/ holds only <name>.yaml files; ${name} is not read`,
    hint: /\.(ya?ml)$/i.test(name) ? `rename it to ${stem}.yaml` : `write it as YAML in ${folder}/${stem}.yaml, or remove it`,
  });
}

type Read = { readonly bytes: Uint8Array } | { readonly code: string; readonly message: string; readonly hint?: string };

function readBounded(path: string): Read {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (errorCode(error) === 'ELOOP') return { code: 'file.symlink', message: 'the file is a symbolic link; platon-db never follows links' };
    return { code: 'file.unreadable', message: `the file cannot be read (${errorCode(error) ?? 'unknown error'})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { code: 'file.not-regular', message: 'the file is not a regular file' };
    if (stat.size > MAX_FILE_BYTES) {
      return { code: 'file.too-large', message: `the file is ${stat.size} bytes; platon-db reads files up to ${MAX_FILE_BYTES} bytes (64 KiB)`, hint: 'a database file is a few hundred bytes: is this the right file?' };
    }
    // Read one byte more than allowed, in case the file grew since fstat.
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, MAX_FILE_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_FILE_BYTES) return { code: 'file.too-large', message: `the file is larger than ${MAX_FILE_BYTES} bytes (64 KiB)` };
    return { bytes: buffer.subarray(0, length) };
  } finally {
    closeSync(fd);
  }
}

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

