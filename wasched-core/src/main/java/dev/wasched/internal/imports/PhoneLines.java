package dev.wasched.internal.imports;

/**
 * The numbers seen so far in one file and the line each was first seen on: an open-addressing hash map of
 * {@code long → int}, about 24 bytes per number instead of the ~150 a {@code HashMap<String, Integer>} entry takes.
 * It is the only thing an import keeps per row.
 */
final class PhoneLines {
    private static final long EMPTY = 0; // E.164 numbers are never 0
    private long[] keys = new long[1024];
    private int[] lines = new int[1024];
    private int size;

    /** Records {@code key} at {@code line}; returns the earlier line when the key was seen before, else -1. */
    long putIfAbsent(long key, long line) {
        if (size * 2 >= keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == EMPTY) {
                keys[i] = key;
                lines[i] = (int) Math.min(line, Integer.MAX_VALUE);
                size++;
                return -1;
            }
            if (keys[i] == key) {
                return lines[i];
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldLines = lines;
        keys = new long[oldKeys.length * 2];
        lines = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                putIfAbsent(oldKeys[i], oldLines[i]);
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
