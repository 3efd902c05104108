// TODO: regularizer elastic-net
export {};
