// TODO: activation softsign
export {};
