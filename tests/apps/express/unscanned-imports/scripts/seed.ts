export function seed() {}
