package dev.wasched.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.schedule.CronDialect;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.webhook.WebhookSpec;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The API's JSON request bodies and filters read into wasched's specs; a bad field is a 400 that names it. */
public final class RequestBodies {
    private RequestBodies() {
    }

    public static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiError.badRequest(field, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(field, "must be a string");
        }
        return v.asText();
    }

    public static Map<String, String> stringMap(JsonNode n, String field) {
        JsonNode v = n.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw ApiError.badRequest(field, "must be an object of strings");
        }
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw ApiError.badRequest(field + "." + e.getKey(), "must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    public static List<String> stringList(JsonNode n, String field) {
        JsonNode v = n.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw ApiError.badRequest(field, "must be an array of strings");
        }
        v.forEach(x -> {
            if (!x.isTextual()) {
                throw ApiError.badRequest(field, "must be an array of strings");
            }
            out.add(x.asText());
        });
        return out;
    }

    /** A version a client read ({@code ?version=} or a body's {@code "version"}), or null when none was given. */
    public static Long version(String given) {
        if (given == null) {
            return null;
        }
        try {
            return Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("version", "must be a whole number");
        }
    }

    public static ContactSpec contactSpec(JsonNode n) {
        ContactSpec.Builder b = ContactSpec.builder().name(text(n, "name", false)).phone(text(n, "phone", true))
                .tags(new java.util.LinkedHashSet<>(stringList(n, "tags"))).fields(stringMap(n, "fields"));
        String zone = text(n, "zone", false);
        if (zone != null) {
            b.zone(zone(zone, "zone"));
        }
        return b.build();
    }

    static ZoneId zone(String id, String field) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw ApiError.badRequest(field, "unknown time zone '" + id + "'");
        }
    }

    public static WebhookSpec webhookSpec(JsonNode n) {
        return WebhookSpec.of(text(n, "url", true), dev.wasched.Secret.of(text(n, "secret", true)),
                stringList(n, "events").toArray(String[]::new));
    }

    public static ScheduleSpec scheduleSpec(JsonNode n) {
        ScheduleSpec.Builder b = n.has("accounts") ? ScheduleSpec.builder().accounts(stringList(n, "accounts"))
                : ScheduleSpec.builder().account(text(n, "account", true));
        b.name(text(n, "name", false));
        JsonNode to = n.get("to");
        if (to == null || !to.isObject()) {
            throw ApiError.badRequest("to", "is required: {\"contacts\":[ids]}, {\"tag\":\"…\"} or {\"group\":\"…\"}");
        }
        if (to.has("contacts")) {
            b.to(Target.contacts(stringList(to, "contacts")));
        } else if (to.has("tag")) {
            b.to(Target.tag(text(to, "tag", true)));
        } else if (to.has("group")) {
            b.to(Target.group(text(to, "group", true)));
        } else {
            throw ApiError.badRequest("to", "needs contacts, tag or group");
        }
        String template = text(n, "template", false);
        if (template != null) {
            b.template(template, stringMap(n, "variables"));
        } else {
            b.text(text(n, "text", true)).variables(stringMap(n, "variables"));
        }
        JsonNode media = n.get("media");
        if (media != null && !media.isNull()) {
            if (!media.isObject() || !media.path("size").canConvertToLong()) {
                throw ApiError.badRequest("media", "must be an uploaded file: {\"sha256\", \"mimeType\","
                        + " \"fileName\", \"size\"} as POST /media answered");
            }
            b.media(new dev.wasched.message.MediaAttachment(text(media, "sha256", true), text(media, "mimeType", true),
                    text(media, "fileName", true), media.get("size").asLong()));
        }
        b.trigger(trigger(n.get("trigger")));
        String misfire = text(n, "misfire", false);
        if (misfire != null) {
            b.misfire(switch (misfire) {
                case "FIRE_ONCE" -> MisfirePolicy.DEFAULT;
                case "SKIP" -> MisfirePolicy.skip();
                case "FIRE_ALL" -> MisfirePolicy.fireAll(MisfirePolicy.DEFAULT_MAX_LATENESS,
                        MisfirePolicy.DEFAULT_FIRE_ALL_LIMIT);
                default -> throw ApiError.badRequest("misfire", "one of FIRE_ONCE, SKIP, FIRE_ALL");
            });
        }
        return b.build();
    }

    public static Trigger trigger(JsonNode t) {
        if (t == null || !t.isObject()) {
            throw ApiError.badRequest("trigger", "is required: {\"once\":\"ISO instant\"}, {\"cron\":\"…\","
                    + "\"zone\":\"…\"} (\"dialect\": UNIX, QUARTZ or SPRING; UNIX when left out), {\"every\":\"PT1H\"}"
                    + " or {\"yearlyOn\":\"birthday\",\"at\":\"09:00\"}");
        }
        try {
            if (t.has("once")) {
                return Trigger.once(Instant.parse(text(t, "once", true)));
            }
            if (t.has("cron")) {
                return Trigger.cron(text(t, "cron", true), zone(text(t, "zone", true), "trigger.zone"),
                        cronDialect(text(t, "dialect", false)));
            }
            if (t.has("every")) {
                String start = text(t, "start", false);
                Duration every = Duration.parse(text(t, "every", true));
                return start == null ? Trigger.every(every) : Trigger.every(every, Instant.parse(start));
            }
            if (t.has("yearlyOn")) {
                String zone = text(t, "zone", false);
                return Trigger.yearlyOn(text(t, "yearlyOn", true), java.time.LocalTime.parse(text(t, "at", true)),
                        zone == null ? null : zone(zone, "trigger.zone"));
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiError.badRequest("trigger", "not an ISO-8601 value: '" + e.getParsedString() + "'");
        }
        throw ApiError.badRequest("trigger", "needs once, cron, every or yearlyOn");
    }

    /** A cron trigger's dialect, UNIX when not given; the names are matched in any case. */
    private static CronDialect cronDialect(String name) {
        if (name == null) {
            return CronDialect.UNIX;
        }
        for (CronDialect d : CronDialect.values()) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw ApiError.badRequest("trigger.dialect", "one of UNIX, QUARTZ, SPRING");
    }

    /** The filters of the delivery history and its CSV export. */
    public static DeliveryQuery deliveryQuery(Call c) {
        Set<DeliveryStatus> statuses = EnumSet.noneOf(DeliveryStatus.class);
        String s = c.query("status");
        if (s != null) {
            for (String one : s.split(",")) {
                try {
                    statuses.add(DeliveryStatus.valueOf(one.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("status", "unknown status '" + one + "'");
                }
            }
        }
        return new DeliveryQuery(c.query("schedule"), c.query("contact"), c.query("account"), statuses, null, null,
                "true".equals(c.query("replied")));
    }
}
