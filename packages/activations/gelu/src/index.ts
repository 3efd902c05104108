// TODO: activation gelu
export {};
