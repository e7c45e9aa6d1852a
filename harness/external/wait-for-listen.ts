import { Wait, type WaitStrategy } from 'testcontainers';

/**
 * Ready when something in the container listens on `port` (IPv4 or IPv6), read from
 * /proc/net/tcp{,6} like testcontainers' own port check, but without publishing the port on the
 * host: `Wait.forListeningPorts()` only checks exposed ports, and these services need to be
 * reachable on the Docker network only. State 0A is LISTEN.
 */
export function waitForListen(port: number): WaitStrategy {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return Wait.forSuccessfulCommand(`grep -sqiE ':${hex} +[0-9A-F]+:[0-9A-F]+ +0A' /proc/net/tcp /proc/net/tcp6`);
}
