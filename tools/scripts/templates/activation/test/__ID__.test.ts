import { describeActivation } from '@gradlab/testkit';
import __VAR__ from '../src/index.ts';

// More option sets: describeActivation(__VAR__, { options: { … } }). Golden values: { golden }.
describeActivation(__VAR__);
