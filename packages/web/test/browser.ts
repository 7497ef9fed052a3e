// Launches Debian's Chromium through playwright-core for the browser tests.
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM } from "../../../scripts/ensure-chromium.ts";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}
