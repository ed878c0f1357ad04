package dev.wasched.internal.engine;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How session leases spread over live instances, worked out by each instance alone from what one heartbeat saw: the
 * live instances with their weights and who holds which account. An instance takes a free account while it holds
 * fewer than its share, ⌈accounts × its weight / all live weights⌉; the most loaded instance hands one account over
 * per heartbeat while another live instance would be less loaded with one more. Only the most loaded one hands over
 * (ties to the smallest id), so instances that see the same numbers never all give accounts away at once.
 *
 * @param self     this instance's id
 * @param weights  live instances (this one included) by id, with their weights
 * @param held     how many accounts each instance holds, by id (instances that hold none may be absent)
 * @param accounts how many accounts are registered and not removed
 */
record LeaseBalance(String self, Map<String, Integer> weights, Map<String, Integer> held, int accounts) {

    /** How many accounts this instance may hold before it stops taking free ones. */
    int share() {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int mine = weights.getOrDefault(self, 1);
        if (total == 0) {
            return accounts; // only standby instances are live: they run everything
        }
        return (int) Math.ceil((double) accounts * mine / total);
    }

    int heldBy(String instance) {
        return held.getOrDefault(instance, 0);
    }

    /** Whether this instance should hand one of its accounts to another now. */
    boolean shouldHandOver() {
        int mine = heldBy(self);
        if (mine == 0) {
            return false;
        }
        Set<String> instances = new HashSet<>(weights.keySet());
        instances.addAll(held.keySet());
        for (String other : instances) {
            if (!other.equals(self)) {
                int cmp = compareLoad(heldBy(other), weight(other), mine, weight(self));
                if (cmp > 0 || (cmp == 0 && other.compareTo(self) < 0)) {
                    return false; // another instance is more loaded (or as loaded and first): it hands over
                }
            }
        }
        for (Map.Entry<String, Integer> other : weights.entrySet()) {
            if (!other.getKey().equals(self) && other.getValue() > 0
                    && compareLoad(mine, weight(self), heldBy(other.getKey()) + 1, other.getValue()) > 0) {
                return true;
            }
        }
        return false;
    }

    private int weight(String instance) {
        return weights.getOrDefault(instance, 1);
    }

    /** Compares the loads {@code h1 / w1} and {@code h2 / w2}; any holding at weight 0 is the heaviest load. */
    private static int compareLoad(int h1, int w1, int h2, int w2) {
        if (w1 == 0 || w2 == 0) {
            boolean inf1 = w1 == 0 && h1 > 0;
            boolean inf2 = w2 == 0 && h2 > 0;
            return inf1 == inf2 ? Integer.compare(h1, h2) : inf1 ? 1 : -1;
        }
        return Long.compare((long) h1 * w2, (long) h2 * w1);
    }
}
