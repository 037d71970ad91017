// Checklist versions never change once stored, so each isolate parses a definition once and keeps it.
// The turn's load query skips definitions already here, so a busy isolate does not re-read them.
import { type Definition, flattenForm, validateFormDefinition } from './definition.js';

const MAX = 500;
const cache = new Map<string, Definition>();

export function cachedDefinitionIds(): string[] {
  return [...cache.keys()];
}

export function getDefinition(id: string): Definition | undefined {
  return cache.get(id);
}

/** Parses a stored definition into what the chat runs; a row that fails validation is left out (the runner says "closed"). */
export function rememberDefinition(id: string, raw: unknown): Definition | undefined {
  const hit = cache.get(id);
  if (hit !== undefined) return hit;
  const parsed = validateFormDefinition(raw);
  if (!parsed.ok) return undefined;
  const definition = flattenForm(parsed.definition);
  if (cache.size >= MAX) cache.delete(cache.keys().next().value ?? '');
  cache.set(id, definition);
  return definition;
}
