import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { InfrastructureError } from '../../model/errors.ts';
import type { BrowserObservation } from '../../model/observation.ts';
import type { BrowserProbeSpec } from '../../model/probe-spec.ts';
import type { IngressAddress } from '../ingress/observe-ingress.ts';
import { findChromium } from './find-chromium.ts';

/**
 * Chromium on a closed network: no sandbox (containers, root in CI), no GPU, no QUIC (the
 * gateway speaks TCP), and none of the background calls home that would stall or log noise.
 */
export const CLOSED_NETWORK_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
] as const;

export type BrowserContext = { address: IngressAddress; timeoutMs?: number; maxTextChars?: number };

/**
 * A navigation that failed (refused, reset) is an observation: status 0 and the browser's error.
 * When a response arrived but Chromium still reports a failure (an error status with an empty
 * body, like Envoy's 404 for an unmatched host, is net::ERR_HTTP_RESPONSE_CODE_FAILURE), the
 * status is kept and the message goes to navigationError.
 */
export type BrowserResult = BrowserObservation & { error?: string; navigationError?: string; textTruncated?: boolean; browser: string };

/**
 * Opens `<scheme>://<ingress>/<path>` in a real headless Chromium and reports status, title and
 * the page's visible text. A browser cannot choose the Host header: it sends the ingress address,
 * which is exactly why a host-specific Gateway answers it with 404.
 */
export async function observeBrowser(spec: BrowserProbeSpec, ctx: BrowserContext): Promise<BrowserResult> {
  const scheme = spec.scheme ?? 'http';
  const port = scheme === 'https' ? ctx.address.httpsPort : ctx.address.httpPort;
  const path = spec.path.startsWith('/') ? spec.path : `/${spec.path}`;
  const url = `${scheme}://${hostForUrl(ctx.address.host)}:${port}${path}`;
  const timeout = ctx.timeoutMs ?? 15_000;
  const found = findChromium({ playwrightPath: chromium.executablePath() });
  const userDataDir = await mkdtemp(join(tmpdir(), 'casebook-chromium-'));
  try {
    let context;
    try {
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: found.executablePath,
        headless: true,
        args: [...CLOSED_NETWORK_FLAGS],
        timeout,
        // The run's CA is not in the browser's store; what is judged is the page, not the chain.
        ignoreHTTPSErrors: true,
      });
    } catch (e) {
      throw new InfrastructureError(
        `Chromium (${found.executablePath}, from ${found.source}) did not start: ${(e as Error).message.split('\n')[0]}`,
        'run it by hand with --headless --no-sandbox to see why, or point CASEBOOK_CHROMIUM at another Chromium',
        { cause: e },
      );
    }
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const base = { kind: 'browser' as const, url, browser: `${found.source}:${found.executablePath}` };
      let mainStatus: number | undefined;
      page.on('response', (r) => {
        if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) mainStatus = r.status();
      });
      let failure: string | undefined;
      try {
        const response = await page.goto(url, { waitUntil: 'load', timeout });
        mainStatus = response?.status() ?? mainStatus;
      } catch (e) {
        failure = (e as Error).message.split('\n')[0] ?? String(e);
      }
      if (mainStatus === undefined) return { ...base, status: 0, title: '', text: '', error: failure ?? 'no response' };
      const text = await page.innerText('body').catch(() => '');
      const max = ctx.maxTextChars ?? 65_536;
      return {
        ...base,
        status: mainStatus,
        title: await page.title().catch(() => ''),
        text: text.slice(0, max),
        ...(text.length > max ? { textTruncated: true } : {}),
        navigationError: failure,
      };
    } finally {
      await context.close();
    }
  } finally {
    await rm(userDataDir, { recursive: true, force: true });
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
