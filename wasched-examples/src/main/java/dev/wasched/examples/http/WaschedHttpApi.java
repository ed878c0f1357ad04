package dev.wasched.examples.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wasched.ConcurrentUpdateException;
import dev.wasched.NotFoundException;
import dev.wasched.PageRequest;
import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.IllegalDeliveryTransitionException;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An example of embedding wasched in a server an application already has: a small JSON API over the JDK's HTTP
 * server, protected by an API key, for contacts, schedules and deliveries.
 *
 * <pre>
 * GET  /healthz                              status only, no key needed
 * GET  /api/health                           the full health snapshot
 * POST /api/contacts                         {"name","phone","tags":[],"fields":{}}
 * GET  /api/contacts?tag=&amp;q=&amp;cursor=&amp;limit=
 * GET  /api/contacts/{id}      DELETE /api/contacts/{id}      POST /api/contacts/{id}/opt-out
 * POST /api/schedules                        {"account","name","to":{...},"text"|"template"+"variables","trigger":{...}}
 * GET  /api/schedules?cursor=&amp;limit=        GET|DELETE /api/schedules/{id}    POST /api/schedules/{id}/pause|resume
 * GET  /api/deliveries?status=&amp;schedule=&amp;contact=&amp;cursor=&amp;limit=
 * GET  /api/deliveries/{id}                  POST /api/deliveries/{id}/requeue
 * </pre>
 *
 * The key comes in {@code Authorization: Bearer KEY} or {@code X-Api-Key: KEY} and is compared in constant time.
 */
