package dev.wasched.telegram.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wasched.NotFoundException;
import dev.wasched.ValidationException;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.IllegalDeliveryTransitionException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Requeueing an UNCERTAIN delivery takes two steps, because it may send the message a second time. The first
 * ({@link #ask}) sends a question with the evidence and "Yes, send again" / "Cancel" buttons; only "Yes" requeues.
 *
 * <p>Each question has a random token in its callback data ({@code q:y:<token>} yes, {@code q:x:<token>} cancel),
 * bound to the delivery, the version of it that was shown and the chat that asked. A token is answered once: the
 * first press of either button uses it up, and every later press only says so. It expires after the configured
 * time; a delivery that changed after the question was asked (settled as sent, requeued from elsewhere, uncertain
 * again with other evidence) is not requeued: the requeue is conditional on the version shown. Tokens live in
 * memory (a day at most): after a restart the question has to be asked again.
 */
final class RequeueConfirmation {
    static final String PREFIX = "q:";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { OPEN, CONFIRMED, CANCELLED, EXPIRED }

    /** @param evidence what the question showed, kept so the message can say how it ended beneath it */
    private record Question(String deliveryId, long version, long chatId, Instant askedAt, String evidence,
                            State state) {
        Question in(State next) {
            return new Question(deliveryId, version, chatId, askedAt, evidence, next);
        }
    }

    private final BotContext ctx;
    private final Duration expiry;
    private final Cache<String, Question> questions = Caffeine.newBuilder()
            .executor(Runnable::run) // no pool threads: nothing outlives the controller
            .expireAfterWrite(Duration.ofDays(1)) // kept past expiry so a late press is told what happened
            .maximumSize(10_000)
            .build();

    RequeueConfirmation(BotContext ctx, Duration expiry) {
        this.ctx = ctx;
        this.expiry = expiry;
    }

    /**
     * The first step: sends the evidence and the question to {@code chatId} when the delivery is UNCERTAIN; returns
     * the short answer for the button press.
     */
    String ask(long chatId, Delivery d) {
        if (d.status() != DeliveryStatus.UNCERTAIN) {
            return "Not uncertain any more: it is " + d.status() + " now";
        }
        String token = newToken();
        String evidence = Evidence.full(ctx, d);
        questions.put(token, new Question(d.id(), d.version(), chatId, ctx.now(), evidence, State.OPEN));
        String text = "⚠ Requeue an UNCERTAIN delivery?\n\n" + evidence
                + "\n\nIt is unknown whether this message reached WhatsApp. Requeueing sends it again, so the"
                + " recipient may get it twice: check the chat on the phone first."
                + "\nThis question is valid for " + Texts.duration(expiry) + ".";
        Keyboard k = new Keyboard().button("✅ Yes, send again", PREFIX + "y:" + token)
                .button("✖ Cancel", PREFIX + "x:" + token);
        ctx.outbox().sendText(chatId, text, k.build());
        return "Check the evidence, then confirm or cancel";
    }

    /** Handles "Yes, send again" and "Cancel"; returns the short answer shown to the user. */
    String onCallback(long chatId, int messageId, String data) {
        String[] parts = data.split(":", 3);
        if (parts.length != 3 || !(parts[1].equals("y") || parts[1].equals("x"))) {
            return "Unknown button";
        }
        if (!TOKEN.matcher(parts[2]).matches()) {
            throw new ValidationException("button", "malformed confirmation");
        }
        boolean yes = parts[1].equals("y");
        Instant now = ctx.now();
        Question[] before = new Question[1];
        Question after = questions.asMap().computeIfPresent(parts[2], (token, q) -> {
            before[0] = q;
            if (q.chatId() != chatId || q.state() != State.OPEN) {
                return q;
            }
            if (now.isAfter(q.askedAt().plus(expiry))) {
                return q.in(State.EXPIRED);
            }
            return q.in(yes ? State.CONFIRMED : State.CANCELLED);
        });
        Question q = before[0];
        if (q == null) {
            return "This question is no longer known (older than a day, or the bot restarted); nothing was"
                    + " requeued. Press Requeue again to decide anew.";
        }
        if (q.chatId() != chatId) {
            return "This question belongs to another chat; nothing was requeued.";
        }
        if (q.state() != State.OPEN) {
            return switch (q.state()) {
                case CONFIRMED -> "Already answered with Yes; pressing again does nothing.";
                case CANCELLED -> "Already cancelled; nothing was requeued. Press Requeue again to decide anew.";
                default -> "This question expired; nothing was requeued. Press Requeue again to see the evidence"
                        + " as it is now.";
            };
        }
        return switch (after.state()) {
            case EXPIRED -> {
                close(chatId, messageId, q, "⌛ Expired after " + Texts.duration(expiry) + ": nothing was requeued."
                        + " Press Requeue again to see the evidence as it is now.");
                yield "This question expired; nothing was requeued.";
            }
            case CANCELLED -> {
                close(chatId, messageId, q, "✖ Cancelled: nothing was requeued.");
                yield "Cancelled";
            }
            default -> requeue(chatId, messageId, q);
        };
    }

    private String requeue(long chatId, int messageId, Question q) {
        Delivery d;
        try {
            d = ctx.wasched().deliveries().get(q.deliveryId());
        } catch (NotFoundException e) {
            close(chatId, messageId, q, "That delivery no longer exists: nothing was requeued.");
            return "That delivery no longer exists";
        }
        if (d.status() != DeliveryStatus.UNCERTAIN) {
            close(chatId, messageId, q, "Not requeued: the delivery is " + d.status() + " now.");
            return "Not uncertain any more: it is " + d.status() + " now; nothing was requeued";
        }
        if (d.version() != q.version()) {
            close(chatId, messageId, q, "Not requeued: the delivery changed after this question was asked."
                    + " Press Requeue again to see the evidence as it is now.");
            return "It changed since you were asked; nothing was requeued";
        }
        Delivery requeued;
        try {
            // Bound to the version shown with the evidence: a change in between requeues nothing.
            requeued = ctx.wasched().deliveries().requeue(d.id(), q.version());
        } catch (IllegalDeliveryTransitionException | dev.wasched.ConcurrentUpdateException e) {
            close(chatId, messageId, q, "Not requeued: the delivery was handled meanwhile.");
            return "Not uncertain any more; nothing was requeued";
        }
        close(chatId, messageId, q, "✅ Requeued at " + ctx.time(requeued.updatedAt()) + ": it is sent again.");
        return "Requeued: " + Recipients.describe(requeued.recipient()) + " is sent again";
    }

    /** Replaces the question's buttons with how it ended; the evidence above stays readable. */
    private void close(long chatId, int messageId, Question q, String outcome) {
        ctx.outbox().editText(chatId, messageId, "Requeue an UNCERTAIN delivery\n\n" + q.evidence() + "\n\n"
                + outcome, null);
    }

    private static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
