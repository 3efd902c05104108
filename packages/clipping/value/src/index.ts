// TODO: clipping value
export {};
