import { describeProbe } from '@gradlab/testkit';
import probes from '../src/index.ts';

for (const probe of probes) describeProbe(probe);
