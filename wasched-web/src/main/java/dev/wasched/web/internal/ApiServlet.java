package dev.wasched.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasched.ConcurrentUpdateException;
import dev.wasched.NotFoundException;
import dev.wasched.ValidationException;
import dev.wasched.WaschedException;
import dev.wasched.web.LastAdminException;
import dev.wasched.web.UserDirectory;
import dev.wasched.web.UserExistsException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's one servlet: finds the route, tells who calls (API key or session cookie), checks the role and, for a
 * session, the CSRF header, reads the JSON body, runs the route, audits what changed and writes the answer or the
 * error in the one error shape.
 */
public final class ApiServlet extends HttpServlet {
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Bodies above this are refused (413). */
    public static final int MAX_BODY = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);

    private final transient List<Route> routes;
    private final transient UserDirectory users;
    private final transient Principals principals;
    private final transient ObjectMapper json;

    public ApiServlet(List<Route> routes, UserDirectory users, Principals principals, ObjectMapper json) {
        this.routes = List.copyOf(routes);
        this.users = users;
        this.principals = principals;
        this.json = json;
    }

    /** Every route, for the OpenAPI check. */
    public List<Route> routes() {
        return routes;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        try {
            if (req.getPathInfo() == null && req.getMethod().equals("GET")) {
                // /wasched -> /wasched/: the console's relative links resolve below the prefix
                resp.sendRedirect(req.getRequestURI() + "/");
                return;
            }
            String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
            Route route = null;
            Map<String, String> params = null;
            TreeSet<String> allowed = new TreeSet<>();
            for (Route r : routes) {
                Optional<Map<String, String>> m = r.match(path);
                if (m.isPresent()) {
                    allowed.add(r.method());
                    // Where two templates fit (/contacts/imports and /contacts/{id}), the literal one wins.
                    if (r.method().equals(req.getMethod()) && (params == null || m.get().size() < params.size())) {
                        route = r;
                        params = m.get();
                    }
                }
            }
            if (route == null) {
                if (!allowed.isEmpty()) {
                    resp.setHeader("Allow", String.join(", ", allowed));
                    throw new ApiError(405, "method_not_allowed", req.getMethod() + " is not allowed here; allowed: "
                            + String.join(", ", allowed));
                }
                throw new ApiError(404, "not_found", "no such resource: " + path);
            }
            Principal principal = principals.of(req);
            if (route.role() != null) {
                if (principal == null) {
                    throw new ApiError(401, "unauthenticated", "sign in, or present an API key as 'Authorization:"
                            + " Bearer KEY'");
                }
                if (!principal.role().includes(route.role())) {
                    throw new ApiError(403, "forbidden", "this needs the role " + route.role() + "; "
                            + principal.name() + " has " + principal.role());
                }
            }
            // Open routes (signing in) need no token: a browser that signs in anew has none yet.
            if (route.role() != null && route.changesState() && principal != null && principal.session() != null
                    && !WebSessions.csrfMatches(principal.session(), req.getHeader(CSRF_HEADER))) {
                throw new ApiError(403, "csrf", "the " + CSRF_HEADER + " header is missing or wrong (the token comes"
                        + " with the session: GET session)");
            }
            Reply reply = route.handler().handle(new Call(req, params, principal, route.upload()
                    ? MissingNode.getInstance() : body(req)));
            if (route.action() != null && principal != null) {
                users.record(principal.actor(), route.action(), params.isEmpty() ? idOf(reply.body())
                        : String.join("/", params.values()), "");
            }
            write(resp, reply);
        } catch (ApiError e) {
            error(resp, e);
        } catch (Exception e) {
            error(resp, translate(e));
        }
    }

    private JsonNode body(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() == 0 || req.getMethod().equals("GET")) {
            return MissingNode.getInstance();
        }
        String type = req.getContentType();
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length == 0) {
            return MissingNode.getInstance();
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiError(413, "too_large", "the body is larger than " + MAX_BODY + " bytes");
        }
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiError(415, "unsupported_media_type", "send the body as application/json");
        }
        try {
            JsonNode node = json.readTree(new String(bytes, StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest(null, "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(null, "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** What a create made, for the audit log: the {@code id} (or {@code name}) of the answer. */
    private String idOf(Object body) {
        if (body == null || body instanceof TextStream || body instanceof BinaryBody) {
            return "";
        }
        JsonNode n = json.valueToTree(body);
        return n.hasNonNull("id") ? n.get("id").asText() : n.path("name").asText("");
    }

    private void write(HttpServletResponse resp, Reply reply) throws IOException {
        if (reply == Reply.STARTED) {
            return;
        }
        resp.setStatus(reply.status());
        reply.headers().forEach(resp::setHeader);
        if (reply.body() instanceof BinaryBody file) {
            resp.setContentType(file.contentType());
            resp.setContentLength(file.bytes().length);
            resp.getOutputStream().write(file.bytes());
            return;
        }
        if (reply.body() instanceof TextStream stream) {
            resp.setContentType(stream.contentType());
            // Written as it is made; should it fail halfway, the connection is cut rather than the answer ended,
            // so the client sees an incomplete answer, never a short one that looks whole.
            // (So the writer is flushed on success only, never closed on the way out of a failure.)
            var out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(resp.getOutputStream(),
                    StandardCharsets.UTF_8));
            stream.writing().to(out);
            out.flush();
            return;
        }
        if (reply.body() != null) {
            resp.setContentType("application/json;charset=utf-8");
            resp.getOutputStream().write(json.writeValueAsBytes(reply.body()));
        }
    }

    private void error(HttpServletResponse resp, ApiError e) throws IOException {
        if (resp.isCommitted()) {
            // Part of the answer is on its way: only breaking the connection tells the client it is not whole.
            throw new IOException("answer broken off: " + e.getMessage());
        }
        resp.resetBuffer(); // part of a streamed answer may wait in the buffer: the error replaces it
        ObjectNode body = json.createObjectNode();
        ObjectNode err = body.putObject("error");
        err.put("code", e.code());
        err.put("message", e.getMessage());
        if (e.field() != null) {
            err.put("field", e.field());
        }
        resp.setStatus(e.status());
        resp.setContentType("application/json;charset=utf-8");
        resp.getOutputStream().write(json.writeValueAsBytes(body));
    }

    /** The library's typed errors as answers; anything else is a 500 whose cause is logged, not shown. */
    private static ApiError translate(Exception e) {
        // ValidationExceptions, but conflicts: the input is fine, what is stored already stands in its way
        if (e instanceof dev.wasched.account.DuplicateAccountException
                || e instanceof dev.wasched.contact.DuplicateContactException) {
            return new ApiError(409, "conflict", e.getMessage(), ((ValidationException) e).field());
        }
        if (e instanceof ValidationException v) {
            return new ApiError(400, "invalid", v.getMessage(), v.field());
        }
        if (e instanceof NotFoundException n) {
            return new ApiError(404, "not_found", n.getMessage());
        }
        if (e instanceof UserExistsException || e instanceof ConcurrentUpdateException
                || e instanceof dev.wasched.delivery.IllegalDeliveryTransitionException) {
            return new ApiError(409, "conflict", e.getMessage());
        }
        if (e instanceof dev.wasched.web.BusyException) {
            return new ApiError(503, "busy", e.getMessage());
        }
        if (e instanceof LastAdminException) {
            return new ApiError(409, "last_admin", e.getMessage());
        }
        if (e instanceof WaschedException) {
            return new ApiError(400, "refused", e.getMessage());
        }
        log.error("request failed", e);
        return new ApiError(500, "internal", "the request failed on the server; its log has the cause");
    }

    /** The ids of every route, {@code METHOD /path}, sorted. */
    public List<String> operations() {
        List<String> out = new ArrayList<>();
        routes.forEach(r -> out.add(r.method() + " " + r.template()));
        out.sort(null);
        return out;
    }
}