public final class WaschedHttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WaschedHttpApi.class);
    /** Bodies above this are refused before they are read. */
    public static final int MAX_BODY = 1024 * 1024;

    private final Wasched wasched;
    private final byte[] apiKey;
    private final ObjectMapper json = new ObjectMapper();
    private final JsonViews views = new JsonViews(json);
    private final HttpServer server;
    private final ExecutorService executor;

    private WaschedHttpApi(Wasched wasched, Secret apiKey, InetSocketAddress address) throws IOException {
        this.wasched = wasched;
        this.apiKey = apiKey.reveal().getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(address, 64);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "wasched-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts serving on {@code address} (port 0 picks a free one). */
    public static WaschedHttpApi start(Wasched wasched, Secret apiKey, InetSocketAddress address) throws IOException {
        WaschedHttpApi api = new WaschedHttpApi(wasched, apiKey, address);
        api.server.start();
        log.info("HTTP API listening on {}", api.address());
        return api;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        int status;
        JsonNode body;
        try {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/healthz")) {
                status = 200;
                body = json.createObjectNode().put("status", wasched.health().status().name());
            } else if (!path.startsWith("/api/")) {
                throw new ApiError(404, "not_found", null, "no such path: " + path);
            } else {
                authorize(ex);
                Request req = new Request(ex, path.substring("/api/".length()).split("/"));
                Object result = route(req);
                status = req.created ? 201 : result == null ? 204 : 200;
                body = result instanceof JsonNode n ? n : null;
            }
        } catch (ApiError e) {
            status = e.status;
            body = error(e.code, e.field, e.getMessage());
        } catch (NotFoundException e) {
            status = 404;
            body = error("not_found", null, e.getMessage());
        } catch (ValidationException e) {
            status = 400;
            body = error("invalid", e.field(), e.getMessage());
        } catch (IllegalDeliveryTransitionException | ConcurrentUpdateException e) {
            status = 409;
            body = error("conflict", null, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("request {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            status = 500;
            body = error("internal", null, "internal error");
        }
        byte[] bytes = body == null ? new byte[0] : json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private ObjectNode error(String code, String field, String message) {
        ObjectNode n = json.createObjectNode().put("error", code).put("message", message);
        if (field != null) {
            n.put("field", field);
        }
        return n;
    }

    private void authorize(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7)
                : ex.getRequestHeaders().getFirst("X-Api-Key");
        // MessageDigest.isEqual takes the same time wherever the first difference is.
        if (given == null || !MessageDigest.isEqual(apiKey, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiError(401, "unauthorized", null, "a valid API key is required");
        }
    }

    private final class Request {
        final HttpExchange ex;
        final String method;
        final String[] parts;
        final Map<String, String> query = new HashMap<>();
        boolean created;

        Request(HttpExchange ex, String[] parts) {
            this.ex = ex;
            this.method = ex.getRequestMethod();
            this.parts = parts;
            String raw = ex.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
            }
        }

        boolean is(String m, int length) {
            return method.equals(m) && parts.length == length;
        }

        JsonNode body() {
            try (InputStream in = ex.getRequestBody()) {
                byte[] bytes = in.readNBytes(MAX_BODY + 1);
                if (bytes.length > MAX_BODY) {
                    throw new ApiError(413, "too_large", null, "request body over " + MAX_BODY + " bytes");
                }
                JsonNode n = json.readTree(bytes);
                if (n == null || !n.isObject()) {
                    throw ApiError.badRequest("body", "expected a JSON object");
                }
                return n;
            } catch (JsonProcessingException e) {
                throw ApiError.badRequest("body", "malformed JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw ApiError.badRequest("body", "could not read the body");
            }
        }

        PageRequest page() {
            int limit = 50;
            String l = query.get("limit");
            if (l != null) {
                try {
                    limit = Integer.parseInt(l);
                } catch (NumberFormatException e) {
                    throw ApiError.badRequest("limit", "not a number: '" + l + "'");
                }
            }
            return new PageRequest(query.get("cursor"), limit);
        }
    }

    private Object route(Request r) {
        String resource = r.parts[0];
        return switch (resource) {
            case "health" -> {
                if (!r.is("GET", 1)) {
                    throw notAllowed(r);
                }
                yield json.valueToTree(Map.of("status", wasched.health().status().name(),
                        "reasons", wasched.health().reasons()));
            }
            case "contacts" -> contacts(r);
            case "schedules" -> schedules(r);
            case "deliveries" -> deliveries(r);
            default -> throw new ApiError(404, "not_found", null, "no such resource: " + resource);
        };
    }

    private static ApiError notAllowed(Request r) {
        return new ApiError(405, "method_not_allowed", null, r.method + " is not allowed on /api/" + String.join("/", r.parts));
    }

    // ---- resources -----------------------------------------------------------------------------------------

    private Object contacts(Request r) {
        if (r.is("POST", 1)) {
            r.created = true;
            return views.contact(wasched.contacts().create(contactSpec(r.body())));
        }
        if (r.is("GET", 1)) {
            PageRequest page = r.page();
            if (r.query.containsKey("tag")) {
                return views.page(wasched.contacts().withTag(r.query.get("tag"), page), views::contact);
            }
            if (r.query.containsKey("q")) {
                return views.page(wasched.contacts().search(r.query.get("q"), page), views::contact);
            }
            return views.page(wasched.contacts().list(page), views::contact);
        }
        if (r.is("GET", 2)) {
            return views.contact(wasched.contacts().get(r.parts[1]));
        }
        if (r.is("DELETE", 2)) {
            wasched.contacts().delete(r.parts[1]);
            return null;
        }
        if (r.is("POST", 3) && r.parts[2].equals("opt-out")) {
            return views.contact(wasched.contacts().optOut(r.parts[1]));
        }
        throw notAllowed(r);
    }

    private Object schedules(Request r) {
        if (r.is("POST", 1)) {
            r.created = true;
            return views.schedule(wasched.schedules().create(scheduleSpec(r.body())));
        }
        if (r.is("GET", 1)) {
            return views.page(wasched.schedules().list(r.page()), views::schedule);
        }
        if (r.is("GET", 2)) {
            return views.schedule(wasched.schedules().get(r.parts[1]));
        }
        if (r.is("DELETE", 2)) {
            wasched.schedules().delete(r.parts[1]);
            return null;
        }
        if (r.is("POST", 3) && r.parts[2].equals("pause")) {
            return views.schedule(wasched.schedules().pause(r.parts[1]));
        }
        if (r.is("POST", 3) && r.parts[2].equals("resume")) {
            return views.schedule(wasched.schedules().resume(r.parts[1]));
        }
        throw notAllowed(r);
    }

    private Object deliveries(Request r) {
        if (r.is("GET", 1)) {
            Set<DeliveryStatus> statuses = EnumSet.noneOf(DeliveryStatus.class);
            String s = r.query.get("status");
            if (s != null) {
                for (String one : s.split(",")) {
                    try {
                        statuses.add(DeliveryStatus.valueOf(one.strip().toUpperCase(java.util.Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw ApiError.badRequest("status", "unknown status '" + one + "'");
                    }
                }
            }
            DeliveryQuery q = new DeliveryQuery(r.query.get("schedule"), r.query.get("contact"), r.query.get("account"),
                    statuses, null, null);
            return views.page(wasched.deliveries().history(q, r.page()), views::delivery);
        }
        if (r.is("GET", 2)) {
            return views.delivery(wasched.deliveries().get(r.parts[1]));
        }
        if (r.is("POST", 3) && r.parts[2].equals("requeue")) {
            return views.delivery(wasched.deliveries().requeue(r.parts[1]));
        }
        throw notAllowed(r);
    }

    // ---- request bodies ------------------------------------------------------------------------------------

    private static String text(JsonNode n, String field, boolean required) {
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

    private static Map<String, String> stringMap(JsonNode n, String field) {
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

    private static List<String> stringList(JsonNode n, String field) {
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

    private static ContactSpec contactSpec(JsonNode n) {
        ContactSpec.Builder b = ContactSpec.builder().name(text(n, "name", false)).phone(text(n, "phone", true))
                .tags(new java.util.LinkedHashSet<>(stringList(n, "tags"))).fields(stringMap(n, "fields"));
        String zone = text(n, "zone", false);
        if (zone != null) {
            b.zone(zone(zone, "zone"));
        }
        return b.build();
    }

    private static ZoneId zone(String id, String field) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw ApiError.badRequest(field, "unknown time zone '" + id + "'");
        }
    }

    private static ScheduleSpec scheduleSpec(JsonNode n) {
        ScheduleSpec.Builder b = ScheduleSpec.builder().account(text(n, "account", true)).name(text(n, "name", false));
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
        b.trigger(trigger(n.get("trigger")));
        String misfire = text(n, "misfire", false);
        if (misfire != null) {
            b.misfire(switch (misfire) {
                case "FIRE_ONCE" -> MisfirePolicy.DEFAULT;
                case "SKIP" -> MisfirePolicy.skip();
                case "FIRE_ALL" -> MisfirePolicy.fireAll(MisfirePolicy.DEFAULT_MAX_LATENESS, MisfirePolicy.DEFAULT_FIRE_ALL_LIMIT);
                default -> throw ApiError.badRequest("misfire", "one of FIRE_ONCE, SKIP, FIRE_ALL");
            });
        }
        return b.build();
    }

    private static Trigger trigger(JsonNode t) {
        if (t == null || !t.isObject()) {
            throw ApiError.badRequest("trigger", "is required: {\"once\":\"ISO instant\"}, {\"cron\":\"…\",\"zone\":\"…\"} or {\"every\":\"PT1H\"}");
        }
        try {
            if (t.has("once")) {
                return Trigger.once(Instant.parse(text(t, "once", true)));
            }
            if (t.has("cron")) {
                return Trigger.cron(text(t, "cron", true), zone(text(t, "zone", true), "trigger.zone"));
            }
            if (t.has("every")) {
                String start = text(t, "start", false);
                Duration every = Duration.parse(text(t, "every", true));
                return start == null ? Trigger.every(every) : Trigger.every(every, Instant.parse(start));
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiError.badRequest("trigger", "not an ISO-8601 value: '" + e.getParsedString() + "'");
        }
        throw ApiError.badRequest("trigger", "needs once, cron or every");
    }
}
