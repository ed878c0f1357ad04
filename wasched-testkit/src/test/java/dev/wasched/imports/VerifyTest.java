package dev.wasched.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.NotFoundException;
import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.Registration;
import dev.wasched.contact.verify.ContactSelection;
import dev.wasched.contact.verify.VerifyFailure;
import dev.wasched.contact.verify.VerifyJob;
import dev.wasched.contact.verify.VerifyOptions;
import dev.wasched.contact.verify.VerifyProgress;
import dev.wasched.contact.verify.VerifyReport;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Bulk registration checks through the account's transport, in step mode (settable clock, {@code runDue()}): the
 * answers land on the contacts with the check time, recent checks are skipped, and the pace follows wasched's clock,
 * so moving the clock is what lets the next check happen.
 */
class VerifyTest extends ContactJobFixture {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final PacingPolicy FAST = PacingPolicy.unlimited();

    private static PacingPolicy gap(Duration gap) {
        return PacingPolicy.unlimited().withGap(gap, Duration.ZERO);
    }

    private VerifyReport verify(VerifyOptions.Builder options) {
        return wasched.contacts().verify(options.build()).await(WAIT).orElseThrow(() -> new AssertionError("not done"));
    }

    @Test
    void answersAreRecordedOnTheContactsWithTheCheckTime() {
        build();
        accountReady();
        Contact ann = contact("Ann", "+4915112345678");
        Contact bob = contact("Bob", "+4915112345679");
        Contact carl = contact("Carl", "+4915112345670");
        recording.unregistered("+4915112345679");
        List<VerifyProgress> seen = new CopyOnWriteArrayList<>();

        VerifyReport r = verify(VerifyOptions.builder().pacing(FAST).onProgress(seen::add));

        assertThat(r.state()).isEqualTo(VerifyJob.State.COMPLETED);
        assertThat(r.account()).isEqualTo(ACCOUNT);
        assertThat(r.checked()).isEqualTo(3);
        assertThat(r.registered()).isEqualTo(2);
        assertThat(r.notRegistered()).isEqualTo(1);
        assertThat(r.contactsSeen()).isEqualTo(3);
        Instant now = clock.instant();
        assertThat(byPhone(ann.phone().e164()).registration()).isEqualTo(Registration.checked(true, now));
        assertThat(byPhone(bob.phone().e164()).registration()).isEqualTo(Registration.checked(false, now));
        assertThat(byPhone(carl.phone().e164()).version()).isEqualTo(carl.version() + 1);
        assertThat(seen.get(seen.size() - 1).percent()).hasValue(100);
        assertThat(seen).allSatisfy(p -> assertThat(p.contactsTotal()).isIn(-1L, 3L));
    }

