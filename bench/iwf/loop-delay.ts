// Preloaded into the IWF process when BENCH_IWF_LOOP_DELAY=1: once a second, the event loop's
// delay in that second (p50/p99/max, ms) and the GC pauses in it, on stderr — to tell the IWF's
// own stalls (GC, a long synchronous task) from queueing when reading a latency tail.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let gcCount = 0;
let gcMs = 0;
let gcMax = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcCount++;
    gcMs += e.duration;
    gcMax = Math.max(gcMax, e.duration);
  }
}).observe({ entryTypes: ['gc'] });
const t0 = Date.now();
setInterval(() => {
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  process.stderr.write(
    `loop ${((Date.now() - t0) / 1000).toFixed(0)}s: delay p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms; gc ${gcCount}× ${gcMs.toFixed(1)} ms (max ${gcMax.toFixed(1)})\n`,
  );
  delay.reset();
  gcCount = 0;
  gcMs = 0;
  gcMax = 0;
}, 1000).unref();
