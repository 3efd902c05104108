// TODO: activation leaky-relu
export {};
