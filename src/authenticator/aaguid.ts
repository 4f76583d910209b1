/**
 * Latchkey's AAGUID: "a 128-bit identifier indicating the type (e.g. make and model) of the
 * authenticator" (WebAuthn L3 §6.5.1). Stable across versions so relying parties can
 * recognise Latchkey passkeys. Drawn at random once: 42e2403e-79f9-c37b-9c87-6017e09ed8e0.
 */
export const LATCHKEY_AAGUID = new Uint8Array([
  0x42, 0xe2, 0x40, 0x3e, 0x79, 0xf9, 0xc3, 0x7b, 0x9c, 0x87, 0x60, 0x17, 0xe0, 0x9e, 0xd8, 0xe0,
]);
