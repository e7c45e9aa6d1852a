/**
 * Real local servers for the ingress client's tests: an httpbin-like HTTPS "gateway" (SIMPLE or
 * MUTUAL, one or several certificates chosen by SNI), a TCP proxy that routes raw TLS by SNI
 * (PASSTHROUGH), a plaintext server, a server that accepts and never speaks, a refused port.
 * Test support only: nothing in the product imports this.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';

export type Running = { port: number; close(): Promise<void> };

export type TlsIdentity = { certPem: string; keyPem: string; chainPem?: string };

/** httpbin-like answers: /status/<n> -> n, /headers -> request headers as JSON, else a greeting. */
function httpbin(name: string) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const sni = (req.socket as tls.TLSSocket).servername;
    res.setHeader('x-served-by', name);
    if (typeof sni === 'string') res.setHeader('x-sni', sni);
    const status = /^\/status\/(\d{3})$/.exec(req.url ?? '');
    if (status) {
      res.writeHead(Number(status[1])).end();
    } else if (req.url === '/headers') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ headers: req.headers }));
    } else if (req.url === '/big') {
      res.end('x'.repeat(200_000));
    } else {
      res.setHeader('content-type', 'text/html');
      res.end(`<html><head><title>${name}</title></head><body><h1>Hello from ${name}</h1></body></html>`);
    }
  };
}

function listening(server: net.Server): Promise<Running> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as http.Server).closeAllConnections?.();
          }),
      });
    });
  });
}

export type HttpsServerOptions = {
  name: string;
  /** Default certificate; `sni` adds more, chosen by the client's SNI like a gateway's servers. */
  identity: TlsIdentity;
  sni?: Record<string, TlsIdentity>;
  /** MUTUAL: require a client certificate signed by this CA. */
  clientCa?: string;
  maxVersion?: tls.SecureVersion;
};

export function startHttpsServer(o: HttpsServerOptions): Promise<Running> {
  const ctx = (id: TlsIdentity) => tls.createSecureContext({ cert: id.chainPem ?? id.certPem, key: id.keyPem });
  const contexts = Object.fromEntries(Object.entries(o.sni ?? {}).map(([host, id]) => [host, ctx(id)]));
  const server = https.createServer(
    {
      cert: o.identity.chainPem ?? o.identity.certPem,
      key: o.identity.keyPem,
      maxVersion: o.maxVersion,
      ...(o.clientCa ? { ca: o.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
      SNICallback: (servername, cb) => cb(null, contexts[servername]),
    },
    httpbin(o.name),
  );
  return listening(server);
}

export function startHttpServer(name: string): Promise<Running> {
  return listening(http.createServer(httpbin(name)));
}

/** Accepts TCP connections and never answers: a client waiting for a TLS handshake times out. */
export function startSilentServer(): Promise<Running> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return listening(server).then((r) => ({
    port: r.port,
    close: () => {
      for (const s of sockets) s.destroy();
      return r.close();
    },
  }));
}

/** A port that was free a moment ago and has nothing listening now. */
export async function refusedPort(): Promise<number> {
  const r = await listening(net.createServer());
  await r.close();
  return r.port;
}

/**
 * TLS passthrough like an Istio Gateway `tls.mode: PASSTHROUGH` with `sniHosts`: read the
 * ClientHello, pick the backend by SNI, and forward the raw bytes; close when no route matches
 * (Envoy closes the connection when no filter chain matches).
 */
export function startSniProxy(routes: Record<string, number>): Promise<Running> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const sni = sniOf(buffered);
      if (sni === 'incomplete') return;
      client.off('data', onData);
      const port = sni ? routes[sni] : undefined;
      if (port === undefined) {
        client.destroy();
        return;
      }
      const upstream = net.connect(port, '127.0.0.1', () => {
        upstream.write(buffered);
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.destroy());
    };
    client.on('data', onData);
  });
  return listening(server).then((r) => ({
    port: r.port,
    close: () => {
      for (const s of sockets) s.destroy();
      return r.close();
    },
  }));
}

/** server_name from a TLS ClientHello (RFC 8446 §4.1.2, RFC 6066 §3); undefined when absent. */
function sniOf(b: Buffer): string | undefined | 'incomplete' {
  if (b.length < 5) return 'incomplete';
  if (b[0] !== 0x16) return undefined;
  const recordEnd = 5 + b.readUInt16BE(3);
  if (b.length < recordEnd) return 'incomplete';
  let p = 5 + 4 + 2 + 32; // record header, handshake header, client_version, random
  p += 1 + (b[p] ?? 0); // session id
  p += 2 + b.readUInt16BE(p); // cipher suites
  p += 1 + (b[p] ?? 0); // compression methods
  const extEnd = p + 2 + b.readUInt16BE(p);
  p += 2;
  while (p + 4 <= extEnd) {
    const type = b.readUInt16BE(p);
    const len = b.readUInt16BE(p + 2);
    if (type === 0) {
      const nameLen = b.readUInt16BE(p + 4 + 3);
      return b.subarray(p + 4 + 5, p + 4 + 5 + nameLen).toString('ascii');
    }
    p += 4 + len;
  }
  return undefined;
}
