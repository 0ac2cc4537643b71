import {
  choosePartners,
  PARTNERS_KEY,
  partnersChosen,
  setTimelineQuery,
} from '../../../../../web/src/pages/gallery/partners';

/** A Storage of a Map, as the browser's localStorage keeps strings. */
function memoryStorage() {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
}

describe("the timeline's partners switch", () => {
  it('is off until chosen, kept once chosen, and forgotten when turned off', () => {
    const store = memoryStorage();
    expect(partnersChosen(store)).toBe(false);
    choosePartners(true, store);
    expect(store.values.get(PARTNERS_KEY)).toBe('include');
    expect(partnersChosen(store)).toBe(true);
    choosePartners(false, store);
    expect(store.values.has(PARTNERS_KEY)).toBe(false);
    expect(partnersChosen(store)).toBe(false);
  });

  it('holds without a storage, or with one that refuses', () => {
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(partnersChosen(undefined)).toBe(false);
    expect(partnersChosen(refusing)).toBe(false);
    expect(() => choosePartners(true, refusing)).not.toThrow();
  });

  it("asks for the owner's timeline alone, or merged with their partners' photos", () => {
    const own = new URLSearchParams({ limit: '24' });
    setTimelineQuery(own, false);
    expect(own.toString()).toBe('limit=24&sort=taken');
    const merged = new URLSearchParams({ limit: '24' });
    setTimelineQuery(merged, true);
    expect(merged.toString()).toBe('limit=24&partners=include');
  });
});
