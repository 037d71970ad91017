// Export routes of the admin API (registered on its app, behind its guard).
import type { Hono } from 'hono';
import type { AppEnv } from '../deps.js';

export function exportRoutes(_app: Hono<AppEnv>): void {}
