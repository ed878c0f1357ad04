package dev.wasched.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasched.Page;
import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.report.DeliveryCounts;
import dev.wasched.report.OccurrenceReport;
import dev.wasched.report.ScheduleReport;
import dev.wasched.schedule.Schedule;
import dev.wasched.spi.store.StoreCodec;
import java.time.Instant;
import java.util.function.Function;

/** The API's JSON shape of each record, written out explicitly so the API does not change with the Java types. */
public final class JsonViews {
    private final ObjectMapper json;

    public JsonViews(ObjectMapper json) {
        this.json = json;
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String time(Instant i) {
        return i == null ? null : i.toString();
    }

    public ObjectNode contact(Contact c) {
        ObjectNode n = json.createObjectNode().put("id", c.id()).put("name", c.displayName())
                .put("phone", c.phone().e164()).put("optedOut", c.optedOut())
                .put("registration", c.registration().status().name()).put("createdAt", time(c.createdAt()));
        ArrayNode tags = n.putArray("tags");
        c.tags().stream().sorted().forEach(tags::add);
        ObjectNode fields = n.putObject("fields");
        c.fields().forEach(fields::put);
        if (c.zone() != null) {
            n.put("zone", c.zone().getId());
        }
        return n;
    }

    public ObjectNode template(dev.wasched.message.Template t) {
        ObjectNode n = json.createObjectNode().put("name", t.name()).put("body", t.body())
                .put("createdAt", time(t.createdAt())).put("updatedAt", time(t.updatedAt())).put("version", t.version());
        n.putArray("variables").addAll(t.variables().stream().sorted().map(n::textNode).toList());
        return n;
    }

    /** An account without its settings' values: they may hold secrets. */
    public ObjectNode account(dev.wasched.account.Account a) {
        ObjectNode n = json.createObjectNode().put("name", a.name()).put("kind", a.kind())
                .put("status", a.status().name()).put("version", a.version());
        n.putArray("settings").addAll(a.settings().keySet().stream().map(n::textNode).toList());
        return n;
    }

    public ObjectNode schedule(Schedule s) {
        ObjectNode n = json.createObjectNode().put("id", s.id()).put("name", s.name()).put("account", s.account())
                .put("paused", s.paused()).put("nextFireAt", time(s.nextFireAt())).put("runs", s.runs())
                .put("skippedRuns", s.skippedRuns()).put("createdAt", time(s.createdAt())).put("version", s.version());
        if (s.spread()) {
            n.putArray("accounts").addAll(s.accounts().stream().map(n::textNode).toList());
        }
        n.set("target", tree(StoreCodec.target(s.target())));
        n.set("trigger", tree(StoreCodec.trigger(s.trigger())));
        n.set("message", tree(StoreCodec.message(s.message())));
        n.set("misfire", tree(StoreCodec.misfire(s.misfire())));
        return n;
    }

    /** An endpoint without its secret. */
    public ObjectNode webhook(dev.wasched.webhook.WebhookEndpoint e) {
        ObjectNode n = json.createObjectNode().put("id", e.id()).put("url", e.url().toString())
                .put("createdAt", time(e.createdAt())).put("updatedAt", time(e.updatedAt())).put("version", e.version());
        ArrayNode events = n.putArray("events");
        e.spec().events().forEach(events::add);
        return n;
    }

    public ObjectNode outboxEntry(dev.wasched.webhook.OutboxEntry e) {
        ObjectNode n = json.createObjectNode().put("eventId", e.eventId()).put("type", e.eventType())
                .put("status", e.status().name()).put("attempts", e.attempts()).put("lastError", e.lastError())
                .put("createdAt", time(e.createdAt())).put("doneAt", time(e.doneAt()));
        n.set("payload", tree(e.payload()));
        return n;
    }

    public ObjectNode delivery(Delivery d) {
        return json.createObjectNode().put("id", d.id()).put("scheduleId", d.scheduleId())
                .put("fireAt", time(d.fireAt())).put("account", d.account())
                .put("recipient", d.recipient().address()).put("contactId", d.recipient().contactId())
                .put("status", d.status().name()).put("version", d.version()).put("attempts", d.attempts())
                .put("dueAt", time(d.dueAt()))
                .put("lastError", d.lastError()).put("sentAt", time(d.sentAt()))
                .put("deliveredAt", time(d.deliveredAt())).put("readAt", time(d.readAt()))
                .put("repliedAt", time(d.repliedAt())).put("createdAt", time(d.createdAt()));
    }

    public <T> ObjectNode page(Page<T> page, Function<T, JsonNode> view) {
        ObjectNode n = json.createObjectNode();
        ArrayNode items = n.putArray("items");
        page.items().forEach(i -> items.add(view.apply(i)));
        n.put("nextCursor", page.nextCursor().orElse(null));
        return n;
    }

    /** A schedule's report: totals and one entry per occurrence, earliest first. */
    public ObjectNode report(ScheduleReport r) {
        ObjectNode n = json.createObjectNode().put("scheduleId", r.scheduleId());
        n.set("totals", counts(r.totals()));
        ArrayNode occurrences = n.putArray("occurrences");
        r.occurrences().forEach(o -> occurrences.add(occurrence(o)));
        return n;
    }

    public ObjectNode occurrence(OccurrenceReport o) {
        ObjectNode n = json.createObjectNode().put("scheduleId", o.scheduleId()).put("fireAt", time(o.fireAt()));
        n.setAll(counts(o.counts()));
        return n;
    }

    /** Every status's count (0 included), the derived counts, and rates from 0 to 1 (null while nothing was sent). */
    private ObjectNode counts(DeliveryCounts c) {
        ObjectNode n = json.createObjectNode().put("total", c.total()).put("sent", c.sent())
                .put("delivered", c.delivered()).put("read", c.read()).put("failed", c.failed())
                .put("replied", c.replied());
        n.put("deliveredRate", rate(c.deliveredRate())).put("readRate", rate(c.readRate()))
                .put("replyRate", rate(c.replyRate()));
        ObjectNode byStatus = n.putObject("byStatus");
        c.byStatus().forEach((s, count) -> byStatus.put(s.name(), count));
        return n;
    }

    private static Double rate(java.util.OptionalDouble r) {
        return r.isPresent() ? r.getAsDouble() : null;
    }
}
