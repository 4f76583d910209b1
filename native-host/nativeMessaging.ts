/**
 * The native messaging wire format: "Each message is serialized using JSON, UTF-8 encoded and is
 * preceded with 32-bit message length in native byte order. The maximum size of a single message
 * sent from the native messaging host is 1 MB [...]. The maximum size of the message sent to the
 * native messaging host is 64 MiB." (Chrome's native messaging documentation; Firefox's is the
 * same.) A frame over the limit is skipped without being buffered, so it cannot exhaust memory,
 * and reported; a stream that ends mid-frame is reported as truncated.
 */
import { endianness } from 'node:os';

export const MAX_TO_HOST = 64 * 1024 * 1024;
export const MAX_FROM_HOST = 1024 * 1024;
const LITTLE_ENDIAN = endianness() === 'LE';

export class NativeMessageError extends Error {
  constructor(
    readonly code: 'oversize' | 'truncated' | 'invalid-json',
    message: string,
  ) {
    super(message);
    this.name = 'NativeMessageError';
  }
}

/** One message as the host writes it. Throws for a message over the browser's 1 MB limit. */
export function encodeNativeMessage(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  if (body.length > MAX_FROM_HOST) {
    throw new NativeMessageError(
      'oversize',
      `A message to the browser may be at most ${MAX_FROM_HOST} bytes; this one is ${body.length}.`,
    );
  }
  const header = Buffer.alloc(4);
  if (LITTLE_ENDIAN) header.writeUInt32LE(body.length);
  else header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

export type ReadEvent = { message: unknown } | { error: NativeMessageError };

/** Turns the bytes of stdin, in chunks of any size, into messages and errors. */
export class NativeMessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  private discarding = 0;

  constructor(private readonly maxLength = MAX_TO_HOST) {}

  push(chunk: Buffer): ReadEvent[] {
    const events: ReadEvent[] = [];
    if (this.discarding > 0) {
      const skipped = Math.min(this.discarding, chunk.length);
      this.discarding -= skipped;
      chunk = chunk.subarray(skipped);
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.buffer.length < 4) break;
      const length = LITTLE_ENDIAN ? this.buffer.readUInt32LE(0) : this.buffer.readUInt32BE(0);
      if (length > this.maxLength) {
        events.push({
          error: new NativeMessageError(
            'oversize',
            `A message to the host may be at most ${this.maxLength} bytes; this one announced ${length}.`,
          ),
        });
        const available = this.buffer.length - 4;
        this.discarding = Math.max(0, length - available);
        this.buffer = this.buffer.subarray(4 + Math.min(length, available));
        continue;
      }
      if (this.buffer.length < 4 + length) break;
      const body = this.buffer.subarray(4, 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(4 + length);
      try {
        events.push({ message: JSON.parse(body) });
      } catch {
        events.push({ error: new NativeMessageError('invalid-json', 'A message to the host was not valid JSON.') });
      }
    }
    return events;
  }

  /** The input ended: an incomplete frame is an error. */
  end(): NativeMessageError | null {
    if (this.buffer.length === 0 && this.discarding === 0) return null;
    return new NativeMessageError('truncated', 'The input ended in the middle of a message.');
  }
}
