// TODO: initializer normal
export {};
