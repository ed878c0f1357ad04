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
final class ScheduleList extends PagedList<Schedule> {
    static final String PREFIX = "s:";

    ScheduleList(BotContext ctx, PageMemory memory) {
        super(ctx, memory, PREFIX);
    }

    @Override
    protected Page<Schedule> fetch(PageRequest request) {
        return ctx.wasched().schedules().list(request);
    }

    @Override
    protected String title() {
        return "Schedules";
    }

    @Override
    protected String emptyText() {
        return "No schedules yet. /schedule creates one.";
    }

    @Override
    protected void appendItem(StringBuilder b, Keyboard k, Schedule s, int n) {
        b.append("\n\n").append(n).append(". ").append(label(s)).append('\n').append(describe(s));
        k.row();
        if (s.paused()) {
            k.button("▶ Resume " + n, PREFIX + "r:" + s.id());
        } else if (!s.isComplete()) {
            k.button("⏸ Pause " + n, PREFIX + "p:" + s.id());
        }
        k.button("🗑 Delete " + n, PREFIX + "d:" + s.id());
    }

    @Override
    protected String onItemButton(long chatId, int messageId, PageMemory.Page current, String op, String argument) {
        switch (op) {
            case "k" -> {
                refresh(chatId, messageId, current);
                return "Kept";
            }
            case "p", "r", "d", "D" -> {
                return onSchedule(chatId, messageId, current, op, Ids.require(argument));
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
            refresh(chatId, messageId, current);
            return "That schedule no longer exists";
        }
        String label = label(s);
        switch (op) {
            case "p" -> {
                if (!s.paused()) {
                    ctx.wasched().schedules().pause(id);
                }
                refresh(chatId, messageId, current);
                return "Paused " + label;
            }
            case "r" -> {
                if (s.paused()) {
                    ctx.wasched().schedules().resume(id);
                }
                refresh(chatId, messageId, current);
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
                refresh(chatId, messageId, current);
                return "Deleted " + label;
            }
        }
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
        if (t instanceof Target.Number n) {
            return n.phone().e164();
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
            return Inputs.describe(cron);
        }
        if (t instanceof Trigger.YearlyOn yearly) {
            return "yearly on each contact's " + yearly.field() + " at " + yearly.at();
        }
        return "every " + Texts.duration(((Trigger.Every) t).interval());
    }
}
