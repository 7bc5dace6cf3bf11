import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FileStore } from '../ports.ts';

/** The local stand-in for the public S3 bucket: a folder the local server serves as is. */
export class FsBlobStore implements FileStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(path: string): string {
    const full = resolve(join(this.root, path));
    if (!full.startsWith(this.root + '/')) throw new Error(`Path escapes the blob store: ${path}`);
    return full;
  }

  async put(path: string, body: string | Uint8Array): Promise<void> {
    const full = this.pathOf(path);
    await mkdir(dirname(full), { recursive: true });
    // Write then rename: a reader never sees half a snapshot.
    // Unique per write: two concurrent writes of one path (e.g. registry renders) must not share a temp file.
    const temporary = `${full}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, full);
  }

  async get(path: string): Promise<string | undefined> {
    const bytes = await this.getBytes(path);
    return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
  }

  async delete(path: string): Promise<void> {
    await rm(this.pathOf(path), { force: true });
  }

  async getBytes(path: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
