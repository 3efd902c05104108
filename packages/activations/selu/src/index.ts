// TODO: activation selu
export {};
