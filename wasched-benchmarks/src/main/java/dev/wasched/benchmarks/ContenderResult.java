package dev.wasched.benchmarks;

/** A workload's result for one contender. */
public interface ContenderResult {
    /** The contender's name, as {@link Contender#name()} gives it. */
    String contender();
}
