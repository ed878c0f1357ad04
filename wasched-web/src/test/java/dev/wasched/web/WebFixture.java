package dev.wasched.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.Wasched;
import dev.wasched.WaschedBuilder;
import dev.wasched.spi.store.WaschedStore;
import java.util.function.UnaryOperator;
import dev.wasched.access.Role;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.testkit.SettableClock;
import dev.wasched.testkit.transport.RecordingTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The servlet mounted in a plain embedded Jetty under {@code /wasched/*}, as a host would, over an in-memory store
 * with one account ({@code shop}) and a first administrator; and a small HTTP client that keeps cookies by hand so a
 * test sees exactly what a browser would be sent.
 */
final class WebFixture implements AutoCloseable {
    static final String ADMIN_PASSWORD = "correct horse battery staple";
    static final ObjectMapper JSON = new ObjectMapper();

    final WaschedStore store;
    final SettableClock clock;
    final Wasched wasched;
    final WaschedWeb web;
    private final Server server;
    private final HttpClient http = HttpClient.newHttpClient();
    final String base;

    WebFixture() throws Exception {
        this(new InMemoryStore(), new SettableClock(Instant.parse("2026-12-05T10:00:00Z")),
                b -> b.transport(new RecordingTransport("shop")));
    }

    /** Over {@code store}, with wasched (and the console) on {@code clock}, configured further by {@code config}. */
    WebFixture(WaschedStore store, SettableClock clock, UnaryOperator<WaschedBuilder> config) throws Exception {
        this.store = store;
        this.clock = clock;
        wasched = config.apply(Wasched.builder().store(store).clock(clock).instanceId("web-test")).build();
        // Live event streams checked often, so a test sees a revoked key's stream end soon.
        web = WaschedWeb.builder().wasched(wasched).store(store).clock(clock)
                .config(WebConfig.DEFAULT.withEventsKeepAlive(Duration.ofMillis(200))).build();
        wasched.runDue(); // registers the account declared in code (the web built first: it hears the QR code)
        web.users().addUser("admin", Role.ADMIN, ADMIN_PASSWORD.toCharArray(), "cli");
        server = new Server();
        // As a host behind a proxy that ends TLS sets it up: X-Forwarded-Proto says the request was secure.
        org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
        http.addCustomizer(new org.eclipse.jetty.server.ForwardedRequestCustomizer());
        ServerConnector connector = new ServerConnector(server,
                new org.eclipse.jetty.server.HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(web.servlet());
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/wasched/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/wasched/api/v1";
    }

    /** One caller: a browser session (cookie and CSRF token) or an API key. */
    final class Caller {
        String cookie;
        String csrf;
        String key;

        Response call(String method, String path, Object body) throws IOException, InterruptedException {
            return send(method, path, body == null ? null : JSON.writeValueAsString(body), "application/json",
                    true);
        }

        /** A call whose body is JSON text as written (or none). */
        Response json(String method, String path, String body) throws IOException, InterruptedException {
            return send(method, path, body, "application/json", true);
        }

        Response send(String method, String path, String body, String type, boolean withCsrf)
                throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                b.header("Content-Type", type);
            }
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
            if (csrf != null && withCsrf) {
                b.header("X-CSRF-Token", csrf);
            }
            if (key != null) {
                b.header("Authorization", "Bearer " + key);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            boolean isJson = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
            JsonNode json = r.body().isEmpty() || !isJson ? JSON.missingNode() : JSON.readTree(r.body());
            return new Response(r.statusCode(), json, r.headers().allValues("Set-Cookie"), r);
        }

        /** A GET with one more header. */
        Response sendWith(String method, String path, String header, String value)
                throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .method(method, HttpRequest.BodyPublishers.noBody()).header(header, value);
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            boolean isJson = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
            return new Response(r.statusCode(), r.body().isEmpty() || !isJson ? JSON.missingNode()
                    : JSON.readTree(r.body()), r.headers().allValues("Set-Cookie"), r);
        }

        /** Signs in; keeps the cookie and the CSRF token. */
        Response signIn(String user, String password) throws IOException, InterruptedException {
            Response r = call("POST", "/session", java.util.Map.of("user", user, "password", password));
            if (r.status() == 200) {
                cookie = r.setCookies().get(0).split(";", 2)[0];
                csrf = r.json().path("csrfToken").asText();
            }
            return r;
        }
    }

    Caller caller() {
        return new Caller();
    }

    /** A machine with an API key of {@code role}. */
    Caller machine(Role role) {
        Caller c = caller();
        c.key = web.users().createKey("test machine", role, "cli").secret();
        return c;
    }

    Caller admin() throws IOException, InterruptedException {
        Caller c = caller();
        if (c.signIn("admin", ADMIN_PASSWORD).status() != 200) {
            throw new IllegalStateException("the administrator could not sign in");
        }
        return c;
    }

    record Response(int status, JsonNode json, List<String> setCookies, HttpResponse<String> raw) {
        String code() {
            return json.path("error").path("code").asText();
        }

        List<String> items(String field) {
            List<String> out = new ArrayList<>();
            json.path("items").forEach(i -> out.add(i.path(field).asText()));
            return out;
        }
    }

    @Override
    public void close() throws Exception {
        web.close();
        server.stop();
        wasched.close();
    }
}
