package dev.wasched.telegram.internal;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import java.util.TreeSet;

/** {@code /contacts [text]}: a search by name or digits, or the first contacts. */
final class Contacts {
    static final int LIMIT = 10;

    private Contacts() {
    }

    static String label(Contact c) {
        return c.displayName().isBlank() ? c.phone().e164() : Texts.line(c.displayName(), 60) + " (" + c.phone().e164() + ")";
    }

    static String search(BotContext ctx, String args) {
        String query = Inputs.bounded("search", args, Inputs.MAX_QUERY);
        Page<Contact> page = query.isEmpty()
                ? ctx.wasched().contacts().list(PageRequest.first(LIMIT))
                : ctx.wasched().contacts().search(query, PageRequest.first(LIMIT));
        StringBuilder b = new StringBuilder(query.isEmpty()
                ? "Contacts (" + ctx.wasched().contacts().count() + " in all):"
                : "Contacts matching '" + query + "':");
        if (page.items().isEmpty()) {
            b.append(query.isEmpty() ? "\nnone yet" : "\nnone");
        }
        for (Contact c : page.items()) {
            b.append("\n• ").append(label(c));
            if (!c.tags().isEmpty()) {
                new TreeSet<>(c.tags()).forEach(t -> b.append(" #").append(t));
            }
            if (c.optedOut()) {
                b.append(" · opted out");
            }
        }
        if (page.nextCursor().isPresent()) {
            b.append("\n… and more").append(query.isEmpty() ? ": /contacts <name or digits> searches." : "; be more specific.");
        }
        return b.toString();
    }
}
