import { createServer } from 'node:net';

/** Whether 127.0.0.1:port can be bound now (kind maps the ingress there); the error code if not. */
export function portFree(port: number, host = '127.0.0.1'): Promise<{ free: true } | { free: false; code: string }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve({ free: false, code: e.code ?? e.message }));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve({ free: true })));
  });
}
