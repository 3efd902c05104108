// TODO: initializer glorot
export {};
