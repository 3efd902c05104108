// TODO: activation elu
export {};
