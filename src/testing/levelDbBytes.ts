/**
 * The bytes of a LevelDB directory (Chromium's IndexedDB backing store) as a
 * reader would see them, for "does the disk hold this secret?" searches:
 *
 * - `*.log` (the write-ahead log): records are split into fragments at 32 KiB
 *   block boundaries, each fragment behind a 7-byte header (checksum, length,
 *   type: FULL 1, FIRST 2, MIDDLE 3, LAST 4), so a value can straddle a block;
 *   the fragments are joined again.
 * - `*.ldb` / `*.sst` (sorted tables): data blocks may be Snappy-compressed
 *   (block trailer type 1, leveldb's table_format.md), so a raw search could miss
 *   a plaintext key; every block named by the index block is decompressed.
 *
 * Formats: https://github.com/google/leveldb/blob/main/doc/log_format.md and
 * https://github.com/google/leveldb/blob/main/doc/table_format.md
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
// @ts-expect-error snappyjs ships no types: uncompress(Uint8Array) → Uint8Array.
import snappy from 'snappyjs';

const LOG_BLOCK = 32 * 1024;
const TABLE_MAGIC = 0xdb4775248b80fb57n;

export interface LevelDbChunk {
  file: string;
  bytes: Uint8Array;
}

/** Every log record and every (decompressed) table block in `dir`, plus each file raw. */
export function levelDbChunks(dir: string): LevelDbChunk[] {
  const chunks: LevelDbChunk[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const bytes = new Uint8Array(readFileSync(file));
    chunks.push({ file, bytes });
    if (name.endsWith('.log')) chunks.push(...logRecords(bytes).map((record) => ({ file, bytes: record })));
    if (name.endsWith('.ldb') || name.endsWith('.sst')) chunks.push(...tableBlocks(bytes).map((block) => ({ file, bytes: block })));
  }
  return chunks;
}

function logRecords(bytes: Uint8Array): Uint8Array[] {
  const records: Uint8Array[] = [];
  let pending: Uint8Array[] = [];
  let at = 0;
  while (at + 7 <= bytes.length) {
    const left = LOG_BLOCK - (at % LOG_BLOCK);
    if (left < 7) {
      at += left; // trailer padding
      continue;
    }
    const length = bytes[at + 4]! | (bytes[at + 5]! << 8);
    const type = bytes[at + 6]!;
    if (type === 0 && length === 0) {
      at += left; // preallocated zeroes
      continue;
    }
    const fragment = bytes.subarray(at + 7, at + 7 + length);
    at += 7 + length;
    if (type === 1) records.push(fragment);
    else if (type === 2) pending = [fragment];
    else if (type === 3) pending.push(fragment);
    else if (type === 4) {
      pending.push(fragment);
      records.push(concat(pending));
      pending = [];
    }
  }
  return records;
}

function readVarint(bytes: Uint8Array, at: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (;;) {
    const byte = bytes[at++]!;
    value |= BigInt(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return [value, at];
    shift += 7n;
  }
}

function readBlock(file: Uint8Array, offset: number, size: number): Uint8Array {
  const contents = file.subarray(offset, offset + size);
  const type = file[offset + size];
  if (type === 0) return contents;
  if (type === 1) return new Uint8Array(snappy.uncompress(contents));
  throw new Error(`unknown LevelDB block compression type ${type}`);
}

function tableBlocks(file: Uint8Array): Uint8Array[] {
  const footer = file.subarray(file.length - 48);
  const magic = new DataView(footer.buffer, footer.byteOffset + 40, 8).getBigUint64(0, true);
  if (magic !== TABLE_MAGIC) throw new Error('not a LevelDB table');
  let at = 0;
  [, at] = readVarint(footer, at); // metaindex offset
  [, at] = readVarint(footer, at); // metaindex size
  const [indexOffset, next] = readVarint(footer, at);
  const [indexSize] = readVarint(footer, next);
  const index = readBlock(file, Number(indexOffset), Number(indexSize));
  const blocks = [index];
  const restarts = new DataView(index.buffer, index.byteOffset, index.length).getUint32(index.length - 4, true);
  const entriesEnd = index.length - 4 - 4 * restarts;
  let pos = 0;
  while (pos < entriesEnd) {
    let shared: bigint, unshared: bigint, valueLength: bigint;
    [shared, pos] = readVarint(index, pos);
    [unshared, pos] = readVarint(index, pos);
    [valueLength, pos] = readVarint(index, pos);
    void shared;
    pos += Number(unshared);
    const [offset, afterOffset] = readVarint(index, pos);
    const [size] = readVarint(index, afterOffset);
    blocks.push(readBlock(file, Number(offset), Number(size)));
    pos += Number(valueLength);
  }
  return blocks;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The files whose readable bytes contain `needle`. */
export function filesContaining(chunks: LevelDbChunk[], needle: Uint8Array): string[] {
  return [...new Set(chunks.filter((chunk) => indexOfBytes(chunk.bytes, needle) !== -1).map((chunk) => chunk.file))];
}
