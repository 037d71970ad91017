// Office-level SAR synthesis routes of the admin API (registered on its app, behind its guard).
import type { Hono } from 'hono';
import type { AppEnv } from '../deps.js';

export function sarRoutes(_app: Hono<AppEnv>): void {}
