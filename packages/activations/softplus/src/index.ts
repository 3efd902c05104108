// TODO: activation softplus
export {};
