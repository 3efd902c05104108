import { describeInitializer } from '@gradlab/testkit';
import __VAR__ from '../src/index.ts';

// More option sets: describeInitializer(__VAR__, { cases: [{}, { … }] }).
describeInitializer(__VAR__);
