// TODO: initializer he
export {};
