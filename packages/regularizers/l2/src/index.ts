// TODO: regularizer l2
export {};
