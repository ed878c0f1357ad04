package dev.wasched.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasched.NotFoundException;
import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.access.Role;
import dev.wasched.contact.Contact;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Contacts, templates, schedules, deliveries, reports and webhook endpoints. Viewers read; operators change contacts,
 * templates, schedules and deliveries; administrators manage webhook endpoints (they send data elsewhere).
 */
public final class DomainRoutes {
    /** How many coming fire times a preview shows. */
    public static final int NEXT_FIRE_TIMES = 5;

    private final Wasched wasched;
    private final ObjectMapper json;
    private final JsonViews views;
    private final java.time.Clock clock;

    public DomainRoutes(Wasched wasched, ObjectMapper json, java.time.Clock clock) {
        this.wasched = wasched;
        this.json = json;
        this.views = new JsonViews(json);
        this.clock = clock;
    }

    public List<Route> routes() {
        List<Route> r = new ArrayList<>();
        // contacts
        r.add(Route.read("/contacts", Role.VIEWER, c -> {
            PageRequest page = c.page();
            if (c.query("tag") != null) {
                return Reply.ok(views.page(wasched.contacts().withTag(c.query("tag"), page), views::contact));
            }
            if (c.query("q") != null) {
                return Reply.ok(views.page(wasched.contacts().search(c.query("q"), page), views::contact));
            }
            return Reply.ok(views.page(wasched.contacts().list(page), views::contact));
        }));
        r.add(Route.change("POST", "/contacts", Role.OPERATOR, "contact.create", c ->
                Reply.created(views.contact(wasched.contacts().create(RequestBodies.contactSpec(c.body()))))));
        r.add(Route.read("/contacts/{id}", Role.VIEWER, c -> Reply.ok(views.contact(wasched.contacts().get(
                c.param("id"))))));
        r.add(Route.change("PUT", "/contacts/{id}", Role.OPERATOR, "contact.update", c -> Reply.ok(views.contact(
                wasched.contacts().update(c.param("id"), RequestBodies.contactSpec(c.body()))))));
        r.add(Route.change("DELETE", "/contacts/{id}", Role.OPERATOR, "contact.delete", c -> {
            wasched.contacts().delete(c.param("id"));
            return Reply.noContent();
        }));
        r.add(Route.change("POST", "/contacts/{id}/opt-out", Role.OPERATOR, "contact.optOut", c ->
                Reply.ok(views.contact(wasched.contacts().optOut(c.param("id"))))));
        r.add(Route.change("POST", "/contacts/{id}/opt-in", Role.OPERATOR, "contact.optIn", c ->
                Reply.ok(views.contact(wasched.contacts().optIn(c.param("id"))))));
        // templates
        r.add(Route.read("/templates", Role.VIEWER, c -> Reply.ok(Map.of("items",
                wasched.templates().list().stream().map(views::template).toList()))));
        r.add(Route.read("/templates/{name}", Role.VIEWER, c -> Reply.ok(views.template(wasched.templates().get(
                c.param("name"))))));
        r.add(Route.change("PUT", "/templates/{name}", Role.OPERATOR, "template.save", c -> Reply.ok(views.template(
                wasched.templates().save(c.param("name"), RequestBodies.text(c.body(), "body", true))))));
        r.add(Route.change("DELETE", "/templates/{name}", Role.OPERATOR, "template.delete", c -> {
            wasched.templates().get(c.param("name"));
            wasched.templates().delete(c.param("name"));
            return Reply.noContent();
        }));
        r.add(Route.change("POST", "/templates/{name}/preview", Role.VIEWER, null, this::previewTemplate));
        // schedules
        r.add(Route.read("/schedules", Role.VIEWER, c -> Reply.ok(views.page(wasched.schedules().list(c.page()),
                views::schedule))));
        r.add(Route.change("POST", "/schedules", Role.OPERATOR, "schedule.create", c -> Reply.created(
                views.schedule(wasched.schedules().create(RequestBodies.scheduleSpec(c.body()))))));
        r.add(Route.read("/schedules/{id}", Role.VIEWER, c -> Reply.ok(views.schedule(wasched.schedules().get(
                c.param("id"))))));
        r.add(Route.change("PUT", "/schedules/{id}", Role.OPERATOR, "schedule.update", c -> {
            Long version = RequestBodies.version(c.body().hasNonNull("version") ? c.body().get("version").asText()
                    : null);
            var spec = RequestBodies.scheduleSpec(c.body());
            return Reply.ok(views.schedule(version == null ? wasched.schedules().update(c.param("id"), spec)
                    : wasched.schedules().update(c.param("id"), version, spec)));
        }));
        r.add(Route.change("DELETE", "/schedules/{id}", Role.OPERATOR, "schedule.delete", c -> {
            wasched.schedules().delete(c.param("id"));
            return Reply.noContent();
        }));
        r.add(Route.change("POST", "/schedules/{id}/pause", Role.OPERATOR, "schedule.pause", c ->
                Reply.ok(views.schedule(wasched.schedules().pause(c.param("id"))))));
        r.add(Route.change("POST", "/schedules/{id}/resume", Role.OPERATOR, "schedule.resume", c ->
                Reply.ok(views.schedule(wasched.schedules().resume(c.param("id"))))));
        r.add(Route.read("/schedules/{id}/next", Role.VIEWER, c -> {
            Schedule s = wasched.schedules().get(c.param("id"));
            return Reply.ok(next(s.trigger(), s.nextFireAt() == null ? null : s.nextFireAt().minusMillis(1)));
        }));
        r.add(Route.change("POST", "/triggers/preview", Role.VIEWER, null, c -> {
            Trigger trigger = RequestBodies.trigger(c.body().get("trigger"));
            Instant now = clock.instant();
            // An interval without a start counts from its schedule's creation: previewed as if created now.
            return Reply.ok(next(trigger instanceof Trigger.Every every ? every.anchoredAt(now) : trigger, now));
        }));
        r.add(Route.read("/schedules/{id}/report", Role.VIEWER, c -> {
            String at = c.query("fireAt");
            if (at == null) {
                return Reply.ok(views.report(wasched.deliveries().report(c.param("id"))));
            }
            try {
                return Reply.ok(views.occurrence(wasched.deliveries().report(c.param("id"), Instant.parse(at))));
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiError.badRequest("fireAt", "not an ISO-8601 instant: '" + at + "'");
            }
        }));
        // deliveries
        r.add(Route.read("/deliveries", Role.VIEWER, c -> Reply.ok(views.page(wasched.deliveries().history(
                RequestBodies.deliveryQuery(c), c.page()), views::delivery))));
        r.add(Route.read("/deliveries.csv", Role.VIEWER, c -> {
            var query = RequestBodies.deliveryQuery(c);
            return Reply.ok(new TextStream("text/csv;charset=utf-8", out -> wasched.deliveries().exportCsv(query,
                    out)));
        }));
        r.add(Route.read("/deliveries/{id}", Role.VIEWER, c -> Reply.ok(views.delivery(wasched.deliveries().get(
                c.param("id"))))));
        r.add(Route.change("POST", "/deliveries/{id}/requeue", Role.OPERATOR, "delivery.requeue", c -> {
            Long version = RequestBodies.version(c.query("version"));
            return Reply.ok(views.delivery(version == null ? wasched.deliveries().requeue(c.param("id"))
                    : wasched.deliveries().requeue(c.param("id"), version)));
        }));
        r.add(Route.change("POST", "/deliveries/{id}/cancel", Role.OPERATOR, "delivery.cancel", c ->
                Reply.ok(views.delivery(wasched.deliveries().cancel(c.param("id"))))));
        r.add(Route.change("POST", "/deliveries/{id}/dismiss", Role.OPERATOR, "delivery.dismiss", c -> {
            Long version = RequestBodies.version(c.query("version"));
            return Reply.ok(views.delivery(version == null ? wasched.deliveries().dismiss(c.param("id"))
                    : wasched.deliveries().dismiss(c.param("id"), version)));
        }));
        // webhook endpoints: the secret is written, never read back
        r.add(Route.read("/webhooks", Role.ADMIN, c -> {
            ArrayNode items = json.createArrayNode();
            wasched.webhooks().list().forEach(e -> items.add(views.webhook(e)));
            return Reply.ok(json.createObjectNode().set("items", items));
        }));
        r.add(Route.change("POST", "/webhooks", Role.ADMIN, "webhook.register", c -> Reply.created(views.webhook(
                wasched.webhooks().register(RequestBodies.webhookSpec(c.body()))))));
        r.add(Route.read("/webhooks/{id}", Role.ADMIN, c -> Reply.ok(views.webhook(wasched.webhooks().find(
                c.param("id")).orElseThrow(() -> new NotFoundException("webhook endpoint", c.param("id")))))));
        r.add(Route.change("PUT", "/webhooks/{id}", Role.ADMIN, "webhook.update", c -> Reply.ok(views.webhook(
                wasched.webhooks().update(c.param("id"), RequestBodies.webhookSpec(c.body()))))));
        r.add(Route.change("DELETE", "/webhooks/{id}", Role.ADMIN, "webhook.remove", c -> {
            if (!wasched.webhooks().remove(c.param("id"))) {
                throw new NotFoundException("webhook endpoint", c.param("id"));
            }
            return Reply.noContent();
        }));
        r.add(Route.read("/webhooks/{id}/failed", Role.ADMIN, c -> {
            wasched.webhooks().find(c.param("id")).orElseThrow(() -> new NotFoundException("webhook endpoint",
                    c.param("id")));
            ArrayNode items = json.createArrayNode();
            wasched.webhooks().failed(c.param("id"), c.page().limit()).forEach(e -> items.add(views.outboxEntry(e)));
            return Reply.ok(json.createObjectNode().set("items", items));
        }));
        return r;
    }

