import { createDelivery } from './delivery.js';
import { createPipelineWith, type Pipeline, type PipelineOptions } from './pipeline-core.js';

export { createPipelineWith, type DeliveryFactory, type Pipeline, type PipelineCoreOptions, type PipelineOptions, type PipelineStats } from './pipeline-core.js';

/**
 * The core pipeline: records → packs (batcher) → outbox → delivery, with the buffer limits and
 * result codes of the C++ SDK's `Send`.
 * @example const pipeline = createPipeline({ clock, endpoint, packCount: 20, packBytes: 65_000, packTimeoutMs: 3000, maxBufferBytes: 1e7, maxRecordBytes: 65_536, retries: 3, backoff: { baseMs: 500, maxMs: 30_000 }, concurrency: 4 });
 */
export function createPipeline(options: PipelineOptions): Pipeline {
  return createPipelineWith(options, (deliveryOptions) => createDelivery({ ...deliveryOptions, endpoint: options.endpoint }));
}
