/**
 * The one place the suites depend on Playwright's underscored `_baseTest`: the runner without its browser
 * fixtures. The public `test` adds, to every case, an automatic trace-recording fixture whose set-up and
 * tear-down cost some 9 ms of CPU each case, and a Playwright client per worker; no case uses a browser or
 * Playwright's request context (pushcheck sends with its own HTTP client). `_baseTest` is exported and typed by
 * `@playwright/test` but not documented, so an upgrade may change it: this file is then the one to change.
 */
import { _baseTest } from '@playwright/test';

/** Playwright's test runner without browser fixtures; the suites extend it (suites/fixtures.ts). */
export const baseTest = _baseTest;
