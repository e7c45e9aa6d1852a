import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nginxConfig, SITE_PATHS } from './nginx-config.ts';

test('the site config serves TLS for the name with the copied files, body on every path', () => {
  const conf = nginxConfig({ hostname: 'site-a.test' });
  assert.match(conf, /listen 443 ssl;/);
  assert.match(conf, /server_name site-a\.test;/);
  assert.ok(conf.includes(`ssl_certificate ${SITE_PATHS.cert};`));
  assert.ok(conf.includes(`ssl_certificate_key ${SITE_PATHS.key};`));
  assert.match(conf, /try_files \/body\.txt =404;/);
  assert.doesNotMatch(conf, /include /, 'self-contained: the same file runs on Debian and upstream nginx');
});

test('a host name that could inject nginx syntax is refused', () => {
  assert.throws(() => nginxConfig({ hostname: 'a.test; return 500' }), /invalid hostname/);
});
