// TODO: activation sigmoid
export {};
