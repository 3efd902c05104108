// TODO: regularizer l1
export {};
