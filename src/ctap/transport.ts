/**
 * How the CTAPHID layer reaches a key: one 64-byte report at a time. node-hid (hidraw) is one
 * implementation (native-host/nodeHidBackend.ts), the simulated key another
 * (src/ctap/simulated/simulatedHidDevice.ts), so everything above runs unchanged on both.
 */
export interface HidTransport {
  /** Sends one 64-byte report. Rejects with TransportError when the device is gone. */
  write(report: Uint8Array): Promise<void>;
  /** The next 64-byte report, or null after `timeoutMs` without one. Rejects with TransportError when the device is gone. */
  read(timeoutMs: number): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

export interface HidDeviceInfo {
  /** What `open` takes: the hidraw path, or the simulated key's name. */
  path: string;
  product: string;
}

/** Lists and opens FIDO HID devices (usage page 0xF1D0). */
export interface HidBackend {
  list(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidTransport>;
}

/** The device went away (unplugged) or the OS refused the read or write. */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}
