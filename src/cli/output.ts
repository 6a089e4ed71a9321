// Where results go: a temporary file next to the destination, renamed over it only when the whole
// job succeeded (so a failed or interrupted run never leaves a partial result), or standard output.
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { io } from './errors.js';

export interface Sink {
  /** The destination's name in messages. */
  readonly name: string;
  write(data: string | Uint8Array): Promise<void>;
  /** Overwrites bytes already written (a .npy header once the row count is known); files only. */
  writeAt(data: Uint8Array, position: number): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Temporary files of runs still in progress, removed if the process is interrupted. */
const pending = new Set<string>();

/** Removes them synchronously (for signal handlers, which cannot wait). */
export function removePendingSync(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to clean.
    }
  }
  pending.clear();
}

class AtomicFile implements Sink {
  private position = 0;
  private closed = false;

  constructor(readonly name: string, private readonly temp: string, private readonly fh: FileHandle) {
    pending.add(temp);
  }

  async write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let done = 0; done < bytes.length;) {
      const { bytesWritten } = await io(this.name, () => this.fh.write(bytes, done, bytes.length - done, this.position));
      done += bytesWritten;
      this.position += bytesWritten;
    }
  }

  async writeAt(data: Uint8Array, position: number): Promise<void> {
    await io(this.name, () => this.fh.write(data, 0, data.length, position));
  }

  async commit(): Promise<void> {
    await io(this.name, async () => {
      await this.fh.close();
      this.closed = true;
      await rename(this.temp, this.name);
    });
    pending.delete(this.temp);
  }

  async abort(): Promise<void> {
    if (!this.closed) await this.fh.close().catch(() => undefined);
    this.closed = true;
    await unlink(this.temp).catch(() => undefined);
    pending.delete(this.temp);
  }
}

class StandardOutput implements Sink {
  readonly name = 'standard output';

  write(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      process.stdout.once('error', onError);
      // Waiting for the callback applies backpressure: a slow reader of the pipe slows us down
      // instead of queueing the whole result in memory.
      process.stdout.write(data, (err) => {
        process.stdout.off('error', onError);
        if (err) reject(err);
        else resolve();
      });
    });
  }

  async writeAt(): Promise<void> {
    throw new Error('standard output cannot be rewritten');
  }

  async commit(): Promise<void> {}

  async abort(): Promise<void> {}
}

/** A file written atomically, or standard output when `path` is null. */
export async function openSink(path: string | null): Promise<Sink> {
  if (path === null) return new StandardOutput();
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fh = await io(path, () => open(temp, 'wx'));
  return new AtomicFile(path, temp, fh);
}
