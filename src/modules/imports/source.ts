import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

/** A file to import that can be read more than once (validation, then commit), never held whole. */
export interface ImportSource {
  /** The file's name, for choosing a reader by extension; never stored. */
  name: string;
  size: number;
  open(): Readable;
}

export async function fileSource(file: string): Promise<ImportSource> {
  const info = await stat(file);
  if (!info.isFile()) {
    throw new Error(`${file} is not a file`);
  }
  return { name: path.basename(file), size: info.size, open: () => createReadStream(file) };
}

export function bufferSource(name: string, content: Buffer): ImportSource {
  return { name, size: content.length, open: () => Readable.from([content]) };
}

/** Streams yield Buffers, or strings when someone set an encoding on them. */
function asBuffer(chunk: unknown): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'utf8');
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface SourceFacts {
  digest: Buffer;
  encoding: TextEncoding;
  /** Bytes of byte-order mark to skip. */
  bom: number;
  /** The first bytes, for recognising the kind of file (zip, XML). */
  head: Buffer;
}

/**
 * One pass over the file: its SHA-256 (an identical re-import is recognised), and its text encoding —
 * from a byte-order mark, else UTF-8 when every byte sequence is valid UTF-8, else Windows-1252 (the
 * encoding of spreadsheet exports with £ signs).
 */
export async function inspectSource(source: ImportSource): Promise<SourceFacts> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let validUtf8 = true;
  let head = Buffer.alloc(0);
  for await (const chunk of source.open()) {
    const bytes = asBuffer(chunk);
    hash.update(bytes);
    if (head.length < 64) {
      head = Buffer.concat([head, bytes.subarray(0, 64 - head.length)]);
    }
    if (validUtf8) {
      try {
        decoder.decode(bytes, { stream: true });
      } catch {
        validUtf8 = false;
      }
    }
  }
  if (validUtf8) {
    try {
      decoder.decode();
    } catch {
      validUtf8 = false;
    }
  }
  const digest = hash.digest();
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { digest, encoding: 'utf-8', bom: 3, head };
  }
  if (head[0] === 0xff && head[1] === 0xfe) {
    return { digest, encoding: 'utf-16le', bom: 2, head };
  }
  if (head[0] === 0xfe && head[1] === 0xff) {
    return { digest, encoding: 'utf-16be', bom: 2, head };
  }
  return { digest, encoding: validUtf8 ? 'utf-8' : 'windows-1252', bom: 0, head };
}

/** The file as text chunks in its own encoding, without the byte-order mark. */
export async function* decodedText(source: ImportSource, facts: SourceFacts): AsyncGenerator<string> {
  const decoder = new TextDecoder(facts.encoding);
  let skip = facts.bom;
  for await (const chunk of source.open()) {
    let bytes = asBuffer(chunk);
    if (skip > 0) {
      const dropped = Math.min(skip, bytes.length);
      bytes = bytes.subarray(dropped);
      skip -= dropped;
    }
    const text = decoder.decode(bytes, { stream: true });
    if (text !== '') {
      yield text;
    }
  }
  const rest = decoder.decode();
  if (rest !== '') {
    yield rest;
  }
}
