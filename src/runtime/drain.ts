// A bounded shutdown (Node): wait for work deferred past its response (replies, evidence downloads) to settle,
// but no longer than `ms`, then let the process exit. A stalled download must not hold a SIGTERM forever.
export async function drain(pending: ReadonlySet<Promise<unknown>>, ms: number): Promise<'drained' | 'timed out'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), ms);
  });
  try {
    return await Promise.race([Promise.allSettled([...pending]).then(() => 'drained' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
