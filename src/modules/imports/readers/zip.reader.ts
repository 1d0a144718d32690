import { fromBufferPromise } from 'yauzl';
import { FileShapeError } from './rows.ts';

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Uncompressed ÷ compressed above this, for an entry over 1 MB, is treated as a zip bomb. */
  maxRatio: number;
}

export const ZIP_LIMITS: ZipLimits = {
  maxEntries: 100,
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxRatio: 200,
};

/**
 * The named entries of a zip, decompressed within limits: too many entries, an entry too large or
 * compressed suspiciously well, or a total too large is refused before it is inflated, and the bytes
 * actually inflated are counted against what the entry declared (yauzl checks they match).
 */
export async function readZipEntries(
  content: Buffer,
  wanted: (name: string) => boolean,
  limits: ZipLimits = ZIP_LIMITS,
): Promise<Map<string, Buffer>> {
  let zip;
  try {
    zip = await fromBufferPromise(content, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch {
    throw new FileShapeError('The file is not a readable zip archive.');
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new FileShapeError(
        `The zip holds ${zip.entryCount} files; a OneRoster export has at most ${limits.maxEntries}.`,
      );
    }
    const found = new Map<string, Buffer>();
    let total = 0;
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName.split('/').at(-1) ?? entry.fileName;
      if (entry.fileName.endsWith('/') || !wanted(name)) {
        continue;
      }
      const size = entry.uncompressedSize;
      if (
        size > limits.maxEntryBytes ||
        (size > 1_000_000 && size / Math.max(1, entry.compressedSize) > limits.maxRatio)
      ) {
        throw new FileShapeError(
          `${name} in the zip would expand to ${size} bytes; refused as unsafe (a zip bomb?).`,
        );
      }
      total += size;
      if (total > limits.maxTotalBytes) {
        throw new FileShapeError('The files in the zip add up to more than Haven reads from one archive.');
      }
      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      let read = 0;
      try {
        for await (const chunk of stream) {
          const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
          read += bytes.length;
          if (read > size) {
            throw new FileShapeError(`${name} in the zip is larger than it declares; refused.`);
          }
          chunks.push(bytes);
        }
      } catch (error) {
        throw error instanceof FileShapeError ? error : new FileShapeError(`${name} in the zip is damaged.`);
      }
      found.set(name, Buffer.concat(chunks));
    }
    return found;
  } catch (error) {
    throw error instanceof FileShapeError ? error : new FileShapeError('The zip archive is damaged.');
  } finally {
    zip.close();
  }
}
