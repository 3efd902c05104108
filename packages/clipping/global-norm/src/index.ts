// TODO: clipping global-norm
export {};
