import { describe, expect, it } from 'vitest';
import { MAX_FROM_HOST, MAX_TO_HOST, NativeMessageError, NativeMessageReader, encodeNativeMessage } from './nativeMessaging';

const frame = (text: string) => {
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length);
  return Buffer.concat([header, body]);
};

describe('native messaging frames', () => {
  it('writes a 32-bit native-endian (little-endian here) length, then the UTF-8 JSON', () => {
    expect(encodeNativeMessage({ a: 'é' })).toEqual(Buffer.from([10, 0, 0, 0, ...Buffer.from('{"a":"é"}')]));
  });

  it('refuses to write a message over the browser’s 1 MB limit', () => {
    expect(() => encodeNativeMessage('x'.repeat(MAX_FROM_HOST))).toThrow(NativeMessageError);
  });

  it('reads messages split across chunks at any byte, and several in one chunk', () => {
    const bytes = Buffer.concat([frame('{"id":1}'), frame('{"id":2}'), frame('[3]')]);
    for (let split = 0; split <= bytes.length; split++) {
      const reader = new NativeMessageReader();
      const events = [...reader.push(bytes.subarray(0, split)), ...reader.push(bytes.subarray(split))];
      expect(events).toEqual([{ message: { id: 1 } }, { message: { id: 2 } }, { message: [3] }]);
      expect(reader.end()).toBeNull();
    }
  });

  it('reports invalid JSON and goes on with the next message', () => {
    const events = new NativeMessageReader().push(Buffer.concat([frame('{nope'), frame('{"id":2}')]));
    expect(events[0]).toMatchObject({ error: { code: 'invalid-json' } });
    expect(events[1]).toEqual({ message: { id: 2 } });
  });

  it('reports a frame over 64 MiB without buffering it, skips its bytes, and reads the next message', () => {
    const reader = new NativeMessageReader(1024);
    const header = Buffer.alloc(4);
    header.writeUInt32LE(5000);
    const first = reader.push(Buffer.concat([header, Buffer.alloc(100)]));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ error: { code: 'oversize' } });
    expect(reader.push(Buffer.alloc(4900))).toEqual([]);
    expect(reader.push(frame('{"id":3}'))).toEqual([{ message: { id: 3 } }]);
    expect(MAX_TO_HOST).toBe(64 * 1024 * 1024);
  });

  it('reports input that ends in the middle of a frame as truncated', () => {
    const reader = new NativeMessageReader();
    reader.push(frame('{"id":1}').subarray(0, 6));
    expect(reader.end()).toMatchObject({ code: 'truncated' });
  });
});
