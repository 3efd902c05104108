import { describeRegularizer } from '@gradlab/testkit';
import __VAR__ from '../src/index.ts';

// More option sets: describeRegularizer(__VAR__, { cases: [{}, { … }] }).
describeRegularizer(__VAR__);
