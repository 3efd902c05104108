// TODO: initializer orthogonal
export {};
