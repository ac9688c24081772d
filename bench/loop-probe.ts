// Preloaded into a benchmarked server (node -r dist/bench/loop-probe.js): how long the event
// loop was held. Every 250 ms it writes the delays seen since it last wrote (p50/p99/max of
// perf_hooks.monitorEventLoopDelay, ms) and the time the process spent on the loop's work
// (event-loop utilisation) to SPIEGEL_LOOP_PROBE, so that the benchmark can read the window
// it measured (resetLoopProbe before, readLoopProbe after). Not part of the server.
import fs from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface LoopProbeWindow {
  /** Event-loop delay over the window, ms. */
  p50: number;
  p99: number;
  max: number;
  /** Share of the window the loop was busy (0..1). */
  utilisation: number;
}

const file = process.env.SPIEGEL_LOOP_PROBE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let elu = performance.eventLoopUtilization();
  const write = () => {
    // A reset asked for by the benchmark (the file removed): a fresh window.
    if (!fs.existsSync(file)) {
      histogram.reset();
      elu = performance.eventLoopUtilization();
    }
    const used = performance.eventLoopUtilization(elu);
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const window: LoopProbeWindow = {
      p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), utilisation: Math.round(used.utilization * 1000) / 1000,
    };
    fs.writeFileSync(file, JSON.stringify(window));
  };
  setInterval(write, 250).unref();
}

/** Starts a new window (the probe sees the file gone at its next tick). */
export function resetLoopProbe(path: string): void {
  fs.rmSync(path, { force: true });
}

/** The window since the last reset, as last written; null when the probe wrote nothing. */
export function readLoopProbe(path: string): LoopProbeWindow | null {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8')) as LoopProbeWindow;
  } catch {
    return null;
  }
}
