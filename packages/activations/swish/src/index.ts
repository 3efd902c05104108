// TODO: activation swish
export {};
