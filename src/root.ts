// The root functions of the package: each forwards to a lazily created default engine.
import type { Engine } from './engine.js';

/** Engine methods that are also exported at the package root. */
export const ROOT_NAMES = [
  'entropy', 'crossEntropy', 'kl', 'jsd', 'jsDistance',
  'mutualInformation', 'jointEntropy', 'conditionalEntropy', 'pairwise',
  'contingency', 'mutualInfoScore', 'normalizedMutualInfoScore', 'adjustedMutualInfoScore', 'mutualInfoScores',
  'channelMutualInformation', 'channelCapacity',
] as const;

export type RootName = (typeof ROOT_NAMES)[number];
export type RootFunctions = { [K in RootName]: Engine[K] };

export function bindRoot(engine: () => Engine): RootFunctions {
  const root = {} as Record<RootName, (...args: unknown[]) => unknown>;
  for (const name of ROOT_NAMES) {
    root[name] = (...args: unknown[]) => (engine()[name] as (...a: unknown[]) => unknown)(...args);
  }
  return root as unknown as RootFunctions;
}
