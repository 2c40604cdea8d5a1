export { runProducer, type RunningProducer, type RunOptions } from './run.ts';
export { startProducer, type Producer, type ProducerOptions } from './producer.ts';
export { CursorStore, cursorCopyParts, type CursorCopies } from './cursor.ts';
export { POLL_OUTCOMES, type PollOutcome, type ProducerMetrics } from './metrics.ts';
export { MAX_BODY_BYTES } from '@tbe/shared/wm/client';
export { PLATFORM_JOB_NAME } from '@tbe/shared';
// Callers that start the producer themselves (tests, `run all`) build its registry with this,
// without a prom-client dependency of their own (and so with the same prom-client copy).
export { Registry } from 'prom-client';
