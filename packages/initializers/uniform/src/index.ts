// TODO: initializer uniform
export {};
