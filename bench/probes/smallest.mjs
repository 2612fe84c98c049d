// The smallest ESM path a server-side user takes: ThinkingData's server-style API over the default
// memory outbox and fetch transport. bench/size.mjs bundles this file the way a user's bundler
// would (esbuild, bundle + minify) and holds it to the 8 KB gzip budget of issue 7.
export { TDAnalytics, BatchConsumer } from '../../dist/index.js';
