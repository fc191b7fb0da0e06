const SECRET_KEYS = Symbol('millrace:secret-config-keys');

/** Marks a config property as secret: its value never appears in errors or logs. */
export function Secret(): PropertyDecorator {
  return (target, propertyKey) => {
    const ctor = target.constructor as unknown as Record<symbol, Set<string | symbol> | undefined>;
    const own = Object.prototype.hasOwnProperty.call(ctor, SECRET_KEYS) ? ctor[SECRET_KEYS] : undefined;
    const keys = new Set(own ?? ctor[SECRET_KEYS] ?? []);
    keys.add(propertyKey);
    Object.defineProperty(ctor, SECRET_KEYS, { value: keys, enumerable: false, configurable: true });
  };
}

export function isSecret(cls: object, key: string): boolean {
  const keys = (cls as Record<symbol, Set<string | symbol> | undefined>)[SECRET_KEYS];
  return keys?.has(key) ?? false;
}
