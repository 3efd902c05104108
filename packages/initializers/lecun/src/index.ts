// TODO: initializer lecun
export {};
