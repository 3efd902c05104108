// TODO: initializer constant
export {};
