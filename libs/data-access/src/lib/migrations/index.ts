import { Init1764370000000 } from './1764370000000-Init';

/** Every migration, oldest first. Never edit one that has shipped; add a new one. */
export const MIGRATIONS = [Init1764370000000];
