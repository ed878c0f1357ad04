package dev.wasched.telegram.internal;

import dev.wasched.NotFoundException;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.IllegalDeliveryTransitionException;

/**
 * {@code /dlq}: the dead-letter queue, a page per message, each delivery with a requeue and a dismiss button, and how
 * many deliveries are UNCERTAIN ({@code /uncertain} lists them). Callback data: {@code d:r:<id>} requeue,
 * {@code d:x:<id>} dismiss (closed without sending, stays in the history), {@code d:n} next page, {@code d:f} first
 * page. A DEAD delivery is requeued at once; should the id name an UNCERTAIN one, the
 * requeue asks for a confirmation first, as from {@code /uncertain}.
 */
final class DeadLetterList extends PagedList<Delivery> {
    static final String PREFIX = "d:";
    private static final String NOT_DEAD = "Not dead any more: it was requeued or handled already";
    private final RequeueConfirmation confirmation;

    DeadLetterList(BotContext ctx, PageMemory memory, RequeueConfirmation confirmation) {
        super(ctx, memory, PREFIX);
        this.confirmation = confirmation;
    }

    @Override
    protected Page<Delivery> fetch(PageRequest request) {
        return ctx.wasched().deliveries().deadLetters(request);
    }

    @Override
    protected String title() {
        return "Dead letters";
    }

    @Override
    protected String emptyText() {
        return "The dead-letter queue is empty.";
    }

    @Override
    protected void appendItem(StringBuilder b, Keyboard k, Delivery d, int n) {
        b.append("\n\n").append(n).append(". to ").append(Recipients.describe(d.recipient()))
                .append(" via ").append(d.account()).append(" · ").append(d.attempts()).append(" attempt(s) · ")
                .append(ctx.time(d.updatedAt()))
                .append("\n   why: ").append(d.lastError() == null ? "unknown" : Texts.line(d.lastError(), 200));
        if (d.status() == DeliveryStatus.DEAD) {
            k.row().button("↻ Requeue " + n, PREFIX + "r:" + d.id()).button("✖ Dismiss " + n, PREFIX + "x:" + d.id());
        }
    }

    @Override
    protected String footer(boolean empty) {
        long uncertain = ctx.wasched().deliveries().counts(null).getOrDefault(DeliveryStatus.UNCERTAIN, 0L);
        return uncertain == 0 ? null : "❓ " + uncertain + " uncertain (sent or not is unknown): /uncertain shows"
                + " the evidence.";
    }

    @Override
    protected String onItemButton(long chatId, int messageId, PageMemory.Page current, String op, String argument) {
        if (!op.equals("r") && !op.equals("x")) {
            return "Unknown button";
        }
        String id = Ids.require(argument);
        String answer;
        try {
            Delivery shown = ctx.wasched().deliveries().get(id);
            if (shown.status() == DeliveryStatus.UNCERTAIN && op.equals("r")) {
                return confirmation.ask(chatId, shown); // never in one step: it may send the message twice
            }
            if (shown.status() != DeliveryStatus.DEAD) {
                // Not an UNCERTAIN one either: this list does not show its evidence (CLI dlq dismiss, the API do).
                answer = NOT_DEAD;
            } else if (op.equals("x")) {
                Delivery d = ctx.wasched().deliveries().dismiss(id, shown.version());
                answer = "Dismissed: " + Recipients.describe(d.recipient()) + " is not sent again";
            } else {
                Delivery d = ctx.wasched().deliveries().requeue(id);
                answer = "Requeued: " + Recipients.describe(d.recipient()) + " is sent again";
            }
        } catch (NotFoundException e) {
            answer = "That delivery no longer exists";
        } catch (IllegalDeliveryTransitionException | dev.wasched.ConcurrentUpdateException e) {
            answer = NOT_DEAD;
        }
        refresh(chatId, messageId, current);
        return answer;
    }
}
