// Tells the echo server which accepted connection is the built-in client's, so both ends share one
// connection id. The client registers its socket right after connect(); the server, on accept, asks
// whether the peer's address is one of them. Bursts in flight are few, so a scan is fine.
import type net from 'node:net';
import { normalizeAddress } from '../echo/connection-registry.ts';
import type { ConnectionState } from '../echo/connection-state.ts';
import { pendingLocalAddress } from '../echo/socket-internals.ts';

interface Claim {
  socket: net.Socket;
  resolve: (c: ConnectionState) => void;
}

export class BuiltinClaims {
  private readonly claims = new Set<Claim>();

  /** Resolves with the server side of `socket` once the echo server has accepted it. */
  expect(socket: net.Socket): { accepted: Promise<ConnectionState>; cancel: () => void } {
    let claim!: Claim;
    const accepted = new Promise<ConnectionState>((resolve) => {
      claim = { socket, resolve };
    });
    this.claims.add(claim);
    return { accepted, cancel: () => this.claims.delete(claim) };
  }

  /** Called by the echo server on accept: is remoteAddress:remotePort one of ours? */
  take(remoteAddress: string, remotePort: number): ((c: ConnectionState) => void) | undefined {
    const want = normalizeAddress(remoteAddress);
    for (const claim of this.claims) {
      const local = pendingLocalAddress(claim.socket);
      if (local && local.port === remotePort && normalizeAddress(local.address) === want) {
        this.claims.delete(claim);
        return claim.resolve;
      }
    }
    return undefined;
  }
}
