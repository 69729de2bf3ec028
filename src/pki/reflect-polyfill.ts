/**
 * The small part of the Reflect metadata API that tsyringe (a dependency of @peculiar/x509 2.x) needs at
 * load time. @peculiar/x509 requires "a Reflect polyfill" and none is installed; this module must be
 * evaluated before @peculiar/x509 (see ./x509.ts), so import x509 from src/pki, never directly.
 */

type MetadataMap = Map<unknown, unknown>;
const store = new WeakMap<object, MetadataMap>();

function ownMap(target: object, create: boolean): MetadataMap | undefined {
  let map = store.get(target);
  if (!map && create) {
    map = new Map();
    store.set(target, map);
  }
  return map;
}

function getOwnMetadata(key: unknown, target: object): unknown {
  return ownMap(target, false)?.get(key);
}

function hasOwnMetadata(key: unknown, target: object): boolean {
  return ownMap(target, false)?.has(key) ?? false;
}

function getMetadata(key: unknown, target: object): unknown {
  for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
    if (hasOwnMetadata(key, t)) return getOwnMetadata(key, t);
  }
  return undefined;
}

function hasMetadata(key: unknown, target: object): boolean {
  for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
    if (hasOwnMetadata(key, t)) return true;
  }
  return false;
}

function defineMetadata(key: unknown, value: unknown, target: object): void {
  ownMap(target, true)!.set(key, value);
}

function metadata(key: unknown, value: unknown) {
  return (target: object) => defineMetadata(key, value, target);
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect["getMetadata"] !== "function") {
  Object.assign(reflect, {
    getMetadata,
    getOwnMetadata,
    hasMetadata,
    hasOwnMetadata,
    defineMetadata,
    metadata,
  });
}

export {};
