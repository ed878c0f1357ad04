package dev.wasched.telegram.internal;

import dev.wasched.NotFoundException;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.IllegalDeliveryTransitionException;
import java.util.List;

/**
 * {@code /dlq}: the dead-letter queue, a page per message, each delivery with a requeue button. Callback data:
 * {@code d:r:<id>} requeue, {@code d:n} next page, {@code d:f} first page.
 */
final class DeadLetterList {
    static final String PREFIX = "d:";
    static final int PAGE_SIZE = 5;
    private final BotContext ctx;
    private final PageMemory memory;

    DeadLetterList(BotContext ctx, PageMemory memory) {
        this.ctx = ctx;
        this.memory = memory;
    }

    void show(long chatId) {
        Rendered r = render(null, 1);
        ctx.outbox().sendText(chatId, r.text(), r.keyboard())
                .thenAccept(m -> memory.put(chatId, m.getMessageId(), r.page()));
    }

    String onCallback(long chatId, int messageId, String data) {
        PageMemory.Page current = memory.get(chatId, messageId);
        String[] parts = data.split(":", 3);
        String op = parts.length > 1 ? parts[1] : "";
        switch (op) {
            case "n" -> {
                if (current.next() == null) {
                    return "This is the last page";
                }
                edit(chatId, messageId, render(current.next(), current.number() + 1));
                return null;
            }
            case "f" -> {
                edit(chatId, messageId, render(null, 1));
                return null;
            }
            case "r" -> {
                String id = Ids.require(parts.length > 2 ? parts[2] : null);
                String answer;
                try {
                    Delivery d = ctx.wasched().deliveries().requeue(id);
                    answer = "Requeued: " + Recipients.describe(d.recipient()) + " is sent again";
                } catch (NotFoundException e) {
                    answer = "That delivery no longer exists";
                } catch (IllegalDeliveryTransitionException e) {
                    answer = "Not dead any more: it was requeued or handled already";
                }
                edit(chatId, messageId, render(current.cursor(), current.number()));
                return answer;
            }
            default -> {
                return "Unknown button";
            }
        }
    }

    private void edit(long chatId, int messageId, Rendered r) {
        memory.put(chatId, messageId, r.page());
        ctx.outbox().editText(chatId, messageId, r.text(), r.keyboard());
    }

    Rendered render(String cursor, int number) {
        Page<Delivery> page = ctx.wasched().deliveries().deadLetters(new PageRequest(cursor, PAGE_SIZE));
        List<Delivery> items = page.items();
        StringBuilder b = new StringBuilder("Dead letters, page ").append(number);
        Keyboard k = new Keyboard();
        if (items.isEmpty()) {
            b.append(number == 1 ? "\n\nThe dead-letter queue is empty." : "\n\nNothing on this page.");
        }
        int offset = (number - 1) * PAGE_SIZE;
        for (int i = 0; i < items.size(); i++) {
            Delivery d = items.get(i);
            int n = offset + i + 1;
            b.append("\n\n").append(n).append(". to ").append(Recipients.describe(d.recipient()))
                    .append(" via ").append(d.account()).append(" · ").append(d.attempts()).append(" attempt(s) · ")
                    .append(ctx.time(d.updatedAt()))
                    .append("\n   why: ").append(d.lastError() == null ? "unknown" : Texts.line(d.lastError(), 200));
            if (d.status() == DeliveryStatus.DEAD) {
                k.row().button("↻ Requeue " + n, PREFIX + "r:" + d.id());
            }
        }
        String next = page.nextCursor().filter(c -> !items.isEmpty()).orElse(null);
        k.row();
        if (number > 1) {
            k.button("« First", PREFIX + "f");
        }
        if (next != null) {
            k.button("Next »", PREFIX + "n");
        }
        return new Rendered(b.toString(), k.build(), new PageMemory.Page(cursor, next, number));
    }
}
