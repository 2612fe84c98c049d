/**
 * Imports the ESM entry and does nothing else: the test checks that importing created no
 * storage, database, timer or listener (design: importing any entry has no side effects).
 */
import { InLong } from '../../../src/runtimes/browser.js';

(globalThis as { __imported?: string }).__imported = typeof InLong.init;
