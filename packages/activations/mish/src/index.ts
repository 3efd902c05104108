// TODO: activation mish
export {};