    @Test
    void recentChecksAreSkippedUnlessForcedOrOld() {
        build();
        accountReady();
        contact("Ann", "+4915112345678");
        contact("Bob", "+4915112345679");
        verify(VerifyOptions.builder().pacing(FAST));
        transport.checks.clear();

        clock.advance(Duration.ofDays(1));
        VerifyReport again = verify(VerifyOptions.builder().pacing(FAST));
        assertThat(again.skippedRecent()).isEqualTo(2);
        assertThat(again.checked()).isZero();
        assertThat(transport.checks).isEmpty();

        VerifyReport forced = verify(VerifyOptions.builder().pacing(FAST).force(true));
        assertThat(forced.checked()).isEqualTo(2);

        clock.advance(Duration.ofDays(8));
        VerifyReport weekly = verify(VerifyOptions.builder().pacing(FAST).recheckAfter(Duration.ofDays(7)));
        assertThat(weekly.checked()).isEqualTo(2);
        assertThat(byPhone("+4915112345678").registration().checkedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aTagOrAListOfIdsSelectsTheContacts() {
        build();
        accountReady();
        Contact ann = contact("Ann", "+4915112345678", "vip");
        contact("Bob", "+4915112345679");
        Contact carl = contact("Carl", "+4915112345670", "vip");

        VerifyReport byTag = verify(VerifyOptions.builder().pacing(FAST).select(ContactSelection.tag("VIP")));
        assertThat(byTag.checked()).isEqualTo(2);
        assertThat(transport.checks).extracting(CheckingTransport.Check::e164)
                .containsExactlyInAnyOrder(ann.phone().e164(), carl.phone().e164());

        VerifyReport byIds = verify(VerifyOptions.builder().pacing(FAST).force(true)
                .select(ContactSelection.ids(carl.id(), "no-such-id", carl.id())));
        assertThat(byIds.checked()).isEqualTo(1);
        assertThat(byIds.failed()).isEqualTo(1);
        assertThat(byIds.failures()).singleElement()
                .isEqualTo(new VerifyFailure("no-such-id", null, "no such contact"));
        assertThat(byIds.contactsSeen()).isEqualTo(2);
    }

    @Test
    void aNewJobKeepsTheAccountsCheckCapsBecauseThePaceIsStored() {
        build();
        accountReady();
        contact("Ann", "+4915112345678");
        contact("Bob", "+4915112345679");
        PacingPolicy twoADay = PacingPolicy.unlimited().withCaps(0, 2, 0);
        VerifyReport first = verify(VerifyOptions.builder().pacing(twoADay));
        assertThat(first.checked()).isEqualTo(2);

        contact("Carl", "+4915112345670");
        // The pace is kept in the store, so a second job (or another instance) cannot start the day afresh.
        assertThat(memory.pacing().load("verify:" + ACCOUNT)).hasValueSatisfying(p -> assertThat(p.dayCount()).isEqualTo(2));
        VerifyJob second = wasched.contacts().verify(VerifyOptions.builder().pacing(twoADay).build());
        await("the new job waits for tomorrow", () -> second.progress().waitingUntil() != null);
        assertThat(second.progress().waitingUntil()).isEqualTo(Instant.parse("2026-06-02T00:00:00Z"));
        assertThat(second.progress().checked()).isZero();
        clock.advance(Duration.ofDays(1));
        assertThat(second.await(WAIT).orElseThrow().checked()).isEqualTo(1);
    }

    @Test
    void thePaceFollowsWaschedsClock() {
        build();
        accountReady();
        contact("Ann", "+4915112345678");
        contact("Bob", "+4915112345679");
        contact("Carl", "+4915112345670");
        Instant t0 = clock.instant();

        VerifyJob job = wasched.contacts().verify(VerifyOptions.builder().pacing(gap(Duration.ofSeconds(10))).build());
        await("the job waits for its pace after one check", () -> job.progress().waitingUntil() != null);
        assertThat(job.progress().checked()).isEqualTo(1);
        assertThat(job.progress().waitingUntil()).isEqualTo(t0.plusSeconds(10));

        clock.advance(Duration.ofSeconds(9));
        assertThat(job.progress().checked()).as("not before the gap is over").isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        await("the second check", () -> job.progress().checked() == 2 && job.progress().waitingUntil() != null);
        assertThat(job.progress().waitingUntil()).isEqualTo(t0.plusSeconds(20));
        clock.advance(Duration.ofSeconds(10));

        VerifyReport r = job.await(WAIT).orElseThrow();
        assertThat(r.checked()).isEqualTo(3);
        assertThat(transport.checkTimes()).containsExactly(t0, t0.plusSeconds(10), t0.plusSeconds(20));
        assertThat(wasched.contacts().verifyJob(job.id())).containsSame(job);
        assertThat(wasched.contacts().verifyJobs()).containsExactly(job);
    }

    @Test
    void theHourlyCapWaitsForTheNextHour() {
        build();
        accountReady();
        contact("Ann", "+4915112345678");
        contact("Bob", "+4915112345679");
        contact("Carl", "+4915112345670");
        clock.set(Instant.parse("2026-06-01T08:59:00Z"));

        VerifyJob job = wasched.contacts().verify(VerifyOptions.builder()
                .pacing(PacingPolicy.unlimited().withCaps(2, 0, 0)).build());
        await("two checks, then a wait", () -> job.progress().waitingUntil() != null);
        assertThat(job.progress().checked()).isEqualTo(2);
        assertThat(job.progress().waitingUntil()).isEqualTo(Instant.parse("2026-06-01T09:00:00Z"));
        clock.advance(Duration.ofMinutes(1));

        assertThat(job.await(WAIT).orElseThrow().checked()).isEqualTo(3);
    }

    @Test
    void cancelEndsAPacingWaitAtOnceAndKeepsWhatWasRecorded() {
        build();
        accountReady();
        contact("Ann", "+4915112345678");
        contact("Bob", "+4915112345679");

        VerifyJob job = wasched.contacts().verify(VerifyOptions.builder().pacing(gap(Duration.ofHours(1))).build());
        await("waiting after the first check", () -> job.progress().waitingUntil() != null);
        job.cancel();

        VerifyReport r = job.await(Duration.ofSeconds(2)).orElseThrow();
        assertThat(r.state()).isEqualTo(VerifyJob.State.CANCELLED);
        assertThat(r.checked()).isEqualTo(1);
        assertThat(memory.contacts().list(dev.wasched.PageRequest.first(10)).items())
                .extracting(c -> c.registration().status())
                .containsExactlyInAnyOrder(Registration.Status.REGISTERED, Registration.Status.UNKNOWN);
    }

    @Test
    void closingWaschedCancelsACheck() {
        build();
        accountReady();
        contact("Ann", "+4915112345678");
        contact("Bob", "+4915112345679");
        VerifyJob job = wasched.contacts().verify(VerifyOptions.builder().pacing(gap(Duration.ofHours(1))).build());
        await("waiting after the first check", () -> job.progress().waitingUntil() != null);

        wasched.close();
        assertThat(job.report()).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(VerifyJob.State.CANCELLED));
    }

    @Test
    void aFailedCheckIsReportedAndTheOthersGoOn() {
        build();
        accountReady();
        contact("Ann", "+4915112345678");
        contact("Bob", "+4915112345679");
        transport.failing.add("+4915112345679");

        VerifyReport r = verify(VerifyOptions.builder().pacing(FAST));
        assertThat(r.state()).isEqualTo(VerifyJob.State.COMPLETED);
        assertThat(r.checked()).isEqualTo(1);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.phone()).isEqualTo("+4915112345679");
            assertThat(f.reason()).contains("timed out");
        });
        assertThat(byPhone("+4915112345679").registration()).isEqualTo(Registration.UNKNOWN);
    }

    @Test
    void manyFailuresInARowEndTheJob() {
        build();
        accountReady();
        for (int i = 0; i < 15; i++) {
            contact("C" + i, "+49151123456" + String.format("%02d", i));
        }
        transport.failAll = true;

        VerifyReport r = verify(VerifyOptions.builder().pacing(FAST));
        assertThat(r.state()).isEqualTo(VerifyJob.State.FAILED);
        assertThat(r.failed()).isEqualTo(10);
        assertThat(r.contactsSeen()).isEqualTo(10);
        assertThat(r.error()).hasMessageContaining("10 checks in a row failed").hasMessageContaining("timed out");
        assertThat(transport.checks).hasSize(10);
    }

    @Test
    void anAccountThatIsNotReadyFailsTheJobAfterTheReadyTimeout() {
        build(); // no runDue(): the transport never started
        contact("Ann", "+4915112345678");

        VerifyReport r = verify(VerifyOptions.builder().pacing(FAST).readyTimeout(Duration.ofMillis(200)));
        assertThat(r.state()).isEqualTo(VerifyJob.State.FAILED);
        assertThat(r.error()).hasMessageContaining("'shop' was not ready").hasMessageContaining("STOPPED");
        assertThat(transport.checks).isEmpty();
        assertThat(byPhone("+4915112345678").registration()).isEqualTo(Registration.UNKNOWN);
    }

    @Test
    void theAccountMustBeKnownAndUnambiguous() {
        build(b -> b.transport(new RecordingTransport("second")));
        assertThatThrownBy(() -> wasched.contacts().verify(VerifyOptions.builder().account("nope").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> wasched.contacts().verify(VerifyOptions.builder().build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("several accounts");

        try (Wasched none = Wasched.builder().store(new InMemoryStore()).clock(clock).build()) {
            assertThatThrownBy(() -> none.contacts().verify(VerifyOptions.builder().build()))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("no WhatsApp account");
        }
        assertThatThrownBy(() -> VerifyOptions.builder().recheckAfter(Duration.ofDays(-1)).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("recheckAfter");
        assertThatThrownBy(() -> ContactSelection.tag("not a tag!")).isInstanceOf(ValidationException.class);
    }

    @Test
    void itAlsoRunsBesideAStartedEngine() {
        build(b -> b.clock(java.time.Clock.systemUTC()).defaultZone(ZoneId.of("UTC")));
        wasched.start();
        contact("Ann", "+4915112345678");
        contact("Bob", "+4915112345679");
        recording.unregistered("+4915112345678");

        // the account becomes READY on the engine's own threads; the job waits for it
        VerifyReport r = verify(VerifyOptions.builder().account(ACCOUNT).pacing(gap(Duration.ofMillis(50))));
        assertThat(r.checked()).isEqualTo(2);
        assertThat(r.notRegistered()).isEqualTo(1);
    }
}
