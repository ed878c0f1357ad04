package dev.wasched.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.internal.time.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsAreVersion7AndSortByCreationEvenWithinOneMillisecond() {
        Ids ids = new Ids(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.next());
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();
        assertThat(UUID.fromString(made.get(0)).version()).isEqualTo(7);
        Ids later = new Ids(Clock.fixed(Instant.parse("2026-01-01T00:00:01Z"), ZoneOffset.UTC));
        assertThat(later.next()).isGreaterThan(made.get(made.size() - 1));
    }
}
