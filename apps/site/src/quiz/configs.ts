/**
 * Named network configurations that ordering questions rank (item ids) and diagnose questions
 * break and fix. They are settings of the lab's probe job; the engine computes every number from them.
 */
import type { Setting } from '../lab/protocol.ts';

const NET = { width: 64, batch: 64, seed: 0, depth: 10, gain: 1 } as const;

export const CONFIGS: Readonly<Record<string, Setting>> = {
  'sigmoid-glorot': { ...NET, activation: 'sigmoid', initializer: 'glorot' },
  'tanh-glorot': { ...NET, activation: 'tanh', initializer: 'glorot' },
  'sigmoid-glorot-5': { ...NET, activation: 'sigmoid', initializer: 'glorot', depth: 5 },
  'sigmoid-glorot-15': { ...NET, activation: 'sigmoid', initializer: 'glorot', depth: 15 },
  'sigmoid-glorot-20': { ...NET, activation: 'sigmoid', initializer: 'glorot', depth: 20 },
  'relu-glorot': { ...NET, activation: 'relu', initializer: 'glorot' },
  'relu-he': { ...NET, activation: 'relu', initializer: 'he' },
  'relu-he-gain-1-5': { ...NET, activation: 'relu', initializer: 'he', gain: 1.5 },
  'relu-he-gain-0-8': { ...NET, activation: 'relu', initializer: 'he', gain: 0.8 },
  'relu-lecun': { ...NET, activation: 'relu', initializer: 'lecun' },
  'relu-he-gain-2': { ...NET, activation: 'relu', initializer: 'he', gain: 2 },
  'tanh-glorot-gain-2': { ...NET, activation: 'tanh', initializer: 'glorot', gain: 2 },
  // One optimizer step (page 7: the update/weight ratio of the first hidden layer).
  'sigmoid-20-sgd': { ...NET, activation: 'sigmoid', initializer: 'glorot', depth: 20, optimizer: 'sgd', lr: 0.01 },
  'sigmoid-20-adam': { ...NET, activation: 'sigmoid', initializer: 'glorot', depth: 20, optimizer: 'adam', lr: 0.001 },
  'sigmoid-10-adam': { ...NET, activation: 'sigmoid', initializer: 'glorot', optimizer: 'adam', lr: 0.001 },
  'relu-he-adam': { ...NET, activation: 'relu', initializer: 'he', optimizer: 'adam', lr: 0.001 },
  // Page 6: a fixed-std normal draw (the initializer's own `std` option, init-options.ts).
  'relu-normal-0-01': { ...NET, activation: 'relu', initializer: 'normal', initStd: 0.01 },
  'relu-normal-1': { ...NET, activation: 'relu', initializer: 'normal', initStd: 1 },
};

/** Finding code of the probes that each diagnose option id stands for. */
export const PATHOLOGIES: Readonly<Record<string, string>> = {
  vanishing: 'VANISHING_GRADIENTS',
  exploding: 'EXPLODING_GRADIENTS',
  dead: 'DEAD_UNITS',
  saturation: 'SATURATION',
  nan: 'NAN_DETECTED',
  symmetry: 'SYMMETRY',
};

/** What each diagnose fix option changes in the broken run's setting; the build reruns it to verify. */
export const FIXES: Readonly<Record<string, Setting>> = {
  'relu-he': { activation: 'relu', initializer: 'he' },
  'leaky-relu': { activation: 'leaky-relu' },
  'gain-1': { gain: 1 },
  'gain-1-5': { gain: 1.5 },
  'glorot-init': { initializer: 'glorot' },
  wider: { width: 128 },
  deeper: { depth: 30 },
  'bias-0': { biasInit: 0 },
  'tanh-glorot': { activation: 'tanh', initializer: 'glorot' },
};
