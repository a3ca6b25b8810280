/**
 * Main-thread cost as `bench:render` reads it: the CDP Performance domain of one page
 * (`Performance.getMetrics`), read before and after a stretch of work. The counters are the
 * renderer's own (TaskDuration is every task on the page's main thread, whatever ran it), so
 * reading them costs the page nothing beyond the read itself; they start again from zero when
 * the page navigates.
 */
import type { CDPSession, Page } from 'playwright-core';

/** The metrics the bench reports, durations in milliseconds. */
export interface Cost {
  /** Main-thread task time (TaskDuration): wall time, so it grows when the machine is busy. */
  readonly taskMs: number;
  /** Main-thread CPU time (ThreadTime): what the tasks cost, whatever else the machine runs. */
  readonly cpuMs: number;
  /** JavaScript time (ScriptDuration). */
  readonly scriptMs: number;
  readonly layoutMs: number;
  readonly layouts: number;
  readonly styleRecalcs: number;
  /** DOM nodes of the whole page (the Nodes gauge, not a delta). */
  readonly nodes: number;
}

const ZERO: Cost = { taskMs: 0, cpuMs: 0, scriptMs: 0, layoutMs: 0, layouts: 0, styleRecalcs: 0, nodes: 0 };

export class Meter {
  private constructor(private readonly cdp: CDPSession) {}

  /** A meter on `page`; enable it before navigating to count from the new document's start. */
  static async attach(page: Page): Promise<Meter> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    return new Meter(cdp);
  }

  async read(): Promise<Cost> {
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    const value = (name: string): number => metrics.find((metric) => metric.name === name)?.value ?? 0;
    return {
      taskMs: value('TaskDuration') * 1000,
      cpuMs: value('ThreadTime') * 1000,
      scriptMs: value('ScriptDuration') * 1000,
      layoutMs: value('LayoutDuration') * 1000,
      layouts: value('LayoutCount'),
      styleRecalcs: value('RecalcStyleCount'),
      nodes: value('Nodes'),
    };
  }

  /**
   * Waits until the page's main thread has been (nearly) idle for `windowMs`: task time grew by
   * less than `slackMs` between reads `stepMs` apart over that window. Gives up after `maxMs`, so
   * a page that never settles (a timer loop) is measured as it is rather than hanging the bench.
   * Returns whether it settled.
   */
  async quiet({ windowMs = 600, stepMs = 150, slackMs = 2, maxMs = 3000 } = {}): Promise<boolean> {
    const started = Date.now();
    let calmSince = Date.now();
    let last = (await this.read()).taskMs;
    while (Date.now() - started < maxMs) {
      await new Promise((resolve) => setTimeout(resolve, stepMs));
      const now = (await this.read()).taskMs;
      if (now - last >= slackMs) calmSince = Date.now();
      last = now;
      if (Date.now() - calmSince >= windowMs) return true;
    }
    return false;
  }

  async detach(): Promise<void> {
    await this.cdp.detach().catch(() => undefined);
  }
}

/** What happened between two reads (the node count is the later gauge). */
export function costBetween(before: Cost, after: Cost): Cost {
  return {
    taskMs: after.taskMs - before.taskMs,
    cpuMs: after.cpuMs - before.cpuMs,
    scriptMs: after.scriptMs - before.scriptMs,
    layoutMs: after.layoutMs - before.layoutMs,
    layouts: after.layouts - before.layouts,
    styleRecalcs: after.styleRecalcs - before.styleRecalcs,
    nodes: after.nodes,
  };
}

/** A cost divided over `n` messages (the node gauge stays whole). */
export function perMessage(cost: Cost, n: number): Cost {
  if (n <= 0) return ZERO;
  return {
    taskMs: cost.taskMs / n,
    cpuMs: cost.cpuMs / n,
    scriptMs: cost.scriptMs / n,
    layoutMs: cost.layoutMs / n,
    layouts: cost.layouts / n,
    styleRecalcs: cost.styleRecalcs / n,
    nodes: cost.nodes,
  };
}

/** The middle value (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Field by field, the median of several costs. */
export function medianCost(costs: readonly Cost[]): Cost {
  const of = (field: keyof Cost): number => median(costs.map((cost) => cost[field]));
  return {
    taskMs: of('taskMs'), cpuMs: of('cpuMs'), scriptMs: of('scriptMs'), layoutMs: of('layoutMs'),
    layouts: of('layouts'), styleRecalcs: of('styleRecalcs'), nodes: of('nodes'),
  };
}
