package dev.wasched.spi.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MediaAttachment;
import dev.wasched.message.MessageContent;
import dev.wasched.schedule.CronDialect;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON for the nested parts of records that stores keep in one column or field (target, trigger, message, content,
 * recipient, tags, custom fields). Every store uses it, so the stored form is the same everywhere and versioned in
 * one place. The mapping is explicit: renaming a Java field never changes stored data.
 */
public final class StoreCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreCodec() {
    }

    public static String target(Target t) {
        ObjectNode n = JSON.createObjectNode();
        if (t instanceof Target.Contacts c) {
            n.put("type", "contacts");
            c.contactIds().forEach(n.putArray("ids")::add);
        } else if (t instanceof Target.Tag tag) {
            n.put("type", "tag").put("tag", tag.tag());
        } else if (t instanceof Target.Group g) {
            n.put("type", "group").put("name", g.name());
        } else if (t instanceof Target.Number x) {
            n.put("type", "number").put("phone", x.phone().e164());
        }
        return write(n);
    }

    public static Target target(String json) {
        JsonNode n = read(json);
        return switch (n.path("type").asText()) {
            case "contacts" -> {
                List<String> ids = new ArrayList<>();
                n.path("ids").forEach(x -> ids.add(x.asText()));
                yield Target.contacts(ids);
            }
            case "tag" -> Target.tag(n.path("tag").asText());
            case "group" -> Target.group(n.path("name").asText());
            case "number" -> new Target.Number(new dev.wasched.contact.PhoneNumber(n.path("phone").asText()));
            default -> throw new IllegalArgumentException("unknown target type in " + json);
        };
    }

    public static String trigger(Trigger t) {
        ObjectNode n = JSON.createObjectNode();
        if (t instanceof Trigger.Once o) {
            n.put("type", "once").put("at", o.at().toString());
        } else if (t instanceof Trigger.Cron c) {
            n.put("type", "cron").put("expression", c.expression()).put("zone", c.zone().getId());
            // Unix is the dialect of data stored before there were others: it stays unnamed, so that data and new
            // Unix triggers are stored alike.
            if (c.dialect() != CronDialect.UNIX) {
                n.put("dialect", c.dialect().name());
            }
        } else if (t instanceof Trigger.Every e) {
            n.put("type", "every").put("intervalMs", e.interval().toMillis());
            if (e.start() != null) {
                n.put("start", e.start().toString());
            }
        } else if (t instanceof Trigger.YearlyOn y) {
            n.put("type", "yearlyOn").put("field", y.field()).put("at", y.at().toString());
            if (y.zone() != null) {
                n.put("zone", y.zone().getId());
            }
        }
        return write(n);
    }

    public static Trigger trigger(String json) {
        JsonNode n = read(json);
        return switch (n.path("type").asText()) {
            case "once" -> Trigger.once(Instant.parse(n.path("at").asText()));
            case "cron" -> Trigger.cron(n.path("expression").asText(), ZoneId.of(n.path("zone").asText()),
                    cronDialect(n.path("dialect").asText(CronDialect.UNIX.name()), json));
            case "every" -> new Trigger.Every(Duration.ofMillis(n.path("intervalMs").asLong()),
                    n.hasNonNull("start") ? Instant.parse(n.path("start").asText()) : null);
            case "yearlyOn" -> Trigger.yearlyOn(n.path("field").asText(), java.time.LocalTime.parse(n.path("at").asText()),
                    n.hasNonNull("zone") ? ZoneId.of(n.path("zone").asText()) : null);
            default -> throw new IllegalArgumentException("unknown trigger type in " + json);
        };
    }

    private static CronDialect cronDialect(String name, String json) {
        try {
            return CronDialect.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown cron dialect in " + json, e);
        }
    }

    /** An account's own pacing; null stays null. */
    public static String pacing(dev.wasched.policy.PacingPolicy p) {
        if (p == null) {
            return null;
        }
        ObjectNode n = JSON.createObjectNode().put("minGapMs", p.minGap().toMillis()).put("jitterMs", p.jitter().toMillis())
                .put("hourlyCap", p.hourlyCap()).put("dailyCap", p.dailyCap())
                .put("newContactDailyCap", p.newContactDailyCap()).put("simulateTyping", p.simulateTyping())
                .put("zone", p.zone().getId());
        if (p.quietHours() != null) {
            n.put("quietStart", p.quietHours().start().toString()).put("quietEnd", p.quietHours().end().toString());
        }
        return write(n);
    }

    public static dev.wasched.policy.PacingPolicy pacing(String json) {
        if (json == null) {
            return null;
        }
        JsonNode n = read(json);
        dev.wasched.policy.QuietHours quiet = n.hasNonNull("quietStart")
                ? new dev.wasched.policy.QuietHours(java.time.LocalTime.parse(n.get("quietStart").asText()),
                        java.time.LocalTime.parse(n.get("quietEnd").asText()))
                : null;
        return new dev.wasched.policy.PacingPolicy(Duration.ofMillis(n.path("minGapMs").asLong()),
                Duration.ofMillis(n.path("jitterMs").asLong()), n.path("hourlyCap").asInt(), n.path("dailyCap").asInt(),
                n.path("newContactDailyCap").asInt(), quiet, n.path("simulateTyping").asBoolean(),
                ZoneId.of(n.path("zone").asText("UTC")));
    }

    public static String misfire(MisfirePolicy m) {
        return write(JSON.createObjectNode().put("kind", m.kind().name())
                .put("maxLatenessMs", m.maxLateness().toMillis()).put("fireAllLimit", m.fireAllLimit()));
    }

    public static MisfirePolicy misfire(String json) {
        JsonNode n = read(json);
        return new MisfirePolicy(MisfirePolicy.Kind.valueOf(n.path("kind").asText()),
                Duration.ofMillis(n.path("maxLatenessMs").asLong()), n.path("fireAllLimit").asInt());
    }

    public static String message(ScheduledMessage m) {
        ObjectNode n = JSON.createObjectNode();
        if (m.templateName() != null) {
            n.put("template", m.templateName());
        }
        if (m.text() != null) {
            n.put("text", m.text());
        }
        ObjectNode vars = n.putObject("variables");
        m.variables().forEach(vars::put);
        if (m.media() != null) {
            n.set("media", media(m.media()));
        }
        return write(n);
    }

    public static ScheduledMessage message(String json) {
        JsonNode n = read(json);
        return new ScheduledMessage(n.hasNonNull("template") ? n.get("template").asText() : null,
                n.hasNonNull("text") ? n.get("text").asText() : null, stringMap(n.path("variables")),
                n.hasNonNull("media") ? media(n.get("media")) : null);
    }

    public static String content(MessageContent c) {
        ObjectNode n = JSON.createObjectNode().put("text", c.text());
        if (c.media() != null) {
            n.set("media", media(c.media()));
        }
        return write(n);
    }

    public static MessageContent content(String json) {
        JsonNode n = read(json);
        return new MessageContent(n.path("text").asText(), n.hasNonNull("media") ? media(n.get("media")) : null);
    }

    public static String recipient(Recipient r) {
        ObjectNode n = JSON.createObjectNode().put("kind", r.kind().name()).put("address", r.address());
        if (r.contactId() != null) {
            n.put("contactId", r.contactId());
        }
        if (r.zone() != null) {
            n.put("zone", r.zone().getId());
        }
        return write(n);
    }

    public static Recipient recipient(String json) {
        JsonNode n = read(json);
        return new Recipient(Recipient.Kind.valueOf(n.path("kind").asText()),
                n.hasNonNull("contactId") ? n.get("contactId").asText() : null, n.path("address").asText(),
                n.hasNonNull("zone") ? ZoneId.of(n.get("zone").asText()) : null);
    }

    /**
     * The accounts a schedule is spread over, in order; null for a schedule of one account (its {@code account}
     * column says all).
     */
    public static String accounts(dev.wasched.schedule.Schedule s) {
        if (!s.spread()) {
            return null;
        }
        var arr = JSON.createArrayNode();
        s.accounts().forEach(arr::add);
        return write(arr);
    }

    /** Reads {@link #accounts(dev.wasched.schedule.Schedule)}; null gives null (one account). */
    public static List<String> accounts(String json) {
        if (json == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        read(json).forEach(x -> out.add(x.asText()));
        return out;
    }

    public static String tags(Set<String> tags) {
        var arr = JSON.createArrayNode();
        tags.stream().sorted().forEach(arr::add);
        return write(arr);
    }

    public static Set<String> tags(String json) {
        Set<String> out = new LinkedHashSet<>();
        read(json).forEach(x -> out.add(x.asText()));
        return out;
    }

    public static String fields(Map<String, String> fields) {
        ObjectNode n = JSON.createObjectNode();
        fields.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> n.put(e.getKey(), e.getValue()));
        return write(n);
    }

    public static Map<String, String> fields(String json) {
        return stringMap(read(json));
    }

    /**
     * How {@code field}'s string value starts in the JSON of {@link #fields(Map)} ({@code "birthday":"}), for a store
     * that narrows contacts by a field in its query; field names need no escaping (letters, digits and _).
     */
    public static String fieldValueStart(String field) {
        return "\"" + field + "\":\"";
    }

    /**
     * How a value of {@code field} ends when it is a date on {@code day} in any of the {@code ContactDate} formats
     * ({@code 03-05"}), for the same narrowing; the store checks the dates it finds with
     * {@link ContactRepository#onDays}.
     */
    public static String dateValueEnd(MonthDay day) {
        return String.format("%02d-%02d\"", day.getMonthValue(), day.getDayOfMonth());
    }

    private static ObjectNode media(MediaAttachment m) {
        return JSON.createObjectNode().put("sha256", m.sha256()).put("mimeType", m.mimeType())
                .put("fileName", m.fileName()).put("size", m.size());
    }

    private static MediaAttachment media(JsonNode n) {
        return new MediaAttachment(n.path("sha256").asText(), n.path("mimeType").asText(), n.path("fileName").asText(),
                n.path("size").asLong());
    }

    private static Map<String, String> stringMap(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored JSON is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
