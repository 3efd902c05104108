// TODO: activation relu
export {};
