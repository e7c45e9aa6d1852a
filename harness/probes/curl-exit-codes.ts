/**
 * What curl's exit codes mean, in our words, for the ones a mesh produces. Numbers from curl's
 * documented exit codes (https://curl.se/docs/manpage.html#EXIT).
 */
const MEANINGS: Readonly<Record<number, string>> = {
  0: 'ok',
  1: 'unsupported protocol',
  2: 'failed to initialize',
  3: 'malformed URL',
  5: 'could not resolve proxy',
  6: 'could not resolve host',
  7: 'failed to connect to host',
  8: 'weird server reply',
  16: 'HTTP/2 framing layer error',
  18: 'partial file: transfer ended early',
  22: 'HTTP error status (with --fail)',
  23: 'write error',
  26: 'read error',
  27: 'out of memory',
  28: 'operation timed out',
  35: 'TLS handshake failed',
  43: 'internal error',
  47: 'too many redirects',
  49: 'malformed telnet option',
  52: 'empty reply from server',
  53: 'TLS engine not found',
  55: 'failure sending network data',
  56: 'failure in receiving network data',
  58: 'problem with the local client certificate',
  59: 'could not use the specified cipher',
  60: 'peer certificate cannot be authenticated with known CA certificates',
  77: 'problem reading the CA certificate',
  80: 'failed to shut down the TLS connection',
  83: 'TLS issuer check failed',
  90: 'TLS public key pinning mismatch',
  91: 'invalid TLS certificate status',
  92: 'stream error in the HTTP/2 framing layer',
  95: 'HTTP/3 layer error',
  97: 'proxy handshake error',
};

export function curlExitMeaning(code: number): string {
  return MEANINGS[code] ?? `curl exit code ${code} (see https://curl.se/docs/manpage.html#EXIT)`;
}
