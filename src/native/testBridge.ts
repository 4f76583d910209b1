/**
 * For tests: a NativeConnector whose port reaches the bridge host in this process, with the same
 * native-messaging frames the browser and the host exchange.
 */
import { createBridgeHost } from '../../native-host/bridgeHost';
import { NativeMessageReader, encodeNativeMessage } from '../../native-host/nativeMessaging';
import type { HidBackend } from '../ctap/transport';
import type { NativeConnector, NativePort } from './nativeClient';

export function inProcessBridge(backend: HidBackend | null): NativeConnector & { connections: number } {
  const connector = {
    connections: 0,
    lastError: (): string | undefined => (backend ? undefined : 'Specified native messaging host not found.'),
    connect(): NativePort {
      connector.connections++;
      const messageListeners: ((message: unknown) => void)[] = [];
      const disconnectListeners: (() => void)[] = [];
      let open = true;
      const fromHost = new NativeMessageReader();
      const toHost = new NativeMessageReader();
      const host = backend
        ? createBridgeHost({
            backend,
            send: (reply) => {
              for (const event of fromHost.push(encodeNativeMessage(reply))) {
                if ('message' in event && open) messageListeners.forEach((listener) => listener(event.message));
              }
            },
          })
        : null;
      if (!host) queueMicrotask(() => disconnectListeners.forEach((listener) => listener()));
      return {
        postMessage(message) {
          if (!open) throw new Error('Attempting to use a disconnected port object');
          for (const event of toHost.push(encodeNativeMessage(message))) if ('message' in event) void host?.handle(event.message);
        },
        disconnect() {
          open = false;
          void host?.shutdown();
        },
        onMessage: { addListener: (listener) => messageListeners.push(listener) },
        onDisconnect: { addListener: (listener) => disconnectListeners.push(listener) },
      };
    },
  };
  return connector;
}
