/**
 * Page 12's live jobs as one module for the worker's loaders (worker-jobs.ts): the gradient check and
 * doctor run on the same page, and one chunk gzips smaller than two (the page is near the
 * worker's 50 KB budget, decision 0039).
 */
export { doctorJob } from './doctor-job.ts';
export { gradcheck } from './gradcheck-job.ts';
