// A pure function of a key worked out once per key and then looked up: the turn's hot path asks the same small
// questions again and again (a channel secret's HMAC key, a token's LINE client, a typed word's normal form). The
// cache holds at most `max` keys and starts over when full, so a stream of distinct keys cannot grow it.

/** `fn` remembered for up to `max` distinct keys. */
export function memoize<K, V>(fn: (key: K) => V, max: number): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as V;
    if (cache.size >= max) cache.clear();
    const value = fn(key);
    cache.set(key, value);
    return value;
  };
}
