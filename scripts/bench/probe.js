// Put into each HTML page by serve.mjs when it runs with a probe: the
// page's long tasks and Pulse's performance marks, posted back to the
// server every 250 ms. It lets the benchmark read the performance
// timeline of a Chromium that no DevTools client is attached to (a
// DevTools client adds work of its own to the page's main thread).
(() => {
  const tasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  const post = () => {
    const marks = performance
      .getEntriesByType("mark")
      .filter((m) => m.name.startsWith("pulse:"))
      .map((m) => [m.name, m.startTime]);
    const body = JSON.stringify({ origin: performance.timeOrigin, now: performance.now(), tasks, marks });
    fetch("/__probe", { method: "POST", body }).catch(() => {});
  };
  setInterval(post, 250);
})();
