/** The handshake that hands the MAIN world's MessagePort to the ISOLATED bridge at document_start. */
export const BRIDGE_HELLO = 'latchkey/bridge-hello';

/** MAIN world → bridge, over the private port. */
export interface PortRequest {
  /** The PageRequest to relay (validated by the worker, not here). */
  request: unknown;
}

/** Bridge → MAIN world, over the private port. */
export interface PortReply {
  requestId: string;
  reply: import('../src/webauthn/messages').PageReply;
}
