package dev.wasched.benchmarks;

import java.lang.management.ManagementFactory;

/** What a run ran on and with which settings, printed above its figures. */
final class MachineDescription {
    private MachineDescription() {
    }

    static String describe(String postgresVersion, BenchmarkSettings settings) {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return String.format("machine: %d cores, %.1f GiB RAM, %s %s; Java %s (%s); max heap %.1f GiB; "
                        + "embedded PostgreSQL %s%nsettings: %s", Runtime.getRuntime().availableProcessors(),
                memory / (1024.0 * 1024 * 1024), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024), postgresVersion, settings);
    }
}
