package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.testkit.transport.RecordingTransportContext;
import dev.wasched.testkit.whatsapp.DomVariant;
import dev.wasched.testkit.whatsapp.PageGeneration;
import dev.wasched.testkit.whatsapp.WhatsAppWebSimulator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** {@code probe} against the simulator: the default profile passes on both page generations; a renamed element fails by name. */
@Tag("browser")
class ProbeTest extends BrowserTestBase {
    @ParameterizedTest
    @EnumSource(PageGeneration.class)
    void theDefaultProfilePassesOnEachPageGenerationAndNamesTheBuildAndCandidates(PageGeneration generation) throws Exception {
        WhatsAppWebSimulator sim = simulator(b -> b.pageGeneration(generation).webVersion("2.3000.1031980585"));
        RecordingTransportContext ctx = new RecordingTransportContext("probe");
        PlaywrightTransport t = linked(sim, ctx);
        int sentBefore = sim.allReceived().size();

        ProbeReport report = t.probe(false);

        assertThat(report.ok()).as(report.format()).isTrue();
        assertThat(report.screen()).isEqualTo("MAIN");
        assertThat(report.keys()).extracting(k -> k.match().key())
                .contains("chatList", "searchBox", "openChat", "composeBox", "sendButton");
        assertThat(report.format()).contains("sendButton: matched candidate", "probe passed");
        if (generation == PageGeneration.WEB_2026) {
            assertThat(report.webBuild()).isEqualTo("2.3000.1031980585");
            assertThat(ctx.events(dev.wasched.spi.transport.TransportEvent.StateChanged.class))
                    .filteredOn(e -> e.state() == dev.wasched.session.AccountState.READY).first()
                    .satisfies(e -> assertThat(e.detail()).as("the build reaches health through the state")
                            .startsWith("linked; WhatsApp Web 2.3000.1031980585; in-page: send text"));
        }
        assertThat(sim.allReceived()).as("a probe without --send-to-self sends nothing").hasSize(sentBefore);
        assertThat(t.send(text(ALICE, "after the probe")).messageId()).as("the page is still usable").isNotBlank();
    }

    @Test
    void aRenamedElementFailsTheProbeWhichNamesTheKeyAndOutlinesThePage() throws Exception {
        WhatsAppWebSimulator sim = simulator(b -> b.domVariant(DomVariant.standard(PageGeneration.WEB_2026)
                .withAttachIcon("paperclip-new")));
        PlaywrightTransport t = linked(sim, new RecordingTransportContext("probe"));

        ProbeReport report = t.probe(false);

        assertThat(report.ok()).isFalse();
        assertThat(report.keys()).filteredOn(ProbeReport.KeyCheck::failed).extracting(k -> k.match().key())
                .containsExactly("attachButton");
        assertThat(report.format()).contains("FAIL attachButton: none of", "page there: <", "paperclip-new",
                "probe FAILED").doesNotContain(ALICE.substring(1));
    }
}
