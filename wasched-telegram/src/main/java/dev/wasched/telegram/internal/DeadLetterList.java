package dev.wasched.telegram.internal;

import dev.wasched.NotFoundException;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.IllegalDeliveryTransitionException;

/**
 * {@code /dlq}: the dead-letter queue, a page per message, each delivery with a requeue button. Callback data:
 * {@code d:r:<id>} requeue, {@code d:n} next page, {@code d:f} first page.
 */
final class DeadLetterList extends PagedList<Delivery> {
    static final String PREFIX = "d:";

    DeadLetterList(BotContext ctx, PageMemory memory) {
        super(ctx, memory, PREFIX);
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
            k.row().button("↻ Requeue " + n, PREFIX + "r:" + d.id());
        }
    }

    @Override
    protected String onItemButton(long chatId, int messageId, PageMemory.Page current, String op, String argument) {
        if (!op.equals("r")) {
            return "Unknown button";
        }
        String id = Ids.require(argument);
        String answer;
        try {
            Delivery d = ctx.wasched().deliveries().requeue(id);
            answer = "Requeued: " + Recipients.describe(d.recipient()) + " is sent again";
        } catch (NotFoundException e) {
            answer = "That delivery no longer exists";
        } catch (IllegalDeliveryTransitionException e) {
            answer = "Not dead any more: it was requeued or handled already";
        }
        refresh(chatId, messageId, current);
        return answer;
    }
}
