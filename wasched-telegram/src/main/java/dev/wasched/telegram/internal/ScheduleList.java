package dev.wasched.telegram.internal;

import dev.wasched.NotFoundException;
import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.util.List;

/**
 * {@code /schedules}: one page of schedules per message with pause / resume / delete buttons and page turning.
 * Callback data: {@code s:p:<id>} pause, {@code s:r:<id>} resume, {@code s:d:<id>} ask to delete, {@code s:D:<id>}
 * delete, {@code s:k} keep (back to the list), {@code s:n} next page, {@code s:f} first page.
 */
final class ScheduleList {
    static final String PREFIX = "s:";
    static final int PAGE_SIZE = 5;
    private final BotContext ctx;
    private final PageMemory memory;

    ScheduleList(BotContext ctx, PageMemory memory) {
        this.ctx = ctx;
        this.memory = memory;
    }

    void show(long chatId) {
        Rendered r = render(null, 1);
        ctx.outbox().sendText(chatId, r.text(), r.keyboard())
                .thenAccept(m -> memory.put(chatId, m.getMessageId(), r.page()));
    }

    /** Handles a button; returns the short answer shown to the user (or null). */
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
            case "k" -> {
                edit(chatId, messageId, render(current.cursor(), current.number()));
                return "Kept";
            }
            case "p", "r", "d", "D" -> {
                String id = Ids.require(parts.length > 2 ? parts[2] : null);
                return onSchedule(chatId, messageId, current, op, id);
            }
            default -> {
                return "Unknown button";
            }
        }
    }

    private String onSchedule(long chatId, int messageId, PageMemory.Page current, String op, String id) {
        Schedule s;
        try {
            s = ctx.wasched().schedules().get(id);
        } catch (NotFoundException e) {
            edit(chatId, messageId, render(current.cursor(), current.number()));
            return "That schedule no longer exists";
        }
        String label = label(s);
        switch (op) {
            case "p" -> {
                if (!s.paused()) {
                    ctx.wasched().schedules().pause(id);
                }
                edit(chatId, messageId, render(current.cursor(), current.number()));
                return "Paused " + label;
            }
            case "r" -> {
                if (s.paused()) {
                    ctx.wasched().schedules().resume(id);
                }
                edit(chatId, messageId, render(current.cursor(), current.number()));
                return "Resumed " + label;
            }
            case "d" -> {
                String text = "Delete schedule " + label + "?\n" + describe(s)
                        + "\n\nIts pending messages are cancelled; the delivery history stays.";
                Keyboard k = new Keyboard().button("🗑 Yes, delete", PREFIX + "D:" + id).button("Keep it", PREFIX + "k");
                ctx.outbox().editText(chatId, messageId, text, k.build());
                return null;
            }
            default -> {
                ctx.wasched().schedules().delete(id);
                edit(chatId, messageId, render(current.cursor(), current.number()));
                return "Deleted " + label;
            }
        }
    }

    private void edit(long chatId, int messageId, Rendered r) {
        memory.put(chatId, messageId, r.page());
        ctx.outbox().editText(chatId, messageId, r.text(), r.keyboard());
    }

    Rendered render(String cursor, int number) {
        Page<Schedule> page = ctx.wasched().schedules().list(new PageRequest(cursor, PAGE_SIZE));
        List<Schedule> items = page.items();
        StringBuilder b = new StringBuilder("Schedules, page ").append(number);
        Keyboard k = new Keyboard();
        if (items.isEmpty()) {
            b.append(number == 1 ? "\n\nNo schedules yet. /schedule creates one." : "\n\nNothing on this page.");
        }
        int offset = (number - 1) * PAGE_SIZE;
        for (int i = 0; i < items.size(); i++) {
            Schedule s = items.get(i);
            int n = offset + i + 1;
            b.append("\n\n").append(n).append(". ").append(label(s)).append('\n').append(describe(s));
            k.row();
            if (s.paused()) {
                k.button("▶ Resume " + n, PREFIX + "r:" + s.id());
            } else if (!s.isComplete()) {
                k.button("⏸ Pause " + n, PREFIX + "p:" + s.id());
            }
            k.button("🗑 Delete " + n, PREFIX + "d:" + s.id());
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

    static String label(Schedule s) {
        return s.name().isBlank() ? "'" + Ids.shortId(s.id()) + "'" : "'" + Texts.line(s.name(), 60) + "'";
    }

    String describe(Schedule s) {
        String state = s.paused() ? "⏸ paused" : s.isComplete() ? "✔ done" : "next " + ctx.time(s.nextFireAt());
        return "   to " + target(s.target()) + " via " + s.account()
                + "\n   " + message(s.message())
                + "\n   " + trigger(s.trigger()) + " · " + state + " · " + s.runs() + " run(s)";
    }

    String target(Target t) {
        if (t instanceof Target.Tag tag) {
            return "#" + tag.tag();
        }
        if (t instanceof Target.Group g) {
            return "group " + Texts.line(g.name(), 60);
        }
        List<String> ids = ((Target.Contacts) t).contactIds();
        if (ids.size() == 1) {
            try {
                Contact c = ctx.wasched().contacts().get(ids.get(0));
                return Contacts.label(c);
            } catch (NotFoundException e) {
                return "a deleted contact";
            }
        }
        return ids.size() + " contacts";
    }

    static String message(ScheduledMessage m) {
        if (m.templateName() != null) {
            return "template '" + m.templateName() + "'";
        }
        return m.text() == null ? "media" : "“" + Texts.line(m.text(), 60) + "”";
    }

    String trigger(Trigger t) {
        if (t instanceof Trigger.Once once) {
            return "once at " + ctx.time(once.at());
        }
        if (t instanceof Trigger.Cron cron) {
            return "cron " + cron.expression() + " (" + cron.zone() + ")";
        }
        return "every " + Texts.duration(((Trigger.Every) t).interval());
    }
}
