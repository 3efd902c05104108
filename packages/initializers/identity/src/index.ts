// TODO: initializer identity
export {};
