import type { Check } from '../model/check.ts';
import { didYouMean } from '../model/did-you-mean.ts';
import { makeCheck, result } from './describe.ts';

/** Property names the language and tools probe on any object (await, JSON, inspection). */
const NOT_CHECK_NAMES = new Set(['then', 'toJSON', 'constructor', 'inspect', 'asymmetricMatch', '$$typeof']);

/** A check that fails whatever it sees, naming the unknown name and the nearest known one. */
export function unknownCheck(name: string, known: readonly string[]): Check<unknown> {
  const suggestion = didYouMean(name, known);
  const message = `check.${name} is not a check${suggestion ? ` (did you mean check.${suggestion}?)` : ''}; the checks are listed in docs/authoring-scenarios.md §5`;
  return { ...makeCheck(`${name}(…)`, () => result(false, message)), unknownName: suggestion ? { name, suggestion } : { name } };
}

/** Wraps the vocabulary so an unknown name returns a builder of `unknownCheck` instead of undefined. */
export function guardNames<V extends object>(vocabulary: V): V {
  const known = Object.keys(vocabulary);
  return new Proxy(vocabulary, {
    get(target, prop, receiver) {
      if (typeof prop !== 'string' || prop in target || NOT_CHECK_NAMES.has(prop)) return Reflect.get(target, prop, receiver);
      return () => unknownCheck(prop, known);
    },
  });
}