    /** A template rendered for a contact (its name, phone and fields) and the variables given. */
    private Reply previewTemplate(Call c) {
        Map<String, String> values = new LinkedHashMap<>();
        String contactId = RequestBodies.text(c.body(), "contactId", false);
        if (contactId != null) {
            Contact contact = wasched.contacts().get(contactId);
            values.putAll(contact.templateVariables());
        }
        values.putAll(RequestBodies.stringMap(c.body(), "variables"));
        // A body being written is previewed as it stands, without saving it over the one schedules use.
        String draft = RequestBodies.text(c.body(), "body", false);
        String rendered = draft == null ? wasched.templates().render(c.param("name"), values)
                : dev.wasched.message.Template.render(c.param("name"), draft, values);
        return Reply.ok(Map.of("text", rendered));
    }

    /** The next fire times of a trigger after {@code after} (a contact-date trigger: its windows). */
    private ObjectNode next(Trigger trigger, Instant after) {
        ObjectNode out = json.createObjectNode();
        ArrayNode times = out.putArray("next");
        Instant t = after;
        for (int i = 0; t != null && i < NEXT_FIRE_TIMES; i++) {
            t = trigger.nextAfter(t).orElse(null);
            if (t != null) {
                times.add(t.toString());
            }
        }
        return out;
    }
}
