// Web admin pages, server-rendered with Hono JSX, mounted at /admin.
import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';

export function adminPages() {
  return new Hono<AppEnv>();
}
