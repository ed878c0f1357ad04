package dev.wasched.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Samples the heap in use every few milliseconds on a daemon thread and keeps the highest value: the peak a job
 * needed, as far as the collector let garbage pile up (so an upper bound of what it really needs).
 */
final class HeapPeakSampler implements AutoCloseable {
    private static final long EVERY_MS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long peak;

    private HeapPeakSampler() {
        peak = used();
        thread = new Thread(this::loop, "heap-peak-sampler");
        thread.setDaemon(true);
    }

    static HeapPeakSampler start() {
        HeapPeakSampler s = new HeapPeakSampler();
        s.thread.start();
        return s;
    }

    /** Heap in use now, in bytes. */
    long used() {
        return memory.getHeapMemoryUsage().getUsed();
    }

    long peakBytes() {
        return Math.max(peak, used());
    }

    private void loop() {
        while (!stopped) {
            peak = Math.max(peak, used());
            try {
                Thread.sleep(EVERY_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
