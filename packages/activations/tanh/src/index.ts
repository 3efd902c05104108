// TODO: activation tanh
export {};
