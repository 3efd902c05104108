import { describeClipping } from '@gradlab/testkit';
import __VAR__ from '../src/index.ts';

// More option sets: describeClipping(__VAR__, { cases: [{}, { … }] }).
describeClipping(__VAR__);
