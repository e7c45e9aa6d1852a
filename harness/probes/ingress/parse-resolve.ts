import { isIP } from 'node:net';
import { UsageError } from '../../model/errors.ts';

export type ResolveEntry = { host: string; port: number; address: string };

/** curl's `--resolve <host>:<port>:<addr>`; an IPv6 address may be bracketed ([::1]). */
export function parseResolve(value: string): ResolveEntry {
  const m = /^([^:\s]+):(\d{1,5}):(\[[0-9a-fA-F:.]+\]|[^\s]+)$/.exec(value);
  const address = m?.[3]?.replace(/^\[|\]$/g, '');
  const port = Number(m?.[2]);
  if (!m || !address || port < 1 || port > 65535 || (isIP(address) === 0 && !/^[a-z0-9.-]+$/i.test(address))) {
    throw new UsageError(
      `--resolve "${value}" is not host:port:address`,
      'write it like curl does, e.g. --resolve httpbin.example.com:443:127.0.0.1',
    );
  }
  return { host: (m[1] as string).toLowerCase(), port, address };
}
