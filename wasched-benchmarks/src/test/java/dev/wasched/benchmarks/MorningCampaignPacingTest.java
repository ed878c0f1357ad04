package dev.wasched.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.policy.PacingPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** W6's pacing is the default sped up, and a killed pool's freeze keeps a thread from going on. */
class MorningCampaignPacingTest {
    @Test
    void theDefaultSpedUpToAOneSecondGapKeepsItsShape() {
        PacingPolicy p = MorningCampaignWorkload.spedUpDefault(Duration.ofSeconds(1));

        assertThat(p.minGap()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.jitter()).isEqualTo(Duration.ofMillis(667));
        assertThat(p.hourlyCap()).isEqualTo(900);
        assertThat(p.dailyCap()).isEqualTo(6_000);
        assertThat(p.newContactDailyCap()).isEqualTo(750);
        assertThat(p.simulateTyping()).isEqualTo(PacingPolicy.DEFAULT.simulateTyping());
        assertThat(p.quietHours()).isEqualTo(PacingPolicy.DEFAULT.quietHours());
    }

    @Test
    void aThreadStopsAtAKilledFreezeAndAnInterruptDoesNotFreeIt() throws Exception {
        Freeze freeze = new Freeze();
        freeze.pass(); // alive: returns at once
        freeze.kill();
        Thread t = new Thread(freeze::pass);
        t.setDaemon(true);
        t.start();
        t.join(200);
        t.interrupt();
        t.join(200);

        assertThat(t.isAlive()).isTrue();
    }
}
