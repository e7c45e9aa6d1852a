import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReachable, judgeReachability, reachabilityCommand, type ReachabilityTarget } from './reachability.ts';

const site: ReachabilityTarget = { kind: 'https-site', name: 'site-b', ip: '172.18.0.5', port: 443, hostname: 'site-b.test', body: 'site B', caPath: '/etc/casebook/ca/external-ca.pem' };
const db: ReachabilityTarget = { kind: 'mysql', name: 'db', ip: '172.18.0.6', port: 3306 };

test('https check: curl pinned to the IP with --resolve, verifying against the CA', () => {
  const cmd = reachabilityCommand(site);
  assert.deepEqual(cmd.slice(0, 9), ['curl', '-sS', '-v', '--max-time', '10', '--resolve', 'site-b.test:443:172.18.0.5', '--cacert', '/etc/casebook/ca/external-ca.pem']);
  assert.equal(cmd.at(-1), 'https://site-b.test:443/');
  assert.ok(!cmd.includes('-k'));
});

test('https check holds only for exit 0, status 200 and the exact body', () => {
  const good = judgeReachability(site, { exitCode: 0, stdout: 'site B\n__casebook_http_status=200', stderr: '*  subject: CN=site-b.test\n' });
  assert.equal(good.ok, true);
  assert.match(good.message, /got curl exit 0, status 200, subject CN=site-b\.test, body "site B"/);
  const wrongBody = judgeReachability(site, { exitCode: 0, stdout: '404 page not found\n__casebook_http_status=200', stderr: '' });
  assert.equal(wrongBody.ok, false);
  const badCert = judgeReachability(site, { exitCode: 60, stdout: '\n__casebook_http_status=000',
    stderr: '*  subject: CN=*.example.com\ncurl: (60) SSL: no alternative certificate subject name matches target host name \'site-b.test\'\n' });
  assert.equal(badCert.ok, false);
  assert.match(badCert.message, /got curl exit 60, status 0, subject CN=\*\.example\.com.*curl: \(60\) SSL: no alternative/);
});

test('mysql check: a greeting holds; an error packet or silence does not', () => {
  assert.deepEqual(reachabilityCommand(db), ['sh', '-c', 'nc -w 3 172.18.0.6 3306 </dev/null | od -An -tx1 -v']);
  const greeting = ' 0f 00 00 00 0a 38 2e 34 2e 38 00 01 00 00 00 00';
  assert.equal(judgeReachability(db, { exitCode: 0, stdout: greeting, stderr: '' }).ok, true);
  const refused = judgeReachability(db, { exitCode: 0, stdout: '', stderr: '' });
  assert.equal(refused.ok, false);
  assert.match(refused.message, /expected a protocol 10 greeting, got no greeting \(0 byte\(s\) received; nc exit 0\)/);
});

test('checkReachable retries until the check holds and says how many attempts it took', async () => {
  const replies = ['', ' 0f 00 00 00 0a 38 2e 34 2e 38 00 01 00 00 00 00'];
  const r = await checkReachable(async () => ({ exitCode: 0, stdout: replies.shift() ?? '', stderr: '' }), db, { intervalMs: 1 });
  assert.equal(r.ok, true);
  assert.equal(r.attempts, 2);
  const never = await checkReachable(async () => ({ exitCode: 1, stdout: '', stderr: 'nc: timed out' }), db, { attempts: 3, intervalMs: 1 });
  assert.equal(never.ok, false);
  assert.equal(never.attempts, 3);
  assert.match(never.message, /nc exit 1: nc: timed out/);
});
