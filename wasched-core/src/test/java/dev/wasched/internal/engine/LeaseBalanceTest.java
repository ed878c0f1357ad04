package dev.wasched.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaseBalanceTest {
    private static LeaseBalance view(String self, Map<String, Integer> weights, Map<String, Integer> held, int n) {
        return new LeaseBalance(self, weights, held, n);
    }

    @Test
    void theShareIsTheCeilingOfAccountsOverLiveWeight() {
        Map<String, Integer> four = Map.of("a", 1, "b", 1, "c", 1, "d", 1);
        assertThat(view("a", four, Map.of(), 9).share()).isEqualTo(3);
        assertThat(view("a", Map.of("a", 2, "b", 1), Map.of(), 9).share()).isEqualTo(6);
        assertThat(view("b", Map.of("a", 2, "b", 1), Map.of(), 9).share()).isEqualTo(3);
        assertThat(view("s", Map.of("s", 0, "b", 1), Map.of(), 9).share()).as("a standby").isZero();
        assertThat(view("s", Map.of("s", 0), Map.of(), 9).share()).as("a standby alone runs all").isEqualTo(9);
    }

    @Test
    void onlyTheMostLoadedHandsOverAndOnlyWhileAnotherWouldStayLessLoaded() {
        Map<String, Integer> four = Map.of("a", 1, "b", 1, "c", 1, "d", 1);
        Map<String, Integer> joined = Map.of("a", 3, "b", 3, "c", 3);
        assertThat(view("a", four, joined, 9).shouldHandOver()).as("first of the most loaded").isTrue();
        assertThat(view("b", four, joined, 9).shouldHandOver()).isFalse();
        assertThat(view("d", four, joined, 9).shouldHandOver()).isFalse();
        assertThat(view("b", four, Map.of("a", 2, "b", 3, "c", 3, "d", 1), 9).shouldHandOver()).isTrue();
        assertThat(view("a", four, Map.of("a", 3, "b", 2, "c", 2, "d", 2), 9).shouldHandOver())
                .as("3,2,2,2 is even").isFalse();
        assertThat(view("a", Map.of("a", 1, "b", 1), Map.of("a", 1), 1).shouldHandOver())
                .as("one account never ping-pongs").isFalse();
        assertThat(view("a", Map.of("a", 1, "x", 1), Map.of("a", 2, "dead", 0), 2).shouldHandOver())
                .as("to a live instance").isTrue();
        assertThat(view("a", Map.of("a", 1), Map.of("a", 2, "gone", 0), 2).shouldHandOver())
                .as("never to one that is not live").isFalse();
    }

    @Test
    void weightsDecideTheLoad() {
        Map<String, Integer> weights = Map.of("big", 2, "small", 1);
        assertThat(view("big", weights, Map.of("big", 6, "small", 3), 9).shouldHandOver()).isFalse();
        assertThat(view("small", weights, Map.of("big", 5, "small", 4), 9).shouldHandOver()).isTrue();
        Map<String, Integer> held = new HashMap<>(Map.of("standby", 1, "b", 5));
        assertThat(view("standby", Map.of("standby", 0, "b", 1), held, 6).shouldHandOver())
                .as("a standby gives back what it runs once another instance can").isTrue();
    }

    @Test
    void repeatedHandOversEvenTheSpreadOut() {
        Map<String, Integer> weights = Map.of("a", 1, "b", 1, "c", 1, "d", 1);
        Map<String, Integer> held = new HashMap<>(Map.of("a", 9));
        for (int beat = 0; beat < 20; beat++) {
            for (String self : weights.keySet()) {
                if (view(self, weights, held, 9).shouldHandOver()) {
                    held.merge(self, -1, Integer::sum);
                    String least = weights.keySet().stream().min((x, y) -> Integer.compare(
                            held.getOrDefault(x, 0), held.getOrDefault(y, 0))).orElseThrow();
                    held.merge(least, 1, Integer::sum);
                }
            }
        }
        assertThat(held.values()).containsExactlyInAnyOrder(3, 2, 2, 2);
    }
}
