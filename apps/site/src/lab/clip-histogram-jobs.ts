/**
 * One lazy chunk of the worker for two jobs: the clip job (pages 8, the myths page, the free lab) and
 * the histogram job (page 1, the free lab). The histogram job left the entry to pay for the probe
 * runner's buffer pool (decision 0012); in a chunk of its own it would cost the free lab a chunk's
 * overhead it cannot afford, and page 1, which now also loads the clip job's code, has kilobytes of room.
 */
export { clipJob } from './clip-job.ts';
export { histogramJob } from './histogram-job.ts';
