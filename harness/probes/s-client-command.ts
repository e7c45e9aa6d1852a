import type { TlsProbeSpec } from '../model/probe-spec.ts';
import { shq } from './context.ts';

/** How long the connect and handshake may take, in seconds. */
export const TLS_DEADLINE_SECONDS = 6;

/**
 * `openssl s_client` as the Istio docs use it, plus `-showcerts` for the served chain. stdin
 * stays open for one second after the handshake: with TLS 1.3 a server that requires a client
 * certificate sends its alert ("tlsv13 alert certificate required") after the client finished
 * its side of the handshake, so closing stdin at once would hide it.
 */
export function sClientArgs(spec: TlsProbeSpec): string[] {
  const args = ['openssl', 's_client', '-connect', `${spec.host}:${spec.port}`, '-showcerts'];
  if (spec.servername) args.push('-servername', spec.servername, '-verify_hostname', spec.servername);
  if (spec.cacert) args.push('-CAfile', spec.cacert);
  if (spec.cert) args.push('-cert', spec.cert);
  if (spec.key) args.push('-key', spec.key);
  return args;
}

export function sClientScript(spec: TlsProbeSpec): string {
  return `sleep 1 | timeout ${TLS_DEADLINE_SECONDS} ${sClientArgs(spec).map(shq).join(' ')}`;
}
