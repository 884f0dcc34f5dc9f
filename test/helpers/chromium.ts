import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Headless Chromium without the network chatter of a first run (no QUIC, sync or updates). */
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface ChromiumPage {
  browser: BrowserContext;
  page: Page;
  /** Closes the browser and removes its throwaway profile. */
  close(): Promise<void>;
}

/**
 * Opens one page in headless Chromium (`CHROMIUM_PATH`, else /usr/bin/chromium) on a fresh profile.
 *
 * @example
 * const { page, close } = await openChromium({ width: 1280, height: 900 });
 */
export async function openChromium(viewport: { width: number; height: number }): Promise<ChromiumPage> {
  const profileDir = mkdtempSync(join(tmpdir(), "nexus-chromium-"));
  const removeProfile = () => rmSync(profileDir, { recursive: true, force: true });
  try {
    const browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport,
    });
    const page = await browser.newPage();
    return {
      browser,
      page,
      close: async () => {
        await browser.close();
        removeProfile();
      },
    };
  } catch (error) {
    removeProfile();
    throw error;
  }
}
