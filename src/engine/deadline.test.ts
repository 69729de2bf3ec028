/** The deadlines a user sets (or gets by default) end what they bound, with the reason that names the knob. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DISCOVERY_TIMEOUT_MS, RunDeadline } from "./deadline.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** The message of the reason the signal aborted with, or undefined while it has not. */
const reasonOf = (signal: AbortSignal): string | undefined =>
  signal.aborted ? (signal.reason as Error).message : undefined;

describe("discovery deadline", () => {
  it("gives up after 30 s by default, however long the case timeout", () => {
    const deadline = new RunDeadline(60 * 60_000, 10 * 60_000, () => 0);
    const discovering = deadline.forDiscovery();
    vi.advanceTimersByTime(DISCOVERY_TIMEOUT_MS - 1);
    expect(reasonOf(discovering.signal)).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(reasonOf(discovering.signal)).toBe(
      "discovery gave up after 30 s (http.discoveryTimeoutMs; the case timeout, when shorter, bounds it)",
    );
  });

  it("gives up after the target's http.discoveryTimeoutMs when that is set", () => {
    const deadline = new RunDeadline(60 * 60_000, 10 * 60_000, () => 0);
    const discovering = deadline.forDiscovery(undefined, 2_000);
    vi.advanceTimersByTime(2_000);
    expect(reasonOf(discovering.signal)).toMatch(/^discovery gave up after 2 s \(http\.discoveryTimeoutMs/);
  });

  it("is bounded by a shorter case timeout, and says so", () => {
    const deadline = new RunDeadline(60 * 60_000, 5_000, () => 0);
    const discovering = deadline.forDiscovery(undefined, 20_000);
    vi.advanceTimersByTime(5_000);
    expect(reasonOf(discovering.signal)).toBe("case timeout of 5 s reached (--case-timeout)");
  });

  it("never outlives the run deadline", () => {
    const deadline = new RunDeadline(1_000, 10 * 60_000, () => 0);
    const discovering = deadline.forDiscovery(undefined, 20_000);
    vi.advanceTimersByTime(1_000);
    expect(reasonOf(discovering.signal)).toMatch(/^run deadline reached/);
  });

  it("ends at once on an interrupt, and a disposed signal never fires", () => {
    const deadline = new RunDeadline(60 * 60_000, 10 * 60_000, () => 0);
    const interrupt = new AbortController();
    const discovering = deadline.forDiscovery(interrupt.signal);
    interrupt.abort();
    expect(reasonOf(discovering.signal)).toMatch(/interrupted/);
    const other = deadline.forDiscovery();
    other.dispose();
    vi.advanceTimersByTime(DISCOVERY_TIMEOUT_MS * 2);
    expect(other.signal.aborted).toBe(false);
  });
});
