import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnvoyStats } from './envoy-stats.ts';

// Envoy's /stats text format: `name: value` counters and gauges, histograms as quantile lists.
const STATS = [
  'cluster.outbound|8000||httpbin.demo.svc.cluster.local.upstream_rq_pending_overflow: 7',
  'cluster.outbound|8000||httpbin.demo.svc.cluster.local.upstream_cx_active: 2',
  'cluster.PassthroughCluster.upstream_rq_pending_overflow: 0',
  'listener.0.0.0.0_15006.no_filter_chain_match: 3',
  'cluster.outbound|8000||httpbin.demo.svc.cluster.local.upstream_rq_time: P0(nan,1) P25(nan,1.025) P50(nan,1.05)',
].join('\n');

test('counters and gauges, histograms skipped; substring and /regex/ filters', () => {
  assert.equal(Object.keys(parseEnvoyStats(STATS)).length, 4);
  assert.deepEqual(parseEnvoyStats(STATS, 'outbound|8000||httpbin'), {
    'cluster.outbound|8000||httpbin.demo.svc.cluster.local.upstream_rq_pending_overflow': 7,
    'cluster.outbound|8000||httpbin.demo.svc.cluster.local.upstream_cx_active': 2,
  });
  assert.deepEqual(parseEnvoyStats(STATS, '/^listener\\..*no_filter_chain_match$/'), { 'listener.0.0.0.0_15006.no_filter_chain_match': 3 });
});
