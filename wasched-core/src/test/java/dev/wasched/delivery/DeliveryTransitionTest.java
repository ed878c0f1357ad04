package dev.wasched.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.message.MessageContent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryTransitionTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static Delivery pending() {
        return Delivery.pending("d1", "s1", T, Recipient.contact("c1", "+4915123456789", null), "acc",
                MessageContent.text("hi"), T);
    }

    @Test
    void happyPathCountsVersionsAndAttempts() {
        Delivery d = pending().claim("i1", T.plusSeconds(30), T).startSending(T).sent("m1", T, T)
                .acknowledged(DeliveryStatus.DELIVERED, T.plusSeconds(1)).acknowledged(DeliveryStatus.READ, T.plusSeconds(2));
        assertThat(d.status()).isEqualTo(DeliveryStatus.READ);
        assertThat(d.version()).isEqualTo(5);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.deliveredAt()).isEqualTo(T.plusSeconds(1));
        assertThat(d.readAt()).isEqualTo(T.plusSeconds(2));
        assertThat(d.leaseOwner()).isNull();
    }

    @Test
    void retryGoesBackToPendingWithBackoffAndKeepsTheAttempt() {
        Delivery d = pending().claim("i1", T.plusSeconds(30), T).startSending(T).retryLater("timeout", T.plusSeconds(60), T);
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.dueAt()).isEqualTo(T.plusSeconds(60));
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.lastError()).isEqualTo("timeout");
        Delivery unsent = d.claim("i1", T.plusSeconds(90), T.plusSeconds(60)).startSending(T.plusSeconds(60))
                .returnUnsent("session lost", T.plusSeconds(61), T.plusSeconds(61));
        assertThat(unsent.attempts()).as("an unsent try does not count").isEqualTo(1);
    }

    @Test
    void aDispatchCycleClaimsStraightIntoSendingAndAClaimNeverHandedOverGoesBackWithItsAttempts() {
        Delivery sending = pending().claimForSending("i1", T);
        assertThat(sending.status()).isEqualTo(DeliveryStatus.SENDING);
        assertThat(sending.attempts()).isEqualTo(1);
        assertThat(sending.leaseOwner()).isEqualTo("i1");
        assertThat(sending.version()).isEqualTo(pending().version() + 1);
        Delivery back = sending.notStarted(T.plusSeconds(3600), T.plusSeconds(1));
        assertThat(back.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(back.attempts()).as("never handed to the transport").isZero();
        assertThat(back.dueAt()).isEqualTo(T.plusSeconds(3600));
        assertThat(back.leaseOwner()).isNull();
        assertThatThrownBy(() -> back.notStarted(T, T)).isInstanceOf(IllegalDeliveryTransitionException.class);
        assertThatThrownBy(() -> sending.claimForSending("i2", T)).isInstanceOf(IllegalDeliveryTransitionException.class);
    }

    @Test
    void onlyAPendingOrClaimedDeliveryIsCancelledAndOnlyADeadOrUncertainOneDismissed() {
        assertThat(pending().cancel("by hand", T).status()).isEqualTo(DeliveryStatus.CANCELLED);
        assertThat(pending().claim("i1", T, T).cancel("by hand", T).status()).isEqualTo(DeliveryStatus.CANCELLED);
        Delivery sending = pending().claimForSending("i1", T);
        assertThatThrownBy(() -> sending.cancel("by hand", T))
                .isInstanceOfSatisfying(IllegalDeliveryTransitionException.class,
                        e -> assertThat(e.from()).isEqualTo(DeliveryStatus.SENDING));

        Delivery dead = sending.dead("invalid number", T);
        Delivery dismissed = dead.dismiss(T.plusSeconds(1));
        assertThat(dismissed.status()).isEqualTo(DeliveryStatus.DISMISSED);
        assertThat(dismissed.version()).isEqualTo(dead.version() + 1);
        assertThat(dismissed.lastError()).isEqualTo("invalid number");
        assertThat(sending.uncertain("owner died", T).dismiss(T).status()).isEqualTo(DeliveryStatus.DISMISSED);
        assertThat(DeliveryStatus.DISMISSED.next()).isEmpty();
        assertThat(DeliveryStatus.FINAL).contains(DeliveryStatus.DISMISSED);
        assertThatThrownBy(() -> dismissed.requeue(T)).isInstanceOf(IllegalDeliveryTransitionException.class);
        assertThatThrownBy(() -> pending().dismiss(T)).isInstanceOf(IllegalDeliveryTransitionException.class);
        assertThatThrownBy(() -> sending.sent("m1", T, T).dismiss(T))
                .isInstanceOf(IllegalDeliveryTransitionException.class);
    }

    @Test
    void aSentMessageTheNetworkGaveUpOnIsDeadAndMayBeRequeuedButNotOnceDelivered() {
        Delivery sent = pending().claimForSending("i1", T).sent("m1", T, T);
        Delivery dead = sent.undelivered("WhatsApp error 131026", T.plusSeconds(5));
        assertThat(dead.status()).isEqualTo(DeliveryStatus.DEAD);
        assertThat(dead.lastError()).isEqualTo("WhatsApp error 131026");
        assertThat(dead.requeue(T.plusSeconds(6)).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThatThrownBy(() -> sent.acknowledged(DeliveryStatus.DELIVERED, T).undelivered("late", T))
                .isInstanceOf(IllegalDeliveryTransitionException.class);
    }

    @Test
    void illegalTransitionsThrowNamingBothStates() {
        assertThatThrownBy(() -> pending().startSending(T))
                .isInstanceOf(IllegalDeliveryTransitionException.class)
                .hasMessageContaining("PENDING").hasMessageContaining("SENDING");
        assertThatThrownBy(() -> pending().sent("m", T, T)).isInstanceOf(IllegalDeliveryTransitionException.class);
        assertThatThrownBy(() -> pending().requeue(T)).isInstanceOf(IllegalDeliveryTransitionException.class);
        Delivery sent = pending().claim("i", T, T).startSending(T).sent("m", T, T);
        assertThatThrownBy(() -> sent.cancel("x", T)).isInstanceOf(IllegalDeliveryTransitionException.class);
        Delivery cancelled = pending().cancel("x", T);
        assertThatThrownBy(() -> cancelled.claim("i", T, T)).isInstanceOf(IllegalDeliveryTransitionException.class);
    }

    @Test
    void uncertainIsRequeuedOrSettledButNeverSentAutomatically() {
        Delivery u = pending().claim("i", T, T).startSending(T).uncertain("owner died", T);
        assertThat(u.status()).isEqualTo(DeliveryStatus.UNCERTAIN);
        assertThat(DeliveryStatus.UNCERTAIN.canMoveTo(DeliveryStatus.CLAIMED)).isFalse();
        assertThat(u.requeue(T).status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(u.requeue(T).attempts()).isZero();
        assertThat(u.settledAsSent("m", T, T).status()).isEqualTo(DeliveryStatus.SENT);
    }

    @Test
    void staleAcksAreIgnored() {
        Delivery read = pending().claim("i", T, T).startSending(T).sent("m", T, T).acknowledged(DeliveryStatus.READ, T);
        assertThat(read.acknowledged(DeliveryStatus.DELIVERED, T)).isSameAs(read);
    }
}
