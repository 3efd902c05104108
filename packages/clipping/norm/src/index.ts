// TODO: clipping norm
export {};
