package dev.wasched.telegram.internal;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import java.util.List;

/**
 * A list shown one page per message, with buttons per item and page turning. Callback data is
 * {@code <prefix><op>[:<argument>]}; {@code n} (next page) and {@code f} (first page) are handled here, every other
 * op by the list itself.
 */
abstract class PagedList<T> {
    static final int PAGE_SIZE = 5;
    protected final BotContext ctx;
    protected final String prefix;
    private final PageMemory memory;

    PagedList(BotContext ctx, PageMemory memory, String prefix) {
        this.ctx = ctx;
        this.memory = memory;
        this.prefix = prefix;
    }

    /** One page of items after {@code request}'s cursor. */
    protected abstract Page<T> fetch(PageRequest request);

    /** The heading, such as "Schedules". */
    protected abstract String title();

    /** What the first page says when there is nothing at all. */
    protected abstract String emptyText();

    /** Appends item number {@code n} to the text, and its buttons (on a row of their own) to the keyboard. */
    protected abstract void appendItem(StringBuilder text, Keyboard keyboard, T item, int n);

    /** A paragraph shown below the items (or below {@link #emptyText()}), or null for none. */
    protected String footer(boolean empty) {
        return null;
    }

    /** Handles one of this list's own buttons; returns the short answer shown to the user, or null. */
    protected abstract String onItemButton(long chatId, int messageId, PageMemory.Page current, String op, String argument);

    void show(long chatId) {
        Rendered r = render(null, 1);
        ctx.outbox().sendText(chatId, r.text(), r.keyboard())
                .thenAccept(m -> memory.putIfAbsent(chatId, m.getMessageId(), r.page()));
    }

    /** Handles a button of this list; returns the short answer shown to the user (or null). */
    String onCallback(long chatId, int messageId, String data) {
        PageMemory.Page current = memory.get(chatId, messageId);
        if (current == null) { // the first page, as it is now, so "next" knows where page 2 starts
            current = render(null, 1).page();
        }
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
            default -> {
                return onItemButton(chatId, messageId, current, op, parts.length > 2 ? parts[2] : null);
            }
        }
    }

    /** Shows the current page again, as it is now. */
    protected final void refresh(long chatId, int messageId, PageMemory.Page current) {
        edit(chatId, messageId, render(current.cursor(), current.number()));
    }

    private void edit(long chatId, int messageId, Rendered r) {
        memory.put(chatId, messageId, r.page());
        ctx.outbox().editText(chatId, messageId, r.text(), r.keyboard());
    }

    final Rendered render(String cursor, int number) {
        Page<T> page = fetch(new PageRequest(cursor, PAGE_SIZE));
        List<T> items = page.items();
        StringBuilder b = new StringBuilder(title()).append(", page ").append(number);
        Keyboard k = new Keyboard();
        if (items.isEmpty()) {
            b.append(number == 1 ? "\n\n" + emptyText() : "\n\nNothing on this page.");
        }
        int offset = (number - 1) * PAGE_SIZE;
        for (int i = 0; i < items.size(); i++) {
            appendItem(b, k, items.get(i), offset + i + 1);
        }
        String footer = footer(items.isEmpty());
        if (footer != null) {
            b.append("\n\n").append(footer);
        }
        String next = page.nextCursor().filter(c -> !items.isEmpty()).orElse(null);
        k.row();
        if (number > 1) {
            k.button("« First", prefix + "f");
        }
        if (next != null) {
            k.button("Next »", prefix + "n");
        }
        return new Rendered(b.toString(), k.build(), new PageMemory.Page(cursor, next, number));
    }
}
