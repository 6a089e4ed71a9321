// The three kinds of failure the command line reports, each with its exit code:
// 2 usage (the command line itself is wrong), 1 data (a file's content is wrong), 3 I/O.
import { InfodivError } from '../errors.js';

export const EXIT_DATA = 1;
export const EXIT_USAGE = 2;
export const EXIT_IO = 3;

export class UsageError extends Error {
  readonly exitCode = EXIT_USAGE;
}

/** Where in a file something is wrong: a line and column of text, or a row and column of a .npy array. */
export type Place =
  | { kind: 'text'; line: number; column: number }
  | { kind: 'element'; row: number; col: number }
  | { kind: 'file' };

export class DataError extends Error {
  readonly exitCode = EXIT_DATA;
  constructor(readonly file: string, readonly place: Place, readonly detail: string) {
    super(`${describePlace(file, place)}: ${detail}`);
  }
}

export class IoError extends Error {
  readonly exitCode = EXIT_IO;
}

function describePlace(file: string, place: Place): string {
  switch (place.kind) {
    case 'text': return `${file}:${place.line}:${place.column}`;
    // .npy has no lines: numpy's 0-based index is what its users would type to look at the element.
    case 'element': return `${file}: element [${place.row}, ${place.col}]`;
    case 'file': return file;
  }
}

const IO_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ENOSPC', 'EROFS', 'EMFILE', 'EIO', 'EPIPE', 'EEXIST', 'EBADF']);

/** An error thrown by node:fs (or a stream) as an IoError that names the file. */
export function ioError(err: unknown, file: string): Error {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string' && IO_CODES.has(code)) {
    const why = code === 'ENOENT' ? 'no such file or directory'
      : code === 'EISDIR' ? 'is a directory'
        : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
          : (err as Error).message;
    return new IoError(`${file}: ${why}`);
  }
  return err as Error;
}

/** Runs an fs call, turning system errors into IoErrors naming `file`. */
export async function io<T>(file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw ioError(err, file);
  }
}

/** Option mistakes the engine detects (a base of 1, a convention a measure does not take) are usage errors. */
export function usageFromEngine(err: unknown): unknown {
  if (err instanceof InfodivError && (err.code === 'INVALID_OPTION' || err.code === 'INVALID_BASE')) {
    return new UsageError(err.message);
  }
  return err;
}

/** A failure of the system (a file, a stream): a listed errno code, or any code a system call reported. */
export function isSystemError(err: unknown): boolean {
  const { code, syscall } = (err ?? {}) as NodeJS.ErrnoException;
  return typeof code === 'string' && (IO_CODES.has(code) || typeof syscall === 'string');
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof UsageError || err instanceof DataError || err instanceof IoError) return err.exitCode;
  if (err instanceof InfodivError) return err.code === 'INVALID_OPTION' || err.code === 'INVALID_BASE' ? EXIT_USAGE : EXIT_DATA;
  return isSystemError(err) ? EXIT_IO : EXIT_DATA;
}
