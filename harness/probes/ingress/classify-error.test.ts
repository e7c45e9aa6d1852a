import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyError, classifyResponse, errorCode } from './classify-error.ts';

const err = (code: string, message = code, extra: object = {}) => Object.assign(new Error(message), { code }, extra);

test('codes from the cause or an AggregateError count', () => {
  assert.equal(errorCode(new TypeError('fetch failed', { cause: err('ECONNREFUSED') })), 'ECONNREFUSED');
  assert.equal(errorCode(new AggregateError([err('ECONNREFUSED')])), 'ECONNREFUSED');
  assert.equal(errorCode(new DOMException('timed out', 'TimeoutError')), 'TimeoutError');
});

test('alerts are classified by code, or by reason when a Node version reports EPROTO', () => {
  assert.equal(classifyError(err('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'), { tls: true }).kind, 'handshake-alert');
  assert.equal(
    classifyError(err('EPROTO', 'x', { reason: 'tlsv13 alert certificate required' }), { tls: true }).kind,
    'certificate-required',
  );
  assert.equal(classifyError(err('EPROTO', 'x:wrong version number:y'), { tls: true }).kind, 'tls-on-plaintext');
  assert.equal(classifyError(new DOMException('t', 'TimeoutError'), { tls: false }).kind, 'timeout');
});

test('a socket closed on plain HTTP stays "other"; a reset without handshake on TLS is reset-before-tls', () => {
  assert.equal(classifyError(err('UND_ERR_SOCKET', 'other side closed'), { tls: false }).kind, 'other');
  const hs = { established: false, chain: [], responded: false, closedWithoutResponse: false, timedOut: false };
  assert.equal(classifyError(err('UND_ERR_SOCKET', 'other side closed'), { tls: true, handshake: hs }).kind, 'reset-before-tls');
});

test("nginx's 400 pages for client certificates", () => {
  assert.equal(classifyResponse(400, '<center>No required SSL certificate was sent</center>')?.kind, 'certificate-required');
  assert.equal(classifyResponse(400, '<center>The SSL certificate error</center>')?.kind, 'other');
  assert.equal(classifyResponse(400, 'bad request'), undefined);
  assert.equal(classifyResponse(200, 'No required SSL certificate was sent'), undefined);
});
