export { observeBrowser, CLOSED_NETWORK_FLAGS, type BrowserContext, type BrowserResult } from './observe-browser.ts';
export { findChromium, type ChromiumChoice } from './find-chromium.ts';
