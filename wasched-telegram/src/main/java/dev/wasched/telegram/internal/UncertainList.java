package dev.wasched.telegram.internal;

import dev.wasched.NotFoundException;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;

/**
 * {@code /uncertain}: deliveries whose send had an unknown outcome, a page per message, each with its evidence and a
 * requeue button that asks for a confirmation first ({@link RequeueConfirmation}). Callback data: {@code u:r:<id>}
 * requeue (ask), {@code u:n} next page, {@code u:f} first page.
 */
final class UncertainList extends PagedList<Delivery> {
    static final String PREFIX = "u:";
    private final RequeueConfirmation confirmation;

    UncertainList(BotContext ctx, PageMemory memory, RequeueConfirmation confirmation) {
        super(ctx, memory, PREFIX);
        this.confirmation = confirmation;
    }

    @Override
    protected Page<Delivery> fetch(PageRequest request) {
        return ctx.wasched().deliveries().uncertain(request);
    }

    @Override
    protected String title() {
        return "Uncertain deliveries";
    }

    @Override
    protected String emptyText() {
        return "No uncertain deliveries.";
    }

    @Override
    protected void appendItem(StringBuilder b, Keyboard k, Delivery d, int n) {
        b.append("\n\n").append(n).append(". to ").append(Recipients.describe(d.recipient()))
                .append(" via ").append(d.account()).append(Evidence.shortLines(ctx, d));
        if (d.status() == DeliveryStatus.UNCERTAIN) {
            k.row().button("↻ Requeue " + n + "…", PREFIX + "r:" + d.id());
        }
    }

    @Override
    protected String footer(boolean empty) {
        return empty ? null : "Whether these reached WhatsApp is unknown; they are not sent again unless you requeue them."
                + " Requeueing asks for a confirmation: the recipient may get the message twice.";
    }

    @Override
    protected String onItemButton(long chatId, int messageId, PageMemory.Page current, String op, String argument) {
        if (!op.equals("r")) {
            return "Unknown button";
        }
        String id = Ids.require(argument);
        Delivery d;
        try {
            d = ctx.wasched().deliveries().get(id);
        } catch (NotFoundException e) {
            refresh(chatId, messageId, current);
            return "That delivery no longer exists";
        }
        if (d.status() != DeliveryStatus.UNCERTAIN) {
            refresh(chatId, messageId, current);
        }
        return confirmation.ask(chatId, d);
    }
}
