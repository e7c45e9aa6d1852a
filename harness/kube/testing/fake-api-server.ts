import { KubeConfig } from '@kubernetes/client-node';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A FAKE Kubernetes API server for unit tests of request shapes only: it answers discovery,
 * records every request, replies with what a test scripts, and speaks the exec websocket framing
 * (one channel byte per binary frame: 1 stdout, 2 stderr, 3 status as a JSON Status). It checks
 * nothing a real API server checks (auth, schemas, admission). Nothing here says that the harness
 * works against a real cluster; the e2e suite does that.
 */
export type RecordedRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
};
export type FakeReply = { status: number; body: unknown; contentType?: string };
export type ExecSession = {
  /** The subprotocol the server picked from the client's offer. */
  protocol: string;
  query: URLSearchParams;
  path: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Channel 3: the Status the API server sends when the command ends. */
  status(status: Record<string, unknown>): void;
  close(): void;
};

type Route = { method: string; path: string | RegExp; reply: (req: RecordedRequest) => FakeReply };

/**
 * An open watch (`?watch=true`): the test sends events as the API server streams them (one JSON
 * object a line: {type, object}), and may end the stream as the server does at its timeout.
 */
export type WatchSession = {
  query: URLSearchParams;
  path: string;
  send(type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR', object: unknown): void;
  end(): void;
};
type WatchRoute = { path: string | RegExp; open: (session: WatchSession) => void };

const CORE_RESOURCES = [
  ['namespaces', 'Namespace', false],
  ['pods', 'Pod', true],
  ['services', 'Service', true],
  ['secrets', 'Secret', true],
  ['configmaps', 'ConfigMap', true],
  ['serviceaccounts', 'ServiceAccount', true],
] as const;
const GROUP_RESOURCES: Record<string, readonly (readonly [string, string, boolean])[]> = {
  'apps/v1': [['deployments', 'Deployment', true]],
  'networking.istio.io/v1': [
    ['destinationrules', 'DestinationRule', true],
    ['virtualservices', 'VirtualService', true],
    ['serviceentries', 'ServiceEntry', true],
    ['gateways', 'Gateway', true],
  ],
  'security.istio.io/v1': [['peerauthentications', 'PeerAuthentication', true]],
  'networking.k8s.io/v1': [
    ['ingressclasses', 'IngressClass', false],
    ['ingresses', 'Ingress', true],
  ],
};

function resourceList(groupVersion: string, resources: readonly (readonly [string, string, boolean])[]) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: resources.map(([name, kind, namespaced]) => ({
      name,
      singularName: '',
      kind,
      namespaced,
      verbs: ['get', 'list', 'create', 'patch', 'delete'],
    })),
  };
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  url = '';
  private routes: Route[] = [];
  private watchRoutes: WatchRoute[] = [];
  /** Watches currently open (a test can send to them after the client connected). */
  readonly watches: WatchSession[] = [];
  private execHandler: ((s: ExecSession) => void) | undefined;
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(recorded);
      const watch =
        recorded.method === 'GET' && url.searchParams.get('watch') === 'true'
          ? this.watchRoutes.find((r) => (typeof r.path === 'string' ? r.path === recorded.path : r.path.test(recorded.path)))
          : undefined;
      if (watch) {
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        res.flushHeaders();
        const session: WatchSession = {
          query: url.searchParams,
          path: url.pathname,
          send: (type, object) => {
            if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
          },
          end: () => {
            if (!res.writableEnded) res.end();
          },
        };
        this.watches.push(session);
        res.on('close', () => {
          const i = this.watches.indexOf(session);
          if (i >= 0) this.watches.splice(i, 1);
        });
        watch.open(session);
        return;
      }
      const reply = this.replyTo(recorded);
      res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json' });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  private readonly wss: WebSocketServer;

  constructor(opts: { execProtocols?: string[] } = {}) {
    const supported = opts.execProtocols ?? ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
    this.wss = new WebSocketServer({
      noServer: true,
      // Like the API server: the first protocol in the client's offer that the server speaks.
      handleProtocols: (offered) => [...offered].find((p) => supported.includes(p)) ?? false,
    });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      this.requests.push({ method: 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: '' });
      this.wss.handleUpgrade(req, socket, head, (ws) => this.startExec(ws, url));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  kubeConfig(namespace = 'default'): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      // Plain HTTP: client-node 2.x only allows http:// servers with skipTLSVerify set (there is no TLS to verify).
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'fake-user', token: 'fake-token' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'fake-user', namespace }],
      currentContext: 'fake',
    });
    return kc;
  }

  on(method: string, path: string | RegExp, reply: (req: RecordedRequest) => FakeReply): this {
    this.routes.unshift({ method, path, reply });
    return this;
  }

  /** Answers `GET <path>?watch=true` with a stream the test writes to (no route: 404, as for any unknown path). */
  onWatch(path: string | RegExp, open: (session: WatchSession) => void): this {
    this.watchRoutes.unshift({ path, open });
    return this;
  }

  onExec(handler: (session: ExecSession) => void): this {
    this.execHandler = handler;
    return this;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private replyTo(req: RecordedRequest): FakeReply {
    const route = this.routes.find(
      (r) => r.method === req.method && (typeof r.path === 'string' ? r.path === req.path : r.path.test(req.path)),
    );
    if (route) return route.reply(req);
    if (req.method === 'GET' && req.path === '/api/v1') return { status: 200, body: resourceList('v1', CORE_RESOURCES) };
    const group = /^\/apis\/(.+\/.+)$/.exec(req.path)?.[1];
    if (req.method === 'GET' && group && GROUP_RESOURCES[group]) return { status: 200, body: resourceList(group, GROUP_RESOURCES[group]) };
    return {
      status: 404,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        message: `fake: no route for ${req.method} ${req.path}`,
        code: 404,
      },
    };
  }

  private startExec(ws: WebSocket, url: URL): void {
    const frame = (channel: number, data: string) => ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data, 'utf8')]));
    // The API server's first message: an empty frame on the lowest output channel, before any output.
    frame(1, '');
    const session: ExecSession = {
      protocol: ws.protocol,
      query: url.searchParams,
      path: url.pathname,
      stdout: (t) => frame(1, t),
      stderr: (t) => frame(2, t),
      status: (s) => frame(3, JSON.stringify(s)),
      close: () => ws.close(1000),
    };
    if (this.execHandler) this.execHandler(session);
    else {
      session.status({ metadata: {}, status: 'Failure', message: 'fake: no exec handler', reason: 'InternalError' });
      session.close();
    }
  }
}
