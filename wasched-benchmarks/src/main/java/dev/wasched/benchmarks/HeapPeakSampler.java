package dev.wasched.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Samples the heap every few milliseconds on a daemon thread and keeps two peaks: heap in use (garbage included, as
 * far as the collector let it pile up: an upper bound) and heap left after the latest collections (what stayed live).
 */
final class HeapPeakSampler implements AutoCloseable {
    private static final long EVERY_MS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null).toList();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long peak;
    private volatile long peakAfterGc;

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

    long peakAfterGcBytes() {
        return Math.max(peakAfterGc, afterGc());
    }

    /** Heap the pools held right after their latest collections. */
    private long afterGc() {
        long sum = 0;
        for (MemoryPoolMXBean p : heapPools) {
            MemoryUsage u = p.getCollectionUsage();
            sum += u == null ? 0 : u.getUsed();
        }
        return sum;
    }

    private void loop() {
        while (!stopped) {
            peak = Math.max(peak, used());
            peakAfterGc = Math.max(peakAfterGc, afterGc());
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
