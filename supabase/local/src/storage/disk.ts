import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { errors } from './errors.ts';

const VERSION = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Bytes written to a temporary file, not yet any object's. */
export interface Staged {
  readonly file: string;
  readonly size: number;
  /** `"<md5 hex>"`, as S3 and the file backend give single-part uploads. */
  readonly eTag: string;
}

/**
 * Object bytes on disk, beside the database: one file per object version, named by the version
 * (a UUID the service makes). Keys never become paths, so no key can reach outside the folder.
 * A write goes to a temporary file first and takes its final name only once complete.
 */
export interface DiskStore {
  readonly root: string;
  /** Streams `source` to a temporary file; past `limit` bytes it stops, removes the file and throws 413. */
  stage(source: AsyncIterable<Buffer>, limit: number): Promise<Staged>;
  /** Gives staged bytes their version's name. */
  place(staged: Staged, version: string): Promise<void>;
  discard(staged: Staged): Promise<void>;
  /** Size and modification time of a version's bytes, or null when they are missing. */
  stat(version: string): Promise<{ size: number; mtime: Date } | null>;
  read(version: string, range?: { start: number; end: number }): ReadStream;
  copy(from: string, to: string): Promise<void>;
  remove(versions: readonly (string | null)[]): Promise<void>;
}

export function createDiskStore(root: string): DiskStore {
  const objects = path.join(root, 'objects');
  const staging = path.join(root, 'staging');
  const fileOf = (version: string): string => {
    // Versions are our UUIDs; anything else (a row written by SQL) has no file.
    if (!VERSION.test(version)) throw errors.bytesMissing();
    return path.join(objects, version.slice(0, 2), version);
  };
  return {
    root,
    async stage(source, limit) {
      await mkdir(staging, { recursive: true });
      const file = path.join(staging, randomUUID());
      const handle = await open(file, 'wx');
      const hash = createHash('md5');
      let size = 0;
      try {
        for await (const chunk of source) {
          size += chunk.length;
          if (size > limit) throw errors.tooLarge();
          hash.update(chunk);
          await handle.write(chunk);
        }
      } catch (error) {
        await handle.close();
        await rm(file, { force: true });
        throw error;
      }
      await handle.close();
      return { file, size, eTag: `"${hash.digest('hex')}"` };
    },
    async place(staged, version) {
      const target = fileOf(version);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(staged.file, target);
    },
    async discard(staged) {
      await rm(staged.file, { force: true });
    },
    async stat(version) {
      try {
        const info = await stat(fileOf(version));
        return { size: info.size, mtime: info.mtime };
      } catch {
        return null;
      }
    },
    read(version, range) {
      return createReadStream(fileOf(version), range ? { start: range.start, end: range.end } : {});
    },
    async copy(from, to) {
      const target = fileOf(to);
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(fileOf(from), target);
    },
    async remove(versions) {
      await Promise.all(versions.map(async (version) => {
        if (version && VERSION.test(version)) await rm(fileOf(version), { force: true });
      }));
    },
  };
}
