package dev.wasched.delivery;

import dev.wasched.message.MessageContent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One occurrence of a schedule to one recipient. {@code (scheduleId, fireAt, recipient.key())} is unique, which makes
 * fan-out idempotent. Every change goes through a transition method that checks the status machine of
 * {@link DeliveryStatus} and returns the next version; stores write it with compare-and-set on {@code version}.
 *
 * <p>Build one with {@link #builder()} (or change a copy with {@link #toBuilder()}), not with the canonical
 * constructor: it may gain components in any release.
 *
 * @param dueAt              when it may be sent (retries and quiet hours move it)
 * @param expiresAt          for a delivery made before its occurrence was due: the latest instant at which the
 *                           schedule's misfire policy would still have fired that occurrence; a delivery first taken up
 *                           later (every engine was down until then) is cancelled instead of sent. Null when the
 *                           occurrence was decided when the delivery was made, and once a send attempt has started.
 * @param attempts           send attempts so far
 * @param lastError          why the last attempt failed, or why it was cancelled or is dead; kept as
 *                           {@link #cleanError} leaves it
 * @param transportMessageId the id WhatsApp gave the sent message, for acks and lookups; while SENDING, the id the
 *                           transport saw before it could confirm the send
 * @param sendMarker         what the transport recorded about the chat before this attempt's send action, so a
 *                           lookup can tell this attempt's message from older ones (see {@code TransportContext})
 * @param repliedAt          when the first answer to it was received (a received message linked to it), or null; set
 *                           once, beside the status machine (see {@code DeliveryRepository.markReplied})
 */
public record Delivery(String id, String scheduleId, Instant fireAt, Recipient recipient, String account,
                       MessageContent content, DeliveryStatus status, int attempts, Instant dueAt, Instant expiresAt,
                       String leaseOwner,
                       Instant leaseUntil, String lastError, String transportMessageId, String sendMarker, Instant sentAt,
                       Instant deliveredAt, Instant readAt, Instant repliedAt, Instant createdAt, Instant updatedAt,
                       long version) {
    /** The longest error text a delivery keeps ({@link #cleanError}). */
    public static final int MAX_ERROR_LENGTH = 500;
    private static final Pattern URL = Pattern.compile("\\b[A-Za-z][A-Za-z0-9+.-]*://\\S+");
    private static final Pattern QUERY = Pattern.compile("[?&][A-Za-z0-9_.%-]+=[^\\s&\"']*");

    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scheduleId, "scheduleId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(status, "status");
        fireAt = Objects.requireNonNull(fireAt, "fireAt").truncatedTo(ChronoUnit.MILLIS);
        dueAt = Objects.requireNonNull(dueAt, "dueAt").truncatedTo(ChronoUnit.MILLIS);
        expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS);
        leaseUntil = leaseUntil == null ? null : leaseUntil.truncatedTo(ChronoUnit.MILLIS);
        sentAt = sentAt == null ? null : sentAt.truncatedTo(ChronoUnit.MILLIS);
        deliveredAt = deliveredAt == null ? null : deliveredAt.truncatedTo(ChronoUnit.MILLIS);
        readAt = readAt == null ? null : readAt.truncatedTo(ChronoUnit.MILLIS);
        repliedAt = repliedAt == null ? null : repliedAt.truncatedTo(ChronoUnit.MILLIS);
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        updatedAt = (updatedAt == null ? createdAt : updatedAt).truncatedTo(ChronoUnit.MILLIS);
        // Errors may quote a URL or its query (a number, a text): never stored, shown or published.
        lastError = cleanError(lastError);
    }

    /**
     * What a delivery keeps of an error text: URLs become {@code <url>} and query parameters {@code <query>} (a
     * transport's error may quote the address it loaded, whose query names a number or a message), and the text is
     * cut to {@link #MAX_ERROR_LENGTH} characters; null stays null.
     */
    public static String cleanError(String text) {
        if (text == null) {
            return null;
        }
        String s = URL.matcher(text).replaceAll("<url>");
        s = QUERY.matcher(s).replaceAll("<query>");
        return s.length() <= MAX_ERROR_LENGTH ? s : s.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    /** A new PENDING delivery, due at its fire time. */
    public static Delivery pending(String id, String scheduleId, Instant fireAt, Recipient recipient, String account,
                                   MessageContent content, Instant now) {
        return new Delivery(id, scheduleId, fireAt, recipient, account, content, DeliveryStatus.PENDING, 0, fireAt,
                null, null, null, null, null, null, null, null, null, null, now, now, 0);
    }

    /** A delivery that cannot be built (a template variable missing for this contact): dead from the start. */
    public static Delivery deadOnArrival(String id, String scheduleId, Instant fireAt, Recipient recipient,
                                         String account, String reason, Instant now) {
        return new Delivery(id, scheduleId, fireAt, recipient, account, MessageContent.text("(not rendered)"),
                DeliveryStatus.DEAD, 0, fireAt, null, null, null, reason, null, null, null, null, null, null, now, now, 0);
    }

    /** The same new delivery, expiring at {@code at} (see {@code expiresAt}); the version is unchanged. */
    public Delivery expiringAt(Instant at) {
        return toBuilder().expiresAt(at).build();
    }

    /** This PENDING delivery moved to another account (a campaign's share of an account that cannot send). */
    public Delivery reassigned(String newAccount, Instant now) {
        if (status != DeliveryStatus.PENDING) {
            throw new IllegalDeliveryTransitionException(id, status, DeliveryStatus.PENDING);
        }
        return toBuilder().account(newAccount).updatedAt(now).version(version + 1).build();
    }

    /**
     * The same delivery with {@code repliedAt} as given; the version is unchanged (stores set it without a transition,
     * see {@code DeliveryRepository.markReplied}).
     */
    public Delivery withRepliedAt(Instant at) {
        return toBuilder().repliedAt(at).build();
    }

    public String uniqueKey() {
        return scheduleId + "|" + fireAt.toEpochMilli() + "|" + recipient.key();
    }

    private Delivery to(DeliveryStatus target, int newAttempts, Instant newDue, String owner, Instant until,
                        String error, String messageId, Instant sent, Instant delivered, Instant read, Instant now) {
        if (!status.canMoveTo(target)) {
            throw new IllegalDeliveryTransitionException(id, status, target);
        }
        return new Delivery(id, scheduleId, fireAt, recipient, account, content, target, newAttempts, newDue, expiresAt,
                owner, until, error, messageId, sendMarker, sent, delivered, read, repliedAt, createdAt, now, version + 1);
    }

    /**
     * The same delivery with the evidence a transport reported during this SENDING attempt; the version is
     * unchanged (stores write evidence without a transition, see {@code DeliveryRepository.recordEvidence}).
     */
    public Delivery withEvidence(String marker, String messageId) {
        return toBuilder().transportMessageId(messageId != null ? messageId : transportMessageId)
                .sendMarker(marker != null ? marker : sendMarker).build();
    }

    private void require(DeliveryStatus expected, DeliveryStatus target) {
        if (status != expected) {
            throw new IllegalDeliveryTransitionException(id, status, target);
        }
    }

    /** PENDING → CLAIMED, leased to {@code owner} until {@code until}. Stores do this in bulk in their claim query. */
    public Delivery claim(String owner, Instant until, Instant now) {
        return to(DeliveryStatus.CLAIMED, attempts, dueAt, owner, until, lastError, transportMessageId, sentAt,
                deliveredAt, readAt, now);
    }

    /** CLAIMED → PENDING: the claim is given back (lease expired, pacing, quiet hours), due at {@code due}. */
    public Delivery release(Instant due, Instant now) {
        return to(DeliveryStatus.PENDING, attempts, due, null, null, lastError, transportMessageId, sentAt,
                deliveredAt, readAt, now);
    }

    /**
     * CLAIMED → SENDING: one more attempt starts, with no evidence yet (an earlier attempt's is dropped). The
     * occurrence has now been taken up, so it no longer expires: a retry after an outage is sent as any retry is.
     */
    public Delivery startSending(Instant now) {
        require(DeliveryStatus.CLAIMED, DeliveryStatus.SENDING);
        return sendingBy(leaseOwner, now);
    }

    /**
     * PENDING → SENDING for {@code owner} in one step, as a dispatch cycle claims (stores do this in bulk): one more
     * attempt starts, with no evidence yet.
     */
    public Delivery claimForSending(String owner, Instant now) {
        require(DeliveryStatus.PENDING, DeliveryStatus.SENDING);
        return sendingBy(Objects.requireNonNull(owner, "owner"), now);
    }

    private Delivery sendingBy(String owner, Instant now) {
        if (!status.canMoveTo(DeliveryStatus.SENDING)) {
            throw new IllegalDeliveryTransitionException(id, status, DeliveryStatus.SENDING);
        }
        return new Delivery(id, scheduleId, fireAt, recipient, account, content, DeliveryStatus.SENDING, attempts + 1,
                dueAt, expiresAt, owner, leaseUntil, lastError, null, null, sentAt, deliveredAt, readAt, repliedAt,
                createdAt, now, version + 1);
    }

    /**
     * SENDING → PENDING without using up the attempt: claimed for sending but never handed to the transport (quiet
     * hours, a cap, the circuit, a pacing gap, shutdown), due at {@code due}. The last error stays as it was.
     */
    public Delivery notStarted(Instant due, Instant now) {
        require(DeliveryStatus.SENDING, DeliveryStatus.PENDING);
        return new Delivery(id, scheduleId, fireAt, recipient, account, content, DeliveryStatus.PENDING,
                Math.max(0, attempts - 1), due, expiresAt, null, null, lastError, transportMessageId, sendMarker, sentAt,
                deliveredAt, readAt, repliedAt, createdAt, now, version + 1);
    }

    /**
     * SENDING → CANCELLED without using up the attempt: claimed for sending, never handed to the transport, and found
     * not to go out any more (its occurrence expired).
     */
    public Delivery cancelUnstarted(String reason, Instant now) {
        require(DeliveryStatus.SENDING, DeliveryStatus.CANCELLED);
        return new Delivery(id, scheduleId, fireAt, recipient, account, content, DeliveryStatus.CANCELLED,
                Math.max(0, attempts - 1), dueAt, expiresAt, null, null, reason, transportMessageId, sendMarker,
                sentAt, deliveredAt, readAt, repliedAt, createdAt, now, version + 1);
    }

    /** SENDING → SENT with the id WhatsApp gave the message. */
    public Delivery sent(String messageId, Instant at, Instant now) {
        require(DeliveryStatus.SENDING, DeliveryStatus.SENT);
        return to(DeliveryStatus.SENT, attempts, dueAt, null, null, null, messageId, at, null, null, now);
    }

    /** SENDING → FAILED → PENDING: a retryable failure; tried again at {@code retryAt}. */
    public Delivery retryLater(String error, Instant retryAt, Instant now) {
        require(DeliveryStatus.SENDING, DeliveryStatus.FAILED);
        Delivery failed = to(DeliveryStatus.FAILED, attempts, dueAt, null, null, error, transportMessageId, sentAt,
                deliveredAt, readAt, now);
        return new Delivery(id, scheduleId, fireAt, recipient, account, content, DeliveryStatus.PENDING, attempts,
                retryAt, null, null, null, error, transportMessageId, sendMarker, sentAt, deliveredAt, readAt, repliedAt,
                createdAt, now, failed.version);
    }

    /**
     * SENDING → FAILED → PENDING without using up the attempt: nothing reached WhatsApp (the session was not usable),
     * so the delivery simply waits for the account, due at {@code due}.
     */
    public Delivery returnUnsent(String reason, Instant due, Instant now) {
        Delivery back = retryLater(reason, due, now);
        return new Delivery(id, scheduleId, fireAt, recipient, account, content, back.status, attempts - 1, due, null,
                null, null, reason, transportMessageId, sendMarker, sentAt, deliveredAt, readAt, repliedAt, createdAt, now,
                back.version);
    }

    /** SENDING → DEAD (or PENDING → DEAD): into the dead-letter queue with a reason. */
    public Delivery dead(String reason, Instant now) {
        return to(DeliveryStatus.DEAD, attempts, dueAt, null, null, reason, transportMessageId, sentAt, deliveredAt,
                readAt, now);
    }

    /**
     * SENT → DEAD: the network accepted the message and later reported that it could not deliver it (the Cloud API's
     * {@code failed} status). It never reached the recipient, so requeueing it is safe.
     */
    public Delivery undelivered(String error, Instant now) {
        require(DeliveryStatus.SENT, DeliveryStatus.DEAD);
        return to(DeliveryStatus.DEAD, attempts, dueAt, null, null, error, transportMessageId, sentAt, null, null,
                now);
    }

    /** SENDING → UNCERTAIN: the owner died mid-send; whether WhatsApp got it is unknown. */
    public Delivery uncertain(String reason, Instant now) {
        return to(DeliveryStatus.UNCERTAIN, attempts, dueAt, null, null, reason, transportMessageId, sentAt,
                deliveredAt, readAt, now);
    }

    /** UNCERTAIN → SENT: the message was found in the chat. */
    public Delivery settledAsSent(String messageId, Instant at, Instant now) {
        require(DeliveryStatus.UNCERTAIN, DeliveryStatus.SENT);
        return to(DeliveryStatus.SENT, attempts, dueAt, null, null, null, messageId, at, null, null, now);
    }

    /** PENDING or CLAIMED → CANCELLED (a delivery already SENDING is cancelled only by {@link #cancelUnstarted}). */
    public Delivery cancel(String reason, Instant now) {
        if (status != DeliveryStatus.PENDING && status != DeliveryStatus.CLAIMED) {
            throw new IllegalDeliveryTransitionException(id, status, DeliveryStatus.CANCELLED);
        }
        return to(DeliveryStatus.CANCELLED, attempts, dueAt, null, null, reason, transportMessageId, sentAt,
                deliveredAt, readAt, now);
    }

    /** DEAD or UNCERTAIN → PENDING, due now, with a fresh attempt budget and no expiry (a person asked for it). */
    public Delivery requeue(Instant now) {
        if (status != DeliveryStatus.DEAD && status != DeliveryStatus.UNCERTAIN) {
            throw new IllegalDeliveryTransitionException(id, status, DeliveryStatus.PENDING);
        }
        return to(DeliveryStatus.PENDING, 0, now, null, null, lastError, transportMessageId, sentAt, deliveredAt,
                readAt, now).expiringAt(null);
    }

    /**
     * DEAD or UNCERTAIN → DISMISSED: a person closed it without sending it again. The last error stays, so the history
     * still says why it needed attention.
     */
    public Delivery dismiss(Instant now) {
        return to(DeliveryStatus.DISMISSED, attempts, dueAt, null, null, lastError, transportMessageId, sentAt,
                deliveredAt, readAt, now);
    }

    /** SENT → DELIVERED → READ as WhatsApp reports acks; an ack that is not ahead of the status is ignored. */
    public Delivery acknowledged(DeliveryStatus level, Instant now) {
        if (level != DeliveryStatus.DELIVERED && level != DeliveryStatus.READ) {
            throw new IllegalArgumentException("an ack is DELIVERED or READ, not " + level);
        }
        if (status == level || status == DeliveryStatus.READ) {
            return this;
        }
        Instant delivered = deliveredAt != null ? deliveredAt : now;
        Instant read = level == DeliveryStatus.READ ? now : readAt;
        return to(level, attempts, dueAt, leaseOwner, leaseUntil, lastError, transportMessageId, sentAt, delivered,
                read, now);
    }

    /** A builder with nothing set but the status, {@link DeliveryStatus#PENDING}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this delivery's values, to build a copy with some of them changed. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.scheduleId = scheduleId;
        b.fireAt = fireAt;
        b.recipient = recipient;
        b.account = account;
        b.content = content;
        b.status = status;
        b.attempts = attempts;
        b.dueAt = dueAt;
        b.expiresAt = expiresAt;
        b.leaseOwner = leaseOwner;
        b.leaseUntil = leaseUntil;
        b.lastError = lastError;
        b.transportMessageId = transportMessageId;
        b.sendMarker = sendMarker;
        b.sentAt = sentAt;
        b.deliveredAt = deliveredAt;
        b.readAt = readAt;
        b.repliedAt = repliedAt;
        b.createdAt = createdAt;
        b.updatedAt = updatedAt;
        b.version = version;
        return b;
    }

    /**
     * Builds a {@link Delivery} by component name; what is not set is null (0 for counts). The record's checks apply
     * in {@link #build()}.
     */
    public static final class Builder {
        private String id;
        private String scheduleId;
        private Instant fireAt;
        private Recipient recipient;
        private String account;
        private MessageContent content;
        private DeliveryStatus status = DeliveryStatus.PENDING;
        private int attempts;
        private Instant dueAt;
        private Instant expiresAt;
        private String leaseOwner;
        private Instant leaseUntil;
        private String lastError;
        private String transportMessageId;
        private String sendMarker;
        private Instant sentAt;
        private Instant deliveredAt;
        private Instant readAt;
        private Instant repliedAt;
        private Instant createdAt;
        private Instant updatedAt;
        private long version;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder scheduleId(String scheduleId) {
            this.scheduleId = scheduleId;
            return this;
        }

        public Builder fireAt(Instant fireAt) {
            this.fireAt = fireAt;
            return this;
        }

        public Builder recipient(Recipient recipient) {
            this.recipient = recipient;
            return this;
        }

        public Builder account(String account) {
            this.account = account;
            return this;
        }

        public Builder content(MessageContent content) {
            this.content = content;
            return this;
        }

        public Builder status(DeliveryStatus status) {
            this.status = status;
            return this;
        }

        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        public Builder dueAt(Instant dueAt) {
            this.dueAt = dueAt;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder leaseOwner(String leaseOwner) {
            this.leaseOwner = leaseOwner;
            return this;
        }

        public Builder leaseUntil(Instant leaseUntil) {
            this.leaseUntil = leaseUntil;
            return this;
        }

        public Builder lastError(String lastError) {
            this.lastError = lastError;
            return this;
        }

        public Builder transportMessageId(String transportMessageId) {
            this.transportMessageId = transportMessageId;
            return this;
        }

        public Builder sendMarker(String sendMarker) {
            this.sendMarker = sendMarker;
            return this;
        }

        public Builder sentAt(Instant sentAt) {
            this.sentAt = sentAt;
            return this;
        }

        public Builder deliveredAt(Instant deliveredAt) {
            this.deliveredAt = deliveredAt;
            return this;
        }

        public Builder readAt(Instant readAt) {
            this.readAt = readAt;
            return this;
        }

        public Builder repliedAt(Instant repliedAt) {
            this.repliedAt = repliedAt;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder version(long version) {
            this.version = version;
            return this;
        }

        public Delivery build() {
            return new Delivery(id, scheduleId, fireAt, recipient, account, content, status, attempts, dueAt, expiresAt,
                    leaseOwner, leaseUntil, lastError, transportMessageId, sendMarker, sentAt, deliveredAt, readAt,
                    repliedAt, createdAt, updatedAt, version);
        }
    }

}
