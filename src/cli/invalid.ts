// --on-invalid: `fail` stops at the first invalid row (exit code 1), `nan` scores it NaN, warns
// about the first few and counts the rest.
import type { DataError } from './errors.js';
import { warn, type CommonOptions } from './options.js';

const SHOWN = 10;

export type OnInvalid = 'fail' | 'nan';

export class InvalidRows {
  count = 0;

  constructor(readonly mode: OnInvalid, private readonly opts: CommonOptions) {}

  report(err: DataError): void {
    if (this.mode === 'fail') throw err;
    this.count++;
    if (this.count <= SHOWN) warn(this.opts, `${err.message} (scored NaN)`);
  }

  summarize(): void {
    if (this.count > 0) warn(this.opts, `${this.count} invalid row${this.count === 1 ? '' : 's'} scored NaN${this.count > SHOWN ? ` (the first ${SHOWN} are shown above)` : ''}`);
  }
}
