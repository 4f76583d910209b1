/**
 * The extension's side of the native bridge: one native port per request (so the browser starts
 * the host for it and closing the port stops it), the reply validated with zod, the host's error
 * codes kept. Takes `connectNative` as a parameter: the worker passes
 * `chrome.runtime.connectNative`, tests a fake.
 */
import { type HostErrorCode, type HostRequest, NATIVE_HOST_NAME, hostReply } from './protocol';

export interface NativePort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface NativeConnector {
  connect(name: string): NativePort;
  /** `chrome.runtime.lastError?.message` at disconnect time: why the browser closed the port. */
  lastError(): string | undefined;
}

/** The bridge is not installed (no host manifest for this browser) or the browser refused to start it. */
export class BridgeUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`Latchkey's security-key bridge is not installed or could not start (${reason}).`);
    this.name = 'BridgeUnavailableError';
  }
}

/** The host answered with an error. */
export class BridgeError extends Error {
  constructor(
    readonly code: HostErrorCode,
    message: string,
    readonly retries?: number,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

export type BridgeRequest = HostRequest extends infer R ? (R extends { kind: 'cancel' } ? never : Omit<R, 'id'>) : never;

export interface RequestOptions {
  signal?: AbortSignal;
  /** The key waits for a touch. */
  onTouch?(): void;
}

let nextId = 1;

export function createNativeClient(connector: NativeConnector) {
  return {
    request(message: BridgeRequest, { signal, onTouch }: RequestOptions = {}): Promise<unknown> {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const id = nextId++;
        let port: NativePort;
        try {
          port = connector.connect(NATIVE_HOST_NAME);
        } catch (error) {
          return reject(new BridgeUnavailableError(error instanceof Error ? error.message : String(error)));
        }
        let settled = false;
        const finish = (work: () => void) => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          work();
          port.disconnect();
        };
        const onAbort = () => {
          // The host sends CTAPHID_CANCEL to the key; closing the port then stops the host.
          try {
            port.postMessage({ id: `cancel-${id}`, kind: 'cancel' });
          } catch {
            // The port is already gone.
          }
          finish(() => reject(signal?.reason));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        port.onMessage.addListener((raw) => {
          const parsed = hostReply.safeParse(raw);
          if (!parsed.success)
            return finish(() => reject(new BridgeError('internal', 'The security-key bridge sent a malformed answer.')));
          const reply = parsed.data;
          if ('progress' in reply) {
            if (reply.id === id) onTouch?.();
            return;
          }
          if (reply.id !== id && reply.id !== null) return;
          if (reply.ok) finish(() => resolve(reply.result));
          else finish(() => reject(new BridgeError(reply.error.code, reply.error.message, reply.error.retries)));
        });
        port.onDisconnect.addListener(() => {
          const reason = connector.lastError() ?? 'the bridge stopped';
          // Chromium: "Specified native messaging host not found." / "Access to the specified native messaging host is forbidden."
          if (/not found|forbidden|no such native application/i.test(reason))
            finish(() => reject(new BridgeUnavailableError(reason)));
          else finish(() => reject(new BridgeError('internal', `The security-key bridge stopped before answering (${reason}).`)));
        });
        port.postMessage({ ...message, id });
      });
    },
  };
}

export type NativeClient = ReturnType<typeof createNativeClient>;
