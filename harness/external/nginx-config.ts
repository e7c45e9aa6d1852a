/** Where the https site's files live inside its container (same paths in nginx and toolbox images). */
export const SITE_PATHS = {
  config: '/etc/casebook/nginx.conf',
  cert: '/etc/casebook/tls/tls.crt',
  key: '/etc/casebook/tls/tls.key',
  root: '/srv/casebook',
  body: '/srv/casebook/body.txt',
} as const;

export const HTTPS_PORT = 443;

/**
 * A self-contained nginx.conf: no includes, no mime.types, temp paths under /tmp, so the same
 * file runs on Debian's nginx-light and on the upstream nginx image (their compiled-in paths
 * differ). Every path answers 200 with the body file, so a probe can use any URL path; the
 * body comes from a file rather than `return 200 "…"` so no quoting of user text is needed.
 */
export function nginxConfig(opts: { hostname: string; port?: number }): string {
  if (!/^[a-zA-Z0-9*.-]+$/.test(opts.hostname)) throw new Error(`invalid hostname for an https site: ${JSON.stringify(opts.hostname)}`);
  const port = opts.port ?? HTTPS_PORT;
  return [
    'worker_processes 1;',
    'daemon off;',
    'pid /tmp/nginx.pid;',
    'error_log stderr notice;',
    'events { worker_connections 64; }',
    'http {',
    '  access_log /dev/stdout;',
    '  client_body_temp_path /tmp/nginx-body;',
    '  proxy_temp_path /tmp/nginx-proxy;',
    '  fastcgi_temp_path /tmp/nginx-fastcgi;',
    '  uwsgi_temp_path /tmp/nginx-uwsgi;',
    '  scgi_temp_path /tmp/nginx-scgi;',
    '  server {',
    `    listen ${port} ssl;`,
    `    server_name ${opts.hostname};`,
    `    ssl_certificate ${SITE_PATHS.cert};`,
    `    ssl_certificate_key ${SITE_PATHS.key};`,
    `    root ${SITE_PATHS.root};`,
    '    default_type text/plain;',
    '    location / { try_files /body.txt =404; }',
    '  }',
    '}',
    '',
  ].join('\n');
}
