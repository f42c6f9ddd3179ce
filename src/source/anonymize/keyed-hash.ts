/**
 * Deterministic pseudo-randomness keyed by the anonymization seed: HMAC-SHA256 of a label and an input. The same
 * seed, label and input always give the same bytes; without the seed, the bytes say nothing about the input.
 */
import { createHmac } from 'node:crypto';

export class KeyedHash {
  constructor(private readonly seed: string) {}

  /** `length` bytes derived from (label, input, attempt); blocks of 32 bytes are chained by a counter. */
  bytes(label: string, input: string, attempt: number, length: number): Buffer {
    const blocks: Buffer[] = [];
    for (let block = 0; blocks.length * 32 < length; block++) {
      blocks.push(createHmac('sha256', this.seed).update(`${label}\u0000${input}\u0000${attempt}\u0000${block}`).digest());
    }
    return Buffer.concat(blocks).subarray(0, length);
  }

  /**
   * Up to five integers from one digest, the i-th in [0, moduli[i]) (each modulus ≤ 2^32: the bias of 48 bits
   * reduced modulo it is negligible).
   */
  ints(label: string, input: string, attempt: number, moduli: readonly number[]): number[] {
    const b = this.bytes(label, input, attempt, 6 * moduli.length);
    return moduli.map((n, i) => b.readUIntBE(6 * i, 6) % n);
  }

  /** A version-4-shaped GUID in lower case (8-4-4-4-12 hex). */
  guid(label: string, input: string, attempt: number): string {
    const b = this.bytes(label, input, attempt, 16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const hex = b.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
