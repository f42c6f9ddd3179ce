/**
 * Character offset → 1-based line and column (UTF-16 code units), built from a text without parsing it.
 * Lines start at offset 0 and after every `\n`, which is how the `yaml` package's `LineCounter` counts them
 * for JSON texts, so positions agree with the YAML-node path (`positionAt` in `shared/yaml-file.ts`).
 */
import type { Position } from '../../shared/diagnostics.js';

export class LinePositions {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) this.starts.push(nl + 1);
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    // The last line start at or before `offset`.
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }
}
