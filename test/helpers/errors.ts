// The InfodivError a call throws (failing the test when it returns or throws anything else).
import { expect } from 'vitest';
import { InfodivError } from '../../src/errors.js';

export function caught(fn: () => unknown): InfodivError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InfodivError);
    return e as InfodivError;
  }
  throw new Error('expected an InfodivError');
}
