// Counts and limits shared by the parts of bench/track.mjs and by the report that describes them.
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const FULL = { events: 100_000, runs: 5, warmup: 20_000, wireEvents: 10_000, memoryEvents: 1_000_000, browserWarmup: 2_000, browserEvents: 10_000 };
export const QUICK = { events: 10_000, runs: 3, warmup: 2_000, wireEvents: 2_000, memoryEvents: 50_000, browserWarmup: 200, browserEvents: 1_000 };
/** Records per batch for both SDKs: thinkingdata-node's default `batchSize`. */
export const BATCH = 20;
/** Events produced between yields to the event loop, as a server handles requests in turns. */
export const CHUNK = 1_000;
/**
 * The producer waits while this many events are produced but not yet acknowledged by the sink,
 * as a server sheds load under backpressure. inlong-js holds at most `recvBufSize` (10 MB)
 * and refuses beyond it; thinkingdata-node holds without limit. 10,000 of the mix stay under 10 MB.
 */
export const WINDOW = 10_000;
