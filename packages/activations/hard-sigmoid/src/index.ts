// TODO: activation hard-sigmoid
export {};
