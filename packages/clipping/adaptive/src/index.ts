// TODO: clipping adaptive
export {};
