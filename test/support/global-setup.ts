// Once per `vitest run`, before any test file: work every file would otherwise repeat.
// The fake LINE server's validators, compiled from LINE's spec into a cached module (see compiledSpec).
import { compiledSpec } from './fake-line.js';

export default function setup(): void {
  compiledSpec();
}
