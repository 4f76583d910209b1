/** Test helpers: simulated keys wired as a backend, a PIN set the way a platform sets it. */
import { Ctap2Client } from './ctap2Client';
import { CtapHidDevice } from './ctaphidDevice';
import { SimulatedAuthenticator, touchAfter, type SimulatedUser } from './simulated/simulatedAuthenticator';
import { SimulatedHidDevice, simulatedBackend } from './simulated/simulatedHidDevice';
import { emptyKeyState } from './simulated/simulatedKeyState';

export const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

export function simulatedKey(user: SimulatedUser = touchAfter(5), keepaliveIntervalMs = 10): SimulatedHidDevice {
  return new SimulatedHidDevice(new SimulatedAuthenticator(emptyKeyState(), user), { keepaliveIntervalMs });
}

/** A key that is never touched until the test says so. */
export function keyWaitingForTouch(): { key: SimulatedHidDevice; touch(): void } {
  let release: () => void = () => undefined;
  const key = simulatedKey({
    touch: (signal) =>
      new Promise<void>((resolve, reject) => {
        release = resolve;
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  });
  return { key, touch: () => release() };
}

export async function clientFor(key: SimulatedHidDevice): Promise<{ hid: CtapHidDevice; ctap: Ctap2Client }> {
  const hid = await CtapHidDevice.open(key.connect(), random);
  return { hid, ctap: new Ctap2Client(hid, random) };
}

export async function keyWithPin(pin: string, user?: SimulatedUser): Promise<SimulatedHidDevice> {
  const key = simulatedKey(user);
  const { ctap } = await clientFor(key);
  await ctap.setPin(pin);
  return key;
}

export { simulatedBackend };
