/**
 * The write-ups several scenarios reproduce, cited once. Each is a published blog post or
 * walk-through; the casebook's copies of them are not part of this repository, so a citation holds
 * what a reader needs to find the original: title, author, date and address, where known.
 */
import type { WriteUp } from '../harness/index.ts';

/** inbound-port-not-captured */
export const MTLS_503_ANALYSIS = {
  title: 'Istio开启mtls请求503问题分析',
  date: '2020-07-07',
  note: 'a republished copy naming no author ("来源:网络"); the sleep and flaskapp samples are from github.com/fleeto',
} satisfies WriteUp;

/** serviceentry-without-addresses-hijacks-https */
export const HTTPS_AFTER_ISTIO_1_11 = {
  title: 'untitled: every injected pod loses external HTTPS after an upgrade to Istio 1.11.0',
  note: 'a blog post whose copy carries no title, author, date or address; the title here is ours',
} satisfies WriteUp;

/** serviceentry-in-other-namespace-captures-tcp-port */
export const EXTERNAL_TCP_UNREACHABLE = {
  title: 'istio无法访问外部tcp服务(一)',
  author: 'Lei Chu',
  note: 'Istio 1.4 and 1.6 on Kubernetes 1.11',
} satisfies WriteUp;

/** the ingress-* scenarios */
export const TRAFFIC_MANAGEMENT_HANDS_ON_2 = {
  title: 'Istio的流量管理(实操二)',
  date: '2020-05',
  note:
    "published on Alibaba Cloud's developer community; a walk-through of the ingress tasks of Istio's Traffic Management documentation; " +
    'the date is that of its outputs',
} satisfies WriteUp;

/** destinationrule-without-tls-overrides-mesh-mtls */
export const DEBUGGING_503_MTLS = {
  title: '在 Istio 中调试 503 错误',
  author: '米开朗基杨',
  date: '2018-10-11',
  note: 'a translation of "Istio, mTLS, debugging a 503 error", August 2018, https://bani.com.br/2018/08/istio-mtls-debugging-a-503-error/',
} satisfies WriteUp;
